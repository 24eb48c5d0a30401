"""False statements that are really false and read naturally: only from contrasts the text draws.

A statement is made false by swapping one side of a contrast the document itself draws for the
other: a pair of opposites it uses both of ("aerobic"/"anaerobic", 增加/减少), a term and its
negated form (晶体/非晶体, "linear"/"nonlinear"), the term a definition defines for a term the
document defines in parallel (单晶：… -> 多晶：…), or a quantity changed with its unit kept. The
result must not be a sentence the document states anywhere. When no such swap exists, the
statement is asked as a true one, or as another type: never made false by a random substitution.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from .inventory import Inventory
from .siblings import Siblings
from .statements import Statement
from .terms import find_numbers, parse_value

# A sentence that draws a conclusion from its own premise ("…垂直于传播方向，故…是横波").
_REASONING = re.compile(
    r"[，,]\s*(?:故|所以|因此|因而|于是|从而)|\b(?:therefore|thus|hence|so that|which means)\b", re.IGNORECASE
)
# A means and its aim ("通过加入检测和重传机制，提高可靠性", "used to increase the yield"): swapped, the
# aim turns absurd ("…，降低可靠性"), a false statement every student sees through.
_PURPOSE = re.compile(
    r"(?:通过[^。；]*[，,]\s*|为了\s*|以便\s*|用于\s*|用来\s*|旨在\s*)$"
    r"|\b(?:in order to|so as to|used to|designed to|serves? to|helps? to|aims? to|intended to)\s+$",
    re.IGNORECASE,
)
# Directional and resultative complements that follow a Chinese verb.
_COMPLEMENTS = frozenset("出入进起下上回开")


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


def _alike(one: str, other: str) -> bool:
    """Two descriptions that say much the same (a quarter of their character pairs, or a long common
    run): swapping their terms would leave the statement true."""
    pairs_one = {one[i : i + 2] for i in range(len(one) - 1)}
    pairs_other = {other[i : i + 2] for i in range(len(other) - 1)}
    shared = len(pairs_one & pairs_other) / max(1, len(pairs_one | pairs_other))
    return shared >= 0.25 or SequenceMatcher(None, one, other).ratio() >= 0.5


def _in_brackets(text: str, at: int) -> bool:
    before = text[:at]
    return before.count("(") > before.count(")") or before.count("（") > before.count("）")


def _case_like(word: str, model: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


class Falsifier:
    def __init__(self, inventory: Inventory, siblings: Siblings) -> None:
        self.inventory = inventory
        self.siblings = siblings
        self.rules = inventory.rules
        self.folded = _fold(inventory.doc.text)

    def states(self, text: str) -> bool:
        """The document says this sentence (or one containing it) somewhere."""
        return _fold(text) in self.folded

    def false_version(self, statement: Statement, key: tuple[int, int] | None = None) -> str | None:
        """The statement made false, or None. `key` is the span of the term the statement is about:
        only that term is swapped for its negated form (a negation elsewhere in a sentence may leave
        it true: neutrons probe amorphous solids too)."""
        found = self._by_contrast(statement) or self._by_definition(statement)
        # Only the term the statement is about, as its subject: "phonons in amorphous solids" may
        # still be true where "phonons in crystals" was said.
        if found is None and key is not None and key[0] < key[1] and (key[0] == 0 or statement.kind == "definition"):
            found = self._by_negation(statement, key)
        if found is None:
            found = self._by_number(statement)
        return found if found is not None and not self.states(found) else None

    def _spans(self, text: str, word: str) -> list[tuple[int, int]]:
        if self.rules.cjk:
            return [(m.start(), m.end()) for m in re.finditer(re.escape(word), text)]
        pattern = r"(?<![\w-])" + re.escape(word) + r"(?![\w-])"
        return [(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE)]

    def _by_contrast(self, statement: Statement) -> str | None:
        """One side of a pair of opposites the document uses both of, swapped for the other. Not in a
        sentence that reasons ("…垂直于传播方向，故…是横波"): the swap would contradict its own premise."""
        text = statement.sentence.text
        if _REASONING.search(text):
            return None
        for first, second in self.rules.contrasts:
            for one, other in ((first, second), (second, first)):
                spans = self._spans(text, one)
                if len(spans) != 1 or self._spans(text, other) or not self.inventory.positions(other):
                    continue
                if self.rules.cjk and not self._cjk_whole(text, spans[0], one, other):
                    continue
                start, end = spans[0]
                if _in_brackets(text, start):
                    continue  # "(or higher)" -> "(or lower)": an aside, not what the statement claims
                if self._still_says(text, start, end, one, other) or _PURPOSE.search(text[:start]):
                    continue
                return text[:start] + _case_like(other, text[start:end]) + text[end:]
        return None

    def _still_says(self, text: str, start: int, end: int, one: str, other: str) -> bool:
        """The rest of the sentence keeps the side being swapped out, and so contradicts the swap:
        "内中断……来自处理器内部" made "…外部" gives itself away by its own term (内中断), as does
        "internal interrupts … from outside" by its stem."""
        rest = text[:start] + " " + text[end:]
        if self.rules.cjk:
            own = [c for c in one if c not in other]
            return len(own) == 1 and own[0] in rest
        stem = one.lower()[: max(4, len(one) - 3)]
        return re.search(r"(?<![\w-])" + re.escape(stem), rest.lower()) is not None

    def _cjk_whole(self, text: str, span: tuple[int, int], one: str, other: str) -> bool:
        """In Chinese a contrast word inside a longer word is not that word ("正" in "正常", "放出" in "释放出")."""
        from .keyphrases_zh import cuts_word  # jieba loads on first use

        start, end = span
        if len(one) == 1 or len(other) == 1 or cuts_word(text, start, end):
            return False
        if text[end : end + 1] in _COMPLEMENTS:
            return False  # "释放出" -> "吸收出": a verb's directional complement fits one side only
        longer = [t for t in self.inventory.known if one in t and t != one and len(t) > len(one)]
        return not any(text.find(t, max(0, start - len(t)), end + len(t)) >= 0 for t in longer)

    def _by_definition(self, statement: Statement) -> str | None:
        """The defined term swapped for a term the document defines beside it (same list, same head)."""
        if statement.kind != "definition" or statement.term is None:
            return None
        start, end = statement.term
        text = statement.sentence.text
        for sibling in self.siblings.of(statement.name):
            other = sibling.text
            if other.lower() not in self.inventory.defined:
                continue
            # The sibling's own definition must differ: two names of one thing, or two models that
            # share their description (Drude's and Sommerfeld's free electron gas), would stay true.
            bodies = [_fold(s.body) for s in self.inventory.defined[other.lower()]]
            own = _fold(statement.body)
            if any(_alike(own, body) for body in bodies) or other.lower() in text.lower():
                continue
            return text[:start] + _case_like(other, text[start:end]) + text[end:]
        return None

    def _by_negation(self, statement: Statement, key: tuple[int, int]) -> str | None:
        """The key swapped for its negated form the document also uses, or back (晶体/非晶体)."""
        text = statement.sentence.text
        start, end = key
        term = text[start:end].lower()
        known = self.inventory.known
        for prefix in self.rules.opposite_prefixes:
            if term.startswith(prefix) and term[len(prefix) :] in known:
                swap = known[term[len(prefix) :]]
            elif prefix + term in known:
                swap = known[prefix + term]
            else:
                continue
            if swap.lower() in text.lower() or (start > 0 and text[start - 1 : start] in self.rules.opposite_prefixes):
                continue
            return text[:start] + _case_like(swap, text[start:end]) + text[end:]
        return None

    def _by_number(self, statement: Statement) -> str | None:
        """A quantity with its unit changed to another value of the same unit the document gives,
        or to twice or half of it, written the same way."""
        text = statement.sentence.text
        numbers = [
            n
            for n in find_numbers(text, chinese=self.rules.cjk)
            if n.kind != "year" and self._measured(text, n.start, n.end)
        ]
        if len(numbers) != 1:
            return None
        number = numbers[0]
        digits = re.search(r"\d[\d.,]*", number.text)
        if digits is None or number.value <= 0:
            return None
        value = number.value * (2 if number.value < 50 or number.kind != "percent" else 0.5)
        shown = f"{value:g}" if "." in digits.group(0) else str(round(value))
        if number.kind == "percent" and value >= 100:
            return None
        replaced = number.text.replace(digits.group(0), shown, 1)
        if parse_value(shown) == number.value:
            return None
        return text[: number.start] + replaced + text[number.end :]

    def _measured(self, text: str, start: int, end: int) -> bool:
        """A unit follows the number ("42 stations", "750 nm", "20 %", 三十年): a quantity, not a label."""
        after = re.match(r"\s?(%|％|‰|°C|℃|[^\W\d_]{1,12})", text[end:])
        if after is None:
            return False
        before = re.findall(r"[^\W\d_]+", text[:start])[-1:]
        return not (before and before[0].lower() in self.rules.number_context)
