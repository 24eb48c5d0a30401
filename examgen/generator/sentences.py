"""Sentence splitting that survives abbreviations, initials, decimals and Chinese punctuation.

Sentences are (offset, text) slices of Document.text, never rewritten copies: a question's
source_text can always be found verbatim in the extracted text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .lang import Profile, profile
from .layout import Document


@dataclass(frozen=True)
class Sentence:
    index: int
    text: str
    start: int
    page: int


# Abbreviations of every language, after which a full stop never ends a sentence: texts mix them.
_COMMON_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "cf",
        "vs",
        "viz",
        "approx",
        "ca",
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "st",
        "fig",
        "figs",
        "eq",
        "eqs",
        "al",
    ]
)
# These end sentences too ("... and so on, etc. The next"): only a lower-case next word keeps them.
_SOMETIMES = frozenset(["etc", "usw", "u.s.w", "al", "ff"])

_LATIN_STOP = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")
# "．" (full-width full stop) ends sentences in much Chinese and Japanese technical writing; "；" ends
# the items of a list run into one paragraph.
_CJK_STOP = re.compile(r"(?:[。．！？；]|[!?](?!\w))[”’」』）)\"']*")
# "1. 光反应；2. 暗反应": in CJK text a number and a dot before a space number the items of a list.
_CJK_ENUMERATOR = re.compile(r"(?:^|(?<=[\s：:；;，,。．]))\d{1,2}\.$")
_LEADING_NOISE = re.compile(
    r"^(?:[•▪◦·*\-–—]\s*|\(?(?:[0-9]{1,3}|[ivx]{1,4}|[a-h])\)\s+|\d{1,2}\.\s+(?=\D))+", re.IGNORECASE
)
# "Beweis:", "Hinweis:", "Note:" open a sentence without being part of what it says.
_LABEL = re.compile(r"^[A-ZÄÖÜ][a-zäöüß]{2,14}\.?:\s+(?=\S)")
_WORD_BEFORE = re.compile(r"(\S+?)[.!?…]+[\"'”’»)\]]*$")
_NEXT_WORD = re.compile(r"\s*(\S+)")
_INITIAL_NEXT = re.compile(r"[^\W\d_]\.")
# Words longer than this are neither abbreviations nor initials, so looking further back is waste.
_WINDOW = 80


def _ends_sentence(paragraph: str, stop: re.Match[str], rules: Profile) -> bool:
    # Everything here looks at a bounded window around the stop: a paragraph can be megabytes long
    # (one page of a hostile PDF), and copying or rescanning it at every full stop is quadratic.
    punct = stop.group(0)
    following = _NEXT_WORD.match(paragraph, stop.end())
    if following is None:
        return True
    nxt = following.group(1)
    if nxt[0].islower():
        return False  # "e.g. the", "z. B. auch", "... and so on. the" (the last one is rare)
    if "." not in punct or any(ch in punct for ch in "!?"):
        return True
    window = max(0, stop.start() - _WINDOW)
    before = _WORD_BEFORE.search(paragraph, window, stop.end())
    word = before.group(1).lower() if before else ""
    word = word.lstrip("([\"'„“‘«")
    if word in rules.abbreviations or word in _COMMON_ABBREVIATIONS:
        return False
    if word in _SOMETIMES:
        return True
    if len(word) == 1 and word.isalpha() and before is not None:
        if _INITIAL_NEXT.match(nxt):
            return False  # "z. B.", "d. h.", "i. e."
        earlier = paragraph[max(0, before.start(1) - _WINDOW) : before.start(1)].split()
        # An initial: "John F. Kennedy". Not in German, where "für eine Menge X. Dann" capitalises nouns.
        if not rules.nouns_capitalised and word.upper() == before.group(1) and earlier and earlier[-1][:1].isupper():
            return False
    months = rules.extras.get("months")
    if isinstance(months, frozenset) and word.isdigit() and len(word) <= 2:
        # Ordinals written with a dot: "am 31. Dezember", "im 2. Kapitel".
        first = nxt.lower()
        if first in months or first.rstrip(".") in {"kapitel", "auflage", "jahrhundert", "ordnung"}:
            return False
    return True


def _spans_in(paragraph: str, rules: Profile) -> Iterator[tuple[int, int]]:
    start = 0
    stops: list[re.Match[str]] = list(_LATIN_STOP.finditer(paragraph))
    cjk = rules.cjk or any("\u3000" <= ch <= "\u9fff" for ch in paragraph[:200])
    if cjk:
        stops += list(_CJK_STOP.finditer(paragraph))
        stops.sort(key=lambda m: m.end())
    for stop in stops:
        if stop.end() <= start:
            continue
        if stop.re is not _CJK_STOP and cjk and _CJK_ENUMERATOR.search(paragraph, max(0, stop.start() - 4), stop.end()):
            continue
        if stop.re is _CJK_STOP or _ends_sentence(paragraph, stop, rules):
            yield start, stop.end()
            start = stop.end()
    if start < len(paragraph):
        yield start, len(paragraph)


def split_sentences(doc: Document, lang: str | Profile) -> list[Sentence]:
    rules = lang if isinstance(lang, Profile) else profile(lang)
    sentences: list[Sentence] = []
    offset = 0
    for paragraph in doc.text.split("\n"):
        for begin, end in _spans_in(paragraph, rules):
            piece = paragraph[begin:end]
            stripped = piece.lstrip()
            for pattern in (_LEADING_NOISE, _LABEL):
                noise = pattern.match(stripped)
                if noise:
                    stripped = stripped[noise.end() :]
            text = stripped.rstrip()
            if not text:
                continue
            start = offset + begin + (len(piece) - len(stripped))
            sentences.append(Sentence(len(sentences), text, start, doc.page_of(start)))
        offset += len(paragraph) + 1
    return sentences
