"""What the key-phrase stages produce, and the number spotting both scripts share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Term:
    key: str
    """Identity: the lower-cased phrase."""
    text: str
    """The surface form the document uses most often."""
    kind: str
    """What may replace it in a distractor: year, number, percent, acronym, name, term, or zh:<class>."""
    shape: str
    """Finer grammatical shape used to rank distractors (plural ending, jieba flag, unit...)."""
    words: int
    freq: int
    score: float
    articles: frozenset[str] = frozenset()
    """German determiners seen right before it ("der", "einen"...): its gender, number and case."""
    where: tuple[int, ...] = ()
    """The sentences (indices) it is used in, in document order."""


@dataclass(frozen=True)
class Occurrence:
    term: Term
    start: int
    """Offset in the sentence text."""
    end: int

    def surface(self, sentence: str) -> str:
        return sentence[self.start : self.end]


@dataclass
class Analysis:
    terms: dict[str, Term] = field(default_factory=dict)
    occurrences: dict[int, list[Occurrence]] = field(default_factory=dict)
    """Per usable sentence index, its candidate keys, best first."""


# Integers with thousands separators, decimals (point or comma), optional percent or degree sign.
NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)(\s?(?:%|％|‰|°C|℃))?(?![\w])")
_ZH_UNIT = re.compile(
    r"\s?(年|月|日|个|种|位|次|米|千米|公里|厘米|毫米|克|千克|公斤|吨|度|倍|万|亿|元|秒|分钟|小时|天|层|条|项)"
)


_PERCENT_WORD = re.compile(r"\s+(?:percent|per cent|prozent)\b|\s*百分", re.IGNORECASE)


@dataclass(frozen=True)
class NumberSpan:
    start: int
    end: int
    text: str
    kind: str  # year, percent or number
    unit: str
    value: float


def parse_value(digits: str) -> float | None:
    plain = digits.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", digits) else digits
    try:
        return float(plain.replace(",", "."))
    except ValueError:
        return None


def find_numbers(sentence: str, chinese: bool = False) -> list[NumberSpan]:
    spans = []
    for match in NUMBER.finditer(sentence):
        digits, suffix = match.group(1), (match.group(2) or "").strip()
        value = parse_value(digits)
        if value is None or _in_compound(sentence, match.start(), match.end()):
            continue
        end = match.end()
        unit = suffix
        if chinese and not suffix:
            unit_match = _ZH_UNIT.match(sentence, end)
            if unit_match:
                unit = unit_match.group(1)
                end = unit_match.end()
        if suffix in {"%", "％", "‰"} or _PERCENT_WORD.match(sentence, end):
            kind = "percent"
        elif re.fullmatch(r"1[0-9]{3}|20[0-9]{2}", digits) and unit in {"", "年"}:
            kind = "year"
        else:
            kind = "number"
        spans.append(NumberSpan(match.start(), end, sentence[match.start() : end], kind, unit, value))
    return spans


def _in_compound(sentence: str, start: int, end: int) -> bool:
    """Dates, ranges, phone numbers and versions ("2004-08", "2013/2014", "3.1.6"): not one number."""
    joiners = "-/–:."
    before = sentence[max(0, start - 2) : start]
    after = sentence[end : end + 2]
    return (len(before) == 2 and before[1] in joiners and before[0].isdigit()) or (
        len(after) == 2 and after[0] in joiners and after[1].isdigit()
    )
