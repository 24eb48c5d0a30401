"""What English words can be, from lemminflect's dictionary (shipped in its wheel; nothing is
downloaded): enough to tell a noun head ("structure") from a verb ("denature") or an adjective
("difficult"), and a plural ("structures") from a singular, without a tagger."""

from __future__ import annotations

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
