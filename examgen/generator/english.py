"""What English words can be, from lemminflect's dictionary (shipped in its wheel; nothing is
downloaded): enough to tell a noun head ("structure") from a verb ("denature") or an adjective
("difficult"), and a plural ("structures") from a singular, without a tagger."""

from __future__ import annotations

import re
from functools import lru_cache

from lemminflect import getAllLemmas, getInflection, getLemma  # type: ignore[import-untyped]


@lru_cache(maxsize=65_536)
def _lemmas(word: str) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = getAllLemmas(word.lower())
    return found


def can_be_noun(word: str) -> bool:
    """A word the dictionary knows as a noun, or one it does not know at all (names, technical
    terms such as "groundwater"): those are nouns far more often than anything else in a course."""
    lemmas = _lemmas(word)
    return not lemmas or "NOUN" in lemmas or "PROPN" in lemmas


def noun_not_adjective(word: str) -> bool:
    """A word the dictionary knows as a noun and not as an adjective ("chloroplast", not "inferior"),
    or one it does not know at all."""
    lemmas = _lemmas(word)
    return not lemmas or (("NOUN" in lemmas or "PROPN" in lemmas) and "ADJ" not in lemmas)


def lemma(word: str) -> str:
    """The dictionary form of an English noun or verb ("implementations" -> "implementation")."""
    for pos in ("NOUN", "VERB"):
        found = _lemmas(word).get(pos)
        if found:
            return str(found[0])
    return word.lower()


def is_plural(word: str) -> bool:
    nouns = _lemmas(word).get("NOUN")
    if nouns:
        return word.lower() not in nouns
    low = word.lower()
    return low.endswith("s") and not low.endswith(("ss", "us", "is"))


def only_verb_or_adverb(word: str) -> bool:
    """ "denature", "rewrite" is not: a word the dictionary knows, and never as a noun or adjective."""
    lemmas = _lemmas(word)
    return bool(lemmas) and not {"NOUN", "PROPN", "ADJ"} & lemmas.keys()


def other_number(phrase: str) -> str | None:
    """The phrase with its head noun in the other number ("aquifer" <-> "aquifers"), for answers
    typed either way; None when the dictionary has no other form."""
    *rest, head = phrase.split(" ")
    if not head.isalpha() or head.isupper():
        return None
    plural = is_plural(head)
    lemma: tuple[str, ...] = getLemma(head.lower(), upos="NOUN") if plural else (head.lower(),)
    forms: tuple[str, ...] = getInflection(lemma[0], tag="NN" if plural else "NNS") if lemma else ()
    if not forms or forms[0] == head.lower():
        return None
    form = forms[0].capitalize() if head[:1].isupper() else forms[0]
    return " ".join([*rest, form])


_AUXILIARIES = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "can",
        "cannot",
        "could",
        "may",
        "might",
        "must",
        "will",
        "would",
        "shall",
        "should",
        "does",
        "do",
        "did",
    ]
)
# Words that open a fronted phrase or clause rather than a subject ("In 1954, ...", "While ...").
_OPENERS = frozenset(
    [
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "to",
        "of",
        "about",
        "after",
        "before",
        "during",
        "since",
        "while",
        "when",
        "although",
        "though",
        "because",
        "if",
        "unless",
        "including",
        "like",
        "unlike",
        "as",
        "through",
        "under",
        "over",
        "between",
        "among",
        "without",
        "within",
        "despite",
        "due",
        "per",
        "via",
        "upon",
        "once",
        "whereas",
        "whether",
        "where",
        "how",
        "what",
        "why",
        "which",
        "who",
        "whose",
        "there",
        "here",
        "it",
        "its",
        "one",
        "can",
        "could",
        "may",
        "might",
        "must",
        "should",
        "would",
        "will",
    ]
)
# Function words that are capitalised inside a sentence only when a heading runs into it.
_GLUE = frozenset(
    ["a", "an", "the", "in", "on", "at", "for", "of", "to", "with", "this", "these", "we", "it", "there", "our"]
)
_TOKEN = re.compile(r"[\w'’-]+|[,;:()\[\]–—]")


# "Unlike X, …", "In contrast to X, …": a contrast the sentence draws itself, then its subject.
_CONTRAST_OPENER = re.compile(r"(?:In contrast (?:to|with)|Unlike|Compared (?:to|with)|As opposed to) [^,;:()]{3,60}, ")


def first_verb(text: str) -> int | None:
    opener = _CONTRAST_OPENER.match(text)
    if opener:
        rest = first_verb(text[opener.end() :])
        return None if rest is None else opener.end() + rest
    return _first_verb(text)


def _first_verb(text: str) -> int | None:
    """Where the sentence's verb starts, for a plain declarative sentence: it opens with its subject,
    a noun phrase of one to seven words, then its verb ("Stromules are induced after ...", "The
    polyphyletic theory states that ..."). None for a sentence that opens with a preposition, a
    clause, an adverb or a verb, or has a comma, colon or bracket before its verb: such a sentence
    leans on its context or is no statement of fact."""
    tokens = list(_TOKEN.finditer(text))
    if any(t.group(0)[:1].isupper() and t.group(0).lower() in _GLUE for t in tokens[1:10]):
        return None  # "Balanced Logic Styles A first way ...": a heading the layout glued to the sentence
    leading = [t.group(0) for t in tokens[:6]]
    run = leading[: next((i for i, w in enumerate(leading) if not w[:1].isupper()), len(leading))]
    if len(run) >= 3 and any(w.lower().endswith("ing") for w in run[1:]):
        return None  # "Noise Generation Reducing the SNR ...": a run-in heading
    skip = 0
    for index, match in enumerate(tokens):
        token = match.group(0)
        low = token.lower()
        if skip:
            skip -= 1
            continue
        if token == "(" and index + 2 < len(tokens) and tokens[index + 2].group(0) == ")":
            inner = tokens[index + 1].group(0)
            if inner.replace("-", "").isalnum() and inner[:1].isupper() and index >= 1:
                skip = 2  # "Simple Power Analysis (SPA) is ...": the subject's acronym in brackets
                continue
        if token in ",;:()[]–—":
            return None
        if index == 0:
            if low in _OPENERS or low.endswith("ly") or (low.endswith("ing") and low not in _AUXILIARIES):
                return None
            continue
        if token.islower() and _finite(low, tokens[index - 1].group(0).lower()):
            return match.start() if index <= 10 else None
    return None


def _finite(word: str, before: str) -> bool:
    """A finite verb: an auxiliary, a third-person or past form ("states", "measured"), an irregular
    past ("shrank"), or a plain verb after a plural subject ("Hydrologists use")."""
    if word in _AUXILIARIES:
        return True
    if word.endswith("ing"):
        return False  # a gerund or participle ("Simple electrical pumping with ..."): no finite verb
    lemmas = _lemmas(word)
    if "VERB" not in lemmas:
        return False
    if word.endswith(("s", "ed")) or not {"NOUN", "ADJ", "ADV", "ADP"} & lemmas.keys():
        return True
    return before.endswith("s") and is_plural(before)


def subject_first(text: str) -> bool:
    return first_verb(text) is not None
