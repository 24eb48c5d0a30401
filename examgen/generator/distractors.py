"""Wrong options taken from the same document, of the same kind and shape as the key.

A distractor must be plausible (same kind: a year for a year, a name for a name, a German noun for
a German noun with a likely-same gender) and unambiguous (never equal to, inside or containing the
key, never already visible in the sentence, never turning the sentence into another true sentence
of the document).
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from .english import can_be_noun
from .stopwords import DETERMINERS_DE
from .terms import Analysis, Occurrence, Term, parse_value

_POOL_LIMIT = 400  # per kind: the best-scored terms are the plausible ones, and it bounds the work
_FEMININE = ("ung", "heit", "keit", "schaft", "ion", "tät", "ie", "ik", "ur", "enz", "anz")
_MASCULINE = ("ismus", "ling", "or", "ant", "ent", "ist", "er")
_NEUTER = ("chen", "lein", "um", "ment", "nis", "tum")
_PLURAL_ONLY = frozenset({"alle", "allen", "aller", "beide", "beiden"})
# Chinese kinds whose swaps keep the sentence natural: names of people, places, organisations, times.
_ZH_ENTITIES = frozenset({"zh:person", "zh:place", "zh:org", "zh:time"})
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_PLURAL_ENDINGS = ("ungen", "heiten", "keiten", "schaften", "ionen", "täten", "ismen")


def _gender(word: str) -> str:
    low = word.lower()
    for label, endings in (("n", _NEUTER), ("f", _FEMININE), ("m", _MASCULINE)):
        if low.endswith(endings):
            return label
    return "?"


def _number(term: Term, singulars: frozenset[str], before: str = "") -> str:
    """Singular or plural of a German noun phrase: from the determiner in front of it in this sentence,
    else from the determiners the document uses with it, else from its ending; `singulars` are the
    document's nouns, so "Gruppen" is plural when "Gruppe" occurs too."""
    if before.startswith(("ein", "jede")):
        return "sg"
    if before in _PLURAL_ONLY:
        return "pl"
    head = term.text.split()[-1].lower().rsplit("-", 1)[-1]  # "Lie-Gruppen": the number is in "Gruppen"
    stripped = {head[: -len(end)] for end in ("en", "n", "e", "er", "s") if head.endswith(end)}
    if term.articles & _PLURAL_ONLY or head.endswith(_PLURAL_ENDINGS) or stripped & singulars:
        return "pl"
    if any(a.startswith(("ein", "jede")) for a in term.articles) or head.endswith(_FEMININE):
        return "sg"
    return "?"


def _overlaps(a: str, b: str) -> bool:
    return a in b or b in a


class DistractorFinder:
    def __init__(self, analysis: Analysis, lang: str, document_text: str) -> None:
        self.lang = lang
        self.text_lower = document_text.lower()
        pools: defaultdict[str, list[Term]] = defaultdict(list)
        for term in sorted(analysis.terms.values(), key=lambda t: (-t.score, t.key)):
            if len(pools[term.kind]) < _POOL_LIMIT:
                pools[term.kind].append(term)
        self.pools = dict(pools)
        self.by_text = {t.text.lower(): t for kind in pools.values() for t in kind}
        self.best = max((t.score for t in analysis.terms.values()), default=1.0) or 1.0
        self.used: Counter[str] = Counter()
        self.nouns = frozenset(
            t.text.split()[-1].lower().rsplit("-", 1)[-1] for t in analysis.terms.values() if t.kind == "term"
        )

    def find(
        self, sentence: str, occurrence: Occurrence, rng: random.Random, position: float = 0.5, want: int = 3
    ) -> list[str]:
        """Up to `want` distractors, most plausible first, already in the key's letter case.
        position (0..1) is where the sentence stands in the document."""
        term, surface = occurrence.term, occurrence.surface(sentence)
        if term.kind in {"year", "number", "percent"}:
            found = self._numbers(term, surface, sentence, rng, want)
        else:
            before = _word_before(sentence[: occurrence.start])
            found = self._terms(term, surface, sentence, before, position, want)
        at_start = not sentence[: occurrence.start].strip(" \"'“„‘«(")
        return [self._case_like(d, surface, at_start) for d in found]

    def _acceptable(self, candidate: str, chosen: list[str], surface: str, sentence_lower: str) -> bool:
        low = candidate.lower()
        if not low or _overlaps(low, surface.lower()) or low in sentence_lower:
            return False
        return not any(_overlaps(low, other.lower()) for other in chosen)

    def _terms(self, term: Term, surface: str, sentence: str, before: str, position: float, want: int) -> list[str]:
        sentence_lower = sentence.lower()
        scored = []
        for other in self.pools.get(term.kind, ()):
            if other.key == term.key or abs(other.words - term.words) > 1 or "'s" in other.key or "’s" in other.key:
                continue  # possessives ("event's position") do not stand alone as options
            if before in {"a", "an"} and (before == "an") != (other.text[:1].lower() in "aeiou"):
                continue  # "an _____" takes "an impression", never "an font"
            if not self._acceptable(other.text, [], surface, sentence_lower):
                continue
            similarity = self._similarity(term, surface, other, before, position)
            if similarity is not None:
                # Spread distractors over the exam instead of offering the same favourite everywhere.
                scored.append((similarity - 0.7 * self.used[other.key], other.key, other.text))
        scored.sort(key=lambda item: (-item[0], item[1]))
        chosen: list[str] = []
        for _, _, text in scored:
            if len(chosen) == want:
                break
            if self._acceptable(text, chosen, surface, sentence_lower) and not self._makes_true(
                sentence, surface, text
            ):
                chosen.append(text)
        self.used.update(text.lower() for text in chosen)
        return chosen

    def _similarity(self, term: Term, surface: str, other: Term, before: str, position: float) -> float | None:
        if self.lang == "de":
            # Noun for noun with as many words; adjectives (alone or before the noun) only with the
            # same ending, so the sentence still agrees.
            if other.shape != term.shape:
                return None
        elif not term.kind.startswith("zh:") and term.shape.rsplit(":", 1)[-1] != other.shape.rsplit(":", 1)[-1]:
            return None  # singular for singular, plural for plural
        shared = _common_suffix(surface.lower(), other.text.lower())
        if term.kind.startswith("zh:"):
            # jieba's flags are noisy; a shared head character ("造纸术"/"印刷术", "局域网"/"广域网")
            # says more about being the same kind of thing.
            score = 0.5 if other.shape == term.shape else 0.0
            score += min(shared, 2)
        else:
            score = 2.0 if other.shape == term.shape else 0.0
            score += 1.0 if other.words == term.words else 0.0
            # Students confuse German compounds with the same head noun ("Teilraumtopologie",
            # "Zariski-Topologie"). In English four shared letters are a suffix, not a head
            # ("structure"/"denature", "relationship"/"membership"), so they earn nothing.
            score += 3.0 if shared >= 4 and self.lang == "de" else 0.0
        score -= 1.5 * abs(len(other.text) - len(surface)) / max(len(other.text), len(surface))
        score += other.score / self.best
        # Terms from the same part of the course are about the same topic.
        score += 1.0 - min(2.0, other.distance(position) / 0.15)
        same_head = shared >= 4
        if self.lang == "de" and before in DETERMINERS_DE and not same_head:
            # "der _____" wants a noun the document itself writes with "der" (a shared head noun,
            # "Innenwinkel"/"Außenwinkel", has the same gender anyway).
            if other.articles and before not in other.articles:
                return None
            score += 2.0 if before in other.articles else -1.5
        if self.lang == "de" and {_number(term, self.nouns, before), _number(other, self.nouns)} == {"sg", "pl"}:
            return None  # "die _____ ist" takes a singular
        if self.lang == "de" and surface[:1].isupper():
            score += 1.0 if _gender(surface.split()[-1]) == _gender(other.text.split()[-1]) != "?" else 0.0
        return score

    def false_statement(self, sentence: str, occurrence: Occurrence, distractors: Sequence[str]) -> str | None:
        """The first distractor that can replace the key in a statement meant to be false: a term of
        the same kind, shape and number of words (so the sentence still reads right), not giving the
        sentence back as the document states it elsewhere. None when no swap is safe."""
        term, surface = occurrence.term, occurrence.surface(sentence)
        if term.kind.startswith("zh:") and term.kind not in _ZH_ENTITIES:
            return None  # jieba's noun tags are too noisy for a swap that reads right ("全长约" -> "保护伞")
        around = (
            sentence[max(0, occurrence.start - 2) : occurrence.start] + sentence[occurrence.end : occurrence.end + 2]
        )
        titled = sentence[occurrence.start - 1 : occurrence.start] == "《"
        for text in distractors:
            if titled and f"《{text.lower()}》" not in self.text_lower:
                continue  # a book title is swapped only for another title of the text
            if term.kind in {"year", "number", "percent"}:
                # Numbers come from the document or from nearby values written like the key: the
                # same unit and format, so only the value changes.
                if _DIGITS.sub("#", text) == _DIGITS.sub("#", surface) and not self._makes_true(
                    sentence, surface, text
                ):
                    return text
                continue
            other = self.by_text.get(text.lower())
            if other is None or other.kind != term.kind or other.shape != term.shape or other.words != term.words:
                continue
            if term.kind.startswith("zh:") and set(text) & set(around):
                continue  # "低温和低氧" -> "低温和温度": a character of the swap repeats its neighbour
            if self.lang == "en" and term.kind == "term" and not can_be_noun(text.split()[-1]):
                continue
            if not self._makes_true(sentence, surface, text):
                return text
        return None

    def _makes_true(self, sentence: str, surface: str, replacement: str) -> bool:
        """Swapping in the distractor must not produce a sentence the document also states."""
        swapped = sentence.replace(surface, replacement, 1).lower()
        return swapped in self.text_lower

    def _numbers(self, term: Term, surface: str, sentence: str, rng: random.Random, want: int) -> list[str]:
        value = parse_value(re.sub(r"[^\d.,]", "", surface)) or 0.0
        sentence_lower = sentence.lower()
        scored = []
        for other in self.pools.get(term.kind, ()):
            other_value = parse_value(re.sub(r"[^\d.,]", "", other.text))
            if other_value is None or other_value == value or other.shape != term.shape:
                continue
            if bool(re.match(r"0\d", other.text)) != bool(re.match(r"0\d", surface)):
                continue  # "02" is a label, not a count, unless the key is written that way too
            if not _plausible(term.kind, value, other_value):
                continue
            scored.append((abs(other_value - value), other.text))
        scored.sort()
        chosen: list[str] = []
        for _, text in scored:
            if len(chosen) < want and self._acceptable(text, chosen, surface, sentence_lower):
                chosen.append(text)
        # Too few in the document: nearby values in the key's own format are the classic foils.
        for text in _nearby(term.kind, surface, value, rng):
            if len(chosen) >= want:
                break
            if self._acceptable(text, chosen, surface, sentence_lower):
                chosen.append(text)
        return chosen

    def _case_like(self, distractor: str, surface: str, at_start: bool) -> str:
        if at_start and surface[:1].isupper() and distractor[:1].islower():
            return distractor[:1].upper() + distractor[1:]
        return distractor


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _word_before(prefix: str) -> str:
    """The word before the blank, looking past "nicht"/"auch" ("jeder nicht anliegende ...")."""
    if not prefix[-1:].isspace():
        return ""  # a quote or bracket stands between
    words = re.findall(r"\w+", prefix[-60:].lower())
    while len(words) > 1 and words[-1] in {"nicht", "auch", "noch", "nur"}:
        words.pop()
    return words[-1] if words else ""


def _plausible(kind: str, value: float, other: float) -> bool:
    if kind == "year":
        return abs(other - value) <= 60
    if kind == "percent":
        return 0 <= other <= 100 and abs(other - value) <= 40
    if value == 0 or other == 0:
        return False
    ratio = other / value
    return 0.2 <= ratio <= 5


def _nearby(kind: str, surface: str, value: float, rng: random.Random) -> list[str]:
    match = re.search(r"\d[\d.,]*", surface)
    if match is None:
        return []
    digits = match.group(0)
    if kind == "year":
        steps = rng.sample([1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20], 6)
        values = [value + s * rng.choice((-1, 1)) for s in steps]
    elif kind == "percent":
        values = [v for v in (value + d for d in rng.sample([-20, -15, -10, -5, 5, 10, 15, 20], 6)) if 0 < v < 100]
    else:
        values = [value * f for f in rng.sample([0.5, 0.75, 1.25, 1.5, 2.0, 3.0], 6)]
    return [surface.replace(digits, _format_like(digits, v), 1) for v in values if v > 0 and v != value]


def _format_like(digits: str, value: float) -> str:
    """Render value the way the key is written: decimals, decimal comma, thousands separators."""
    decimals = 0
    comma_decimal = bool(re.fullmatch(r"\d+,\d{1,2}", digits))
    tail = re.search(r"[.,](\d+)$", digits)
    if tail and not re.fullmatch(r"\d{1,3}(?:,\d{3})+", digits):
        decimals = len(tail.group(1))
    text = f"{value:,.{decimals}f}" if "," in digits and not comma_decimal else f"{value:.{decimals}f}"
    return text.replace(".", ",") if comma_decimal else text
