"""The mechanical measures of docs/quality.md, one function each.

A measure looks at one question (and the text of its document) and returns (passed, counted): most
count the question once, "terms" counts every key, distractor and swap it offers, and a measure that
does not apply to the question (options of a cloze, the swap of a true statement) counts nothing.
They read the exam JSON only, never the generator's internals, so they judge model-written exams too.

Where a measure reuses a generator check (refers_elsewhere, lemminflect's noun test) it can only find
what the generator let through by another path; the blind judged sample is the measure that does not
share the generator's blind spots.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from examgen.generator.english import can_be_noun, is_plural
from examgen.generator.lang import profile
from examgen.generator.question_types import Mcq, Question, TrueFalse
from examgen.generator.sentences import Sentence
from examgen.generator.standalone import refers_elsewhere
from examgen.generator.statements import definition


@dataclass(frozen=True)
class Text:
    """What the measures need of a document: its extracted text (what questions quote) and language."""

    text: str
    lang: str

    @property
    def folded(self) -> str:
        return _fold(self.text)


def _fold(text: str) -> str:
    # Line joins and letter case differ between a term and its occurrence; the words do not.
    return " ".join(text.lower().split())


def stands_alone(question: Question, doc: Text) -> tuple[int, int]:
    """The sentence the student reads, blank filled in, must be understood alone. The writer's "our"
    in a definition ("… the basis of our argument are known as premises") points nowhere."""
    text, rules = question.statement(), profile(doc.lang)
    if not refers_elsewhere(text, rules):
        return 1, 1
    generic = rules.reader.search(text) is not None and not refers_elsewhere(rules.reader.sub("", text), rules)
    return int(generic and definition(Sentence(0, question.source_text, 0, 1), rules) is not None), 1


# --- keys, distractors and swaps that are terms of the text ---------------------------------------


def offered_terms(question: Question, lang: str) -> list[str]:
    """Every phrase the generator chose for the question: key, distractors, or what a false
    statement swapped in. (The key of a true statement is not visible in the exam JSON.)"""
    if isinstance(question, TrueFalse):
        pair = swap(question, lang)
        return [pair[1]] if pair else []
    found = [question.answer]
    if isinstance(question, Mcq):
        found += [o for o in question.options if o != question.answer]
    return found


def _segments(text: str) -> frozenset[int]:
    """Offsets where jieba puts a word boundary."""
    import jieba

    from examgen.generator.keyphrases_zh import segmenter

    segmenter()  # the generator's own one-time jieba set-up (log level, cache folder)
    edges, at = {0}, 0
    for word in jieba.lcut(text):
        at += len(word)
        edges.add(at)
    return frozenset(edges)


_NAMED_BEFORE = re.compile(r"(?:称为|称作|叫做|叫作|定义为|简称)$")
_NAMED_AFTER = re.compile(r"\s*(?:[：:]|[（(]|是指|是一种)")


def is_term(phrase: str, doc: Text) -> bool:
    """The phrase occurs in the document. In Chinese it is also a term in the issue's sense: one
    word of jieba's segmentation, several words the text repeats, or several words the text names
    as a term (…称为X, X：…), cut on word boundaries where it occurs ("时无法" of 比赛|时|无法 spans
    two words, once: no term of the text)."""
    folded, needle = doc.folded, _fold(phrase)
    if not needle or needle not in folded:
        return False
    if doc.lang != "zh":
        return True
    single, aligned = False, 0
    start = folded.find(needle)
    for _ in range(20):  # a few occurrences are enough to decide
        if start < 0:
            break
        lo = max(0, start - 30)
        edges = _segments(folded[lo : start + len(needle) + 30])
        first, last = start - lo, start - lo + len(needle)
        if first in edges and last in edges:
            aligned += 1
            single = single or not any(first < e < last for e in edges)
            named = _NAMED_BEFORE.search(folded[lo:start]) or _NAMED_AFTER.match(folded, start + len(needle))
            aligned += 1 if named else 0
        start = folded.find(needle, start + 1)
    return single or aligned >= 2


def terms_of_text(question: Question, doc: Text) -> tuple[int, int]:
    pair = swap(question, doc.lang)
    if pair is not None and _NUMBER.search(pair[0]) and _NUMBER.sub("#", pair[0]) == _NUMBER.sub("#", pair[1]):
        return 0, 0  # a quantity changed with its unit kept: a false value, never a term of the text
    phrases = offered_terms(question, doc.lang)
    return sum(is_term(p, doc) for p in phrases), len(phrases)


# --- part of speech of true/false swaps -----------------------------------------------------------


def swap(question: Question, lang: str) -> tuple[str, str] | None:
    """(what the source said, what the false statement says instead), widened to whole words; None
    for a true statement."""
    span = swap_span(question, lang)
    if span is None:
        return None
    start, end, shift = span
    return question.source_text[start:end], question.prompt[start : end + shift]


def swap_span(question: Question, lang: str) -> tuple[int, int, int] | None:
    """(start, end) of the swapped words in source_text, and how much longer the prompt's are."""
    if not isinstance(question, TrueFalse) or question.answer:
        return None
    source, prompt = question.source_text, question.prompt
    if source == prompt:
        return None
    head = 0
    while head < min(len(source), len(prompt)) and source[head] == prompt[head]:
        head += 1
    tail = 0
    while tail < min(len(source), len(prompt)) - head and source[-1 - tail] == prompt[-1 - tail]:
        tail += 1
    start, end = head, len(source) - tail  # the changed span in source; in prompt it ends `shift` later
    shift = len(prompt) - len(source)
    if lang == "zh":
        edges = _segments(source)
        start = max(e for e in edges if e <= start)
        end = min(e for e in edges if e >= end)
    else:
        # The shared prefix and suffix may cut into a word ("struct|ure"/"denat|ure"): widen to words.
        while start > 0 and source[start - 1].isalnum():
            start -= 1
        while end < len(source) and source[end].isalnum():
            end += 1
    return start, end, shift


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _zh_flag(sentence: str, start: int, end: int) -> str:
    """jieba's part-of-speech tag, in its sentence, of the word the span ends with, coarsened to the
    classes a swap must keep: person, place, organisation, other noun, or the tag's first letter.
    Tagged in context because jieba guesses differently alone ("叶绿体" alone is a person, nr)."""
    from examgen.generator.keyphrases_zh import segmenter

    at, flag = 0, ""
    for word in segmenter().cut(sentence):
        at += len(word.word)
        if at >= end:
            flag = word.flag
            break
    if at <= start:
        return ""
    if flag.startswith(("nr", "ns", "nt")):
        return flag[:2]
    return "n" if flag.startswith(("n", "j", "l")) else flag[:1]


def _en_agrees(original: str, replacement: str, before: str) -> bool:
    if _NUMBER.search(original) or _NUMBER.search(replacement):
        return _NUMBER.sub("#", original) == _NUMBER.sub("#", replacement)  # the same unit and format
    old, new = original.split()[-1:], replacement.split()[-1:]
    if not old or not new:
        return False
    if before in {"a", "an"} and (before == "an") != (replacement[:1].lower() in "aeiou"):
        return False  # "an _____" swapped to "an font"
    return can_be_noun(old[0]) == can_be_noun(new[0]) and is_plural(old[0]) == is_plural(new[0])


def swap_agrees(question: Question, doc: Text) -> tuple[int, int]:
    """English and Chinese only: the checks are lemminflect's and jieba's, which know no other language."""
    span = swap_span(question, doc.lang) if doc.lang in {"en", "zh"} else None
    if span is None:
        return 0, 0
    start, end, shift = span
    source, prompt = question.source_text, question.prompt
    original, replacement = source[start:end], prompt[start : end + shift]
    if not replacement.strip():
        return 0, 1
    if doc.lang == "zh":
        return int(_zh_flag(source, start, end) == _zh_flag(prompt, start, end + shift)), 1
    words_before = re.findall(r"\w+", prompt[:start].lower())
    return int(_en_agrees(original, replacement, words_before[-1] if words_before else "")), 1


# --- options, debris -------------------------------------------------------------------------------


def options_distinct(question: Question, doc: Text) -> tuple[int, int]:
    """No two options equal, and none contains another ("aquifer" / "confined aquifer")."""
    if not isinstance(question, Mcq):
        return 0, 0
    folded = [_fold(o) for o in question.options]
    clash = any(a in b for i, a in enumerate(folded) for j, b in enumerate(folded) if i != j)
    return int(not clash), 1


# What pypdf leaves of glyphs it cannot map: private-use code points (bullets of symbol fonts),
# mathematical letters (𝜌, 𝑽), the replacement character and spacing accents ("co¨ordinate").
_DEBRIS = {
    "private-use": re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]"),
    "math-letters": re.compile("[\U0001d400-\U0001d7ff]"),
    "broken-glyph": re.compile("[\ufffd\u00a8\u00b4\u02c6-\u02dd\x00-\x08\x0b-\x1f]"),
    # 25 Latin letters without a break is words run together ("Probabilitydensityfunction"); CJK is
    # written without spaces and is not counted.
    "run-together": re.compile(r"[A-Za-z]{25,}"),
}
_GAPS = re.compile(r"_{3,}")


def debris(question: Question) -> list[str]:
    """The kinds of extraction debris in the stem; a gap beyond the one blank counts as "gap"."""
    prompt = question.prompt
    found = [name for name, pattern in _DEBRIS.items() if pattern.search(prompt)]
    allowed = 0 if isinstance(question, TrueFalse) else 1
    if len(_GAPS.findall(prompt)) > allowed:
        found.append("gap")
    return found


def clean_stem(question: Question, doc: Text) -> tuple[int, int]:
    return int(not debris(question)), 1


# --- keys worth asking, distractors of the key's kind, false statements that are false ------------


def key_specific(question: Question, doc: Text) -> tuple[int, int]:
    """The answer of a blank is not an everyday word of the language ("picture", "process", 方法):
    wordfreq's Zipf frequency of the whole answer (its lemma, for one English word) below the
    language's bar for generic words."""
    if isinstance(question, TrueFalse):
        return 0, 0
    rules = profile(doc.lang)
    return int(not rules.is_generic(question.answer)), 1


def _head(term: str, cjk: bool) -> str:
    low = term.lower().strip()
    if cjk:
        return low[-1:]
    words = re.findall(r"[^\W\d_]+", low)
    return words[-1].rstrip("s") if words else ""


def options_kin(question: Question, doc: Text) -> tuple[int, int]:
    """Every distractor is of the key's kind by what the text itself shows: it shares the key's head
    word (head character in Chinese), or the text lists it together with the key ("A, B and C",
    A、B和C). A word merely found elsewhere in the text does not count."""
    if not isinstance(question, Mcq):
        return 0, 0
    cjk = doc.lang == "zh"
    key = question.answer
    folded = doc.folded
    ok = 0
    distractors = [o for o in question.options if o != key]
    for option in distractors:
        base_key, base_option = (
            re.sub(r"\s?[(（][^()（）]*[)）]", "", key),
            re.sub(r"\s?[(（][^()（）]*[)）]", "", option),
        )
        if (_head(base_option, cjk) and _head(base_option, cjk) == _head(base_key, cjk)) or _listed_together(
            base_key, base_option, folded, cjk
        ):
            ok += 1
    return int(ok == len(distractors)), 1


def _listed_together(a: str, b: str, folded: str, cjk: bool) -> bool:
    joiners = r"\s*(?:、|，|,|和|与|及|以及|或|或者)\s*" if cjk else r"\s*(?:,|;|\band\b|\bor\b|,\s*and\b|,\s*or\b)\s*"
    window = r"[^。.;；:：]{0,80}?"
    x, y = re.escape(_fold(a)), re.escape(_fold(b))
    pattern = (
        f"{x}{joiners}{window}{y}|{y}{joiners}{window}{x}"
        if not cjk
        else f"{x}{window}{joiners}{y}|{y}{window}{joiners}{x}"
    )
    return re.search(pattern, folded) is not None


def false_is_false(question: Question, doc: Text) -> tuple[int, int]:
    """A false statement is no sentence the document states anywhere (it would be true)."""
    if not isinstance(question, TrueFalse) or question.answer:
        return 0, 0
    return int(_fold(question.prompt) not in doc.folded), 1


Measure = Callable[[Question, Text], tuple[int, int]]
# Names as they appear in the table, results.json and floors.json.
MEASURES: dict[str, Measure] = {
    "stands_alone": stands_alone,
    "terms_of_text": terms_of_text,
    "swap_agrees": swap_agrees,
    "options_distinct": options_distinct,
    "clean_stem": clean_stem,
    "key_specific": key_specific,
    "options_kin": options_kin,
    "false_is_false": false_is_false,
}


def spread(questions: list[Question], pages: int) -> tuple[int, int]:
    """(distinct pages asked about, the most there could be): ten questions from a one-page text
    cannot spread, so the possible count is min(questions, pages), not the number of questions."""
    distinct = len({q.source_page for q in questions})
    return distinct, min(len(questions), max(1, pages))
