"""Terms of the key's own kind, from the document itself: the only distractors worth offering.

A sibling of a key is a term the document puts beside it: an item of the same enumeration ("A, B
and C", A、B和C) or a term with the same head ("fault attack" / "side-channel attack", 半导体 / 导体).
A word that merely occurs in another sentence is never offered: that is how "骨骼肌" came to be a
choice for a product of fermentation.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from .inventory import Inventory

# Coordinated lists: items between commas (or 、) and a final "and"/"or" (和, 与, 及, 或).
_LATIN_LIST = re.compile(
    r"(?:[\w'’-]+(?: [\w'’-]+){0,3}, )+[\w'’-]+(?: [\w'’-]+){0,3},? (?:and|or|as well as|und|oder|et|ou|y|o) "
    r"[\w'’-]+(?: [\w'’-]+){0,3}"
    r"|[\w'’-]+(?: [\w'’-]+){0,2} (?:and|or|versus|vs\.|und|oder|et|ou) [\w'’-]+(?: [\w'’-]+){0,2}"
)
_CJK_LIST = re.compile(r"[^，。；：:、\s（）()]{2,16}(?:(?:、|和|与|及|以及|或|或者|跟)[^，。；：:、\s（）()]{2,16})+")
_LATIN_SPLIT = re.compile(r",\s*(?:and |or )?|\s(?:and|or|as well as|versus|vs\.|und|oder|et|ou|y|o)\s")
_CJK_SPLIT = re.compile(r"、|以及|或者|和|与|及|或|跟")


@dataclass(frozen=True)
class Sibling:
    text: str
    reason: str
    """ "list" or "head": why it is of the key's kind."""


class Siblings:
    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory
        self.rules = inventory.rules
        self._by_term: dict[str, list[frozenset[str]]] = {}

    def listed_with(self, key: str, others: int) -> set[str]:
        """The known terms of one enumeration that names the key and at least `others` more (印刷术、
        火药、指南针 beside 造纸术): of the key's own kind whatever their heads."""
        found: set[str] = set()
        for terms in self._enumerations(key.lower()):
            if len(terms) > others:
                found |= terms - {key.lower()}
        return found

    def _enumerations(self, low: str) -> list[frozenset[str]]:
        """The known terms of each list the term is an item of (itself included). Only paragraphs
        that name the term are read, once per term: the list pattern over a whole 117-page text was a
        third of the generator's own work, and an exam asks about a few dozen keys at most."""
        if low not in self._by_term:
            self._by_term[low] = [
                terms
                for paragraph, folded in self._paragraphs
                if low in folded
                for terms in self._lists_in(paragraph)
                if low in terms
            ]
        return self._by_term[low]

    @cached_property
    def _paragraphs(self) -> list[tuple[str, str]]:
        return [(paragraph, paragraph.lower()) for paragraph in self.inventory.doc.text.split("\n")]

    def _lists_in(self, paragraph: str) -> list[frozenset[str]]:
        known = self.inventory.known
        found: list[frozenset[str]] = []
        pattern, split = (_CJK_LIST, _CJK_SPLIT) if self.rules.cjk else (_LATIN_LIST, _LATIN_SPLIT)
        for match in pattern.finditer(paragraph):
            items = [self._item(piece) for piece in split.split(match.group(0))]
            if len(items) >= 2:
                # The list runs into its sentence at both ends: "…分为局域网", "指南针被称为…",
                # "runoff move water between …": its first and last items are the known terms there.
                items[0] = _longest(items[0], known, suffix=True, cjk=self.rules.cjk)
                items[-1] = _longest(items[-1], known, suffix=False, cjk=self.rules.cjk)
            terms = frozenset(item for item in items if item in known)
            if len(terms) >= 2:
                found.append(terms)
        return found

    def _item(self, piece: str) -> str:
        words = piece.strip().lower().split()
        while words and words[0] in self.rules.stop:
            words = words[1:]
        while words and words[-1] in self.rules.stop:
            words = words[:-1]
        return " ".join(words) if not self.rules.cjk else piece.strip().lower()

    @cached_property
    def heads(self) -> dict[str, list[str]]:
        by_head: defaultdict[str, list[str]] = defaultdict(list)
        for key in self.inventory.known:
            head = self.head(key)
            if head:
                by_head[head].append(key)
        return dict(by_head)

    def head(self, term: str) -> str:
        """The word that says what kind of thing a term is: its last word (Latin scripts), its last two
        characters in Chinese (半导体 and 导体 share 导体; a single shared character, as 晶体 and 多面体
        share 体, or 压缩性 and 不稳定性 share 性, says too little)."""
        low = term.lower()
        if self.rules.cjk:
            return low[-2:] if len(low) >= 3 else ""
        words = low.split()
        if not words:
            return ""
        last = words[-1].rstrip("s") if len(words[-1]) > 4 else words[-1]
        return last.split("-")[-1]

    def _kind_of_its_head(self, term: str) -> bool:
        """A same-head term names a kind of its head when its first word is a noun ("intelligence
        tests", "fault attack") or it is a name ("Simple Power Analysis"); an adjective in front
        ("mental tests", "individual tests") often only describes the same thing again."""
        words = term.split()
        if self.rules.cjk or len(words) < 2 or all(w[:1].isupper() for w in words):
            return True
        return self.rules.noun_key(words[0].lower())

    def of(self, key: str) -> list[Sibling]:
        """The key's siblings, the closest kin first: same-head terms, then list-mates. (Terms that
        are merely defined near each other are not: a glossary puts 等离子体 beside 磁感线.)"""
        low = key.lower()
        known = self.inventory.known
        chosen: dict[str, Sibling] = {}
        # Same head first: a list may mix kinds (带电粒子 beside 电中性), a head never does.
        head = self.head(low)
        for other in sorted(self.heads.get(head, ())):
            if (
                other != low
                and not _overlap(other, low)
                and (self.rules.cjk or len(other.split()) > 1 or len(low.split()) > 1)
                and self._kind_of_its_head(known[other])
            ):
                chosen.setdefault(other, Sibling(known[other], "head"))
        for other in sorted(self.listed_with(low, 1)):  # every list: each names two terms at least
            chosen.setdefault(other, Sibling(known[other], "list"))
        return [sibling for other, sibling in chosen.items() if other != low and not _overlap(other, low)]


def _longest(piece: str, known: dict[str, str], suffix: bool, cjk: bool) -> str:
    """The longest known term the piece ends with (suffix) or begins with; the piece itself if none."""
    units: list[str] = list(piece) if cjk else piece.split()
    joiner = "" if cjk else " "
    for size in range(len(units), 0, -1):
        part = joiner.join(units[-size:] if suffix else units[:size])
        if len(part) >= 2 and part in known:
            return part
    return piece


def _overlap(a: str, b: str) -> bool:
    return a in b or b in a
