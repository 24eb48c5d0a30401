"""Key phrases of Latin-script documents: RAKE-style candidates, TF-IDF/YAKE-style scores.

Candidates are runs of content words between stop words and punctuation (so "Linear Reference
System" stays whole instead of giving three one-word blanks), plus numbers and years. A phrase scores
high when it recurs in the document but not in every sentence (TF x IDF over sentences), is long and
specific, and, in English, is written capitalised mid-sentence (a name or a defined term).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from statistics import median

from .lang import Profile
from .sentences import Sentence
from .terms import Analysis, Occurrence, Term, find_numbers

_TOKEN = re.compile(r"(?P<word>(?:\d+-)?[^\W\d_][^\W_]*(?:['’\-][^\W_]+)*)|(?P<num>\d+(?:[.,]\d+)*)|(?P<sym>\S)")
_VARIABLE = re.compile(r"[^\W\d_]{1,2}\d*|[^\W\d_]\d+|[^\W\d_]{2,3}\d+[^\W\d_]?")
_ODD_CASE = re.compile(r"[A-Z]{2}[a-z]|[a-z][A-Z]")  # "TEuklid", "spatialDescriptiveEvol": not prose words
_MAX_WORDS = 4


class _Stats:
    def __init__(self) -> None:
        self.tf: Counter[str] = Counter()
        self.sentences: Counter[str] = Counter()
        self.forms: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self.capitalised_inside: Counter[str] = Counter()
        self.inside: Counter[str] = Counter()
        self.articles: defaultdict[str, set[str]] = defaultdict(set)
        self.where: defaultdict[str, list[int]] = defaultdict(list)


def _content(word: str, rules: Profile) -> bool:
    if word.lower() in rules.stop or word.lower() in rules.verbs:
        return False
    if word.islower() and rules.verb_or_adverb(word):
        return False  # "parliaments denature bills" is two noun phrases and a verb
    if word.isupper() and len(word) >= 2:
        return True  # acronyms: LRS, UML, NHNC1
    return not _VARIABLE.fullmatch(word) and not _ODD_CASE.search(word)


def _trim(run: list[re.Match[str]], rules: Profile) -> list[re.Match[str]]:
    suffixes = rules.participle_suffixes

    def bad_edge(word: str, first: bool) -> bool:
        low = word.lower()
        if low in rules.weak or (rules.adverb_suffixes and low.endswith(rules.adverb_suffixes)):
            return True
        # "distributing geospatial information" -> "geospatial information": a verb opens the run;
        # "denominator obtained" -> "denominator": a participle closes it.
        if not first and word.islower() and not rules.is_noun(word):
            return True  # "constitutions difficult": a noun phrase ends with its noun
        if not suffixes or len(run) < 2 or not word.islower():
            return False
        return low.endswith(suffixes) if first else low.endswith(suffixes[:1])

    while run and bad_edge(run[0].group(), True):
        run = run[1:]
    while run and bad_edge(run[-1].group(), False):
        run = run[:-1]
    return run


def _phrases(text: str, rules: Profile) -> list[tuple[int, int, list[str], bool, str]]:
    """(start, end, words, starts_sentence, word_before) for every candidate phrase in one sentence."""
    found: list[tuple[int, int, list[str], bool, str]] = []
    run: list[re.Match[str]] = []
    first_word_start = -1
    depth = 0
    previous = ""  # the word before the current run

    def flush() -> None:
        trimmed = _trim(run, rules)
        # Bracketed asides ("see Figure 1 - ...") make neither keys nor distractors; acronyms do.
        if not trimmed or (depth > 0 and not (len(trimmed) == 1 and trimmed[0].group().isupper())):
            return
        pieces = [trimmed] if len(trimmed) <= _MAX_WORDS else [trimmed[i : i + 3] for i in range(len(trimmed) - 2)]
        if rules.nouns_capitalised and len(trimmed) > 1 and trimmed[-1].group()[:1].isupper():
            # German compounds carry the meaning in the head noun ("anliegende Außenwinkel" ->
            # "Außenwinkel"): a candidate of its own, and a distractor for other "-winkel".
            pieces.append(trimmed[-1:])
        for piece in pieces:
            start, end = piece[0].start(), piece[-1].end()
            before = previous if piece[0] is run[0] else ""
            found.append((start, end, [m.group() for m in piece], start == first_word_start, before))

    for match in _TOKEN.finditer(text):
        word = match.group("word")
        if word is not None and first_word_start < 0:
            first_word_start = match.start()
        if word is not None and _content(word, rules):
            run.append(match)
            # German noun phrases end with their (capitalised) noun: "topologischer Raum | bildet".
            if rules.nouns_capitalised and word[:1].isupper() and not word.isupper():
                flush()
                run, previous = [], word
            continue
        flush()
        run = []
        previous = (word or "").lower()
        symbol = match.group("sym")
        if symbol in {"(", "[", "（"}:
            depth += 1
        elif symbol in {")", "]", "）"}:
            depth = max(0, depth - 1)
    flush()
    return found


def _key(words: list[str], initial: bool, rules: Profile) -> str:
    if not rules.nouns_capitalised:
        return " ".join(words).lower()
    # German case carries meaning (Liften, the noun; liften, the verb). A phrase opening a sentence
    # with an adjective ("Topologische Räume") is the same phrase as mid-sentence.
    key = " ".join(words)
    return key[0].lower() + key[1:] if initial and len(words) > 1 else key


def _capitalised_single_ok(word: str, inside: int, tf: int, rules: Profile) -> bool:
    if word[:1].isupper():
        # Capitalised only at the start of sentences: an imperative or adverb, not a noun.
        return inside > 0 or word.isupper()
    stem = re.sub(r"(?:e|er|es|en|em)$", "", word.lower())
    endings = rules.extras.get("adjective_endings", ())
    return tf >= 2 and len(word) >= 5 and isinstance(endings, tuple) and stem.endswith(endings)


def _shape(words: list[str], rules: Profile, kind: str) -> str:
    last = words[-1]
    if rules.nouns_capitalised:
        # German nouns are capitalised; adjectives (alone or before the noun) carry case endings that
        # must agree with the article in the sentence.
        if last[:1].isupper():
            return f"{len(words)}:N" + (f":{words[0][-2:].lower()}" if len(words) > 1 else "")
        return f"{len(words)}:a{last[-2:].lower()}"
    return f"{len(words)}:{kind}:{'pl' if rules.is_plural(last) else 'sg'}"


def analyze_latin(
    sentences: Sequence[Sentence], usable: Collection[int], prose: Collection[int], rules: Profile
) -> Analysis:
    stats = _Stats()
    found_in: dict[int, list[tuple[int, int, str]]] = {}
    # Statistics come from running text only: formulas, tables and diagram labels would add noise
    # (and, in a maths book, nine tenths of the work).
    for sentence in (sentences[i] for i in sorted(prose)):
        seen: set[str] = set()
        spans = []
        for start, end, words, initial, before in _phrases(sentence.text, rules):
            key = _key(words, initial, rules)
            if before in rules.determiners:
                stats.articles[key].add(before)
            stats.tf[key] += 1
            # A form seen mid-sentence shows the real capitalisation; sentence starts capitalise anything.
            stats.forms[key][sentence.text[start:end]] += 1 if initial else 10
            if not initial:
                stats.inside[key] += 1
                stats.capitalised_inside[key] += all(w[:1].isupper() for w in words)
            seen.add(key)
            spans.append((start, end, key))
        for key in seen:
            stats.sentences[key] += 1
            stats.where[key].append(sentence.index)
        found_in[sentence.index] = spans

    total = max(1, len(found_in))
    terms: dict[str, Term] = {}
    for key in dict.fromkeys(k for spans in found_in.values() for _, _, k in spans):
        term = _score(key, stats, total, rules)
        if term is not None:
            terms[key] = term
    _add_numbers(sentences, prose, terms, found_in, rules)

    analysis = Analysis(terms=terms)
    for index in sorted(usable):
        occurrences = [
            Occurrence(terms[key], start, end) for start, end, key in found_in.get(index, ()) if key in terms
        ]
        occurrences.sort(key=lambda o: (-o.term.score, o.start))
        analysis.occurrences[index] = occurrences
    return analysis


def _score(key: str, stats: _Stats, total: int, rules: Profile) -> Term | None:
    surface = stats.forms[key].most_common(1)[0][0]
    words = surface.split()
    tf, sf = stats.tf[key], stats.sentences[key]
    if len(words) == 1 and (len(surface) < 3 or (surface.islower() and len(surface) < 4)):
        return None
    capitalised = rules.nouns_capitalised
    if capitalised and len(words) == 1 and not _capitalised_single_ok(surface, stats.inside[key], tf, rules):
        return None
    if (
        len(words) == 1
        and surface.islower()
        and rules.participle_suffixes
        and surface.endswith(rules.participle_suffixes)
    ):
        return None  # participles and gerunds ("describing") test grammar, not content
    inside = stats.inside[key]
    if not inside and len(words) > 1 and not words[0].isupper():
        # Only ever seen opening a sentence: "Minimum content" is "minimum content" elsewhere.
        surface = surface[0].lower() + surface[1:]
        words = surface.split()
    elif not inside and not capitalised and not words[0].isupper():
        surface = surface[0].lower() + surface[1:]
        words = surface.split()
    if surface.isupper() and len(words) == 1 and any(c.isalpha() for c in surface):
        kind = "acronym"
    elif not capitalised and inside and stats.capitalised_inside[key] >= 0.8 * inside:
        kind = "name"
    else:
        kind = "term"
    if kind == "term" and not rules.is_noun(words[-1]):
        return None  # "constitutions difficult", "denature": a key must be a noun phrase
    specificity = sum(min(len(w), 12) for w in words) / (12 * len(words))
    score = (0.5 + math.log1p(tf)) * math.log1p(total / sf) * specificity * (1 + 0.25 * (len(words) - 1))
    if len(words) >= 3 and tf == 1:
        score *= 0.6  # a long run seen once is as likely a clause fragment as a term
    if kind in {"name", "acronym"}:
        score *= 1.15
    if capitalised:
        score *= 1.2 if words[-1][:1].isupper() else 0.85
    articles = frozenset(stats.articles.get(key, ()))
    where = tuple(stats.where[key])
    return Term(key, surface, kind, _shape(words, rules, kind), len(words), tf, score, articles, where)


def _add_numbers(
    sentences: Sequence[Sentence],
    prose: Collection[int],
    terms: dict[str, Term],
    found_in: dict[int, list[tuple[int, int, str]]],
    rules: Profile,
) -> None:
    reference = median([t.score for t in terms.values()]) if terms else 1.0
    counts: Counter[str] = Counter()
    spans: list[tuple[int, int, int, str, str, str]] = []
    for index in sorted(prose):
        text = sentences[index].text
        for number in find_numbers(text):
            previous = re.findall(r"[^\W\d_]+", text[: number.start])[-1:]
            if previous and previous[0].lower().rstrip(".") in rules.number_context:
                continue  # "Figure 3", "Definition 12": labels, not facts
            if number.kind == "number" and number.value < 2:
                continue
            key = number.text.lower()
            counts[key] += 1
            spans.append((index, number.start, number.end, key, number.kind, number.unit))
    weight = {"year": 1.0, "percent": 1.0, "number": 0.8}
    for index, start, end, key, kind, unit in spans:
        if key not in terms:
            score = reference * weight[kind] * (1 + 0.1 * min(counts[key], 5))
            terms[key] = Term(key, sentences[index].text[start:end], kind, unit, 1, counts[key], score, where=(index,))
        found_in[index].append((start, end, key))
