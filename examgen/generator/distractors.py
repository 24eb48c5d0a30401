"""Distractors for a multiple-choice question: siblings of the key the document itself names
(siblings.py), written as the key is written, none that would make the stem true as well."""

from __future__ import annotations

import itertools
import re

from .candidate import Candidate
from .falsify import Falsifier
from .inventory import Inventory
from .siblings import Siblings

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


class Distractors:
    def __init__(self, inventory: Inventory, siblings: Siblings, falsifier: Falsifier) -> None:
        self.inventory = inventory
        self.rules = inventory.rules
        self.siblings = siblings
        self.falsifier = falsifier

    def of(self, candidate: Candidate, want: int = 3) -> list[str]:
        key, text = candidate.key, candidate.sentence_text
        lower = text.lower()
        chosen: list[str] = []
        for sibling in self.siblings.of(key.name):
            if not self._good_sibling(sibling.text, key.name):
                continue
            option = self._shaped(sibling.text, candidate)
            if option is None or option.lower() in lower:
                continue
            if any(o.lower() in option.lower() or option.lower() in o.lower() for o in chosen):
                continue
            if self.falsifier.states(candidate.with_key(option)):
                continue  # the stem is as true with this option: two right answers
            chosen.append(option)
            if len(chosen) == want:
                break
        return chosen

    def _good_sibling(self, sibling: str, key: str) -> bool:
        """A term the document really uses (twice, or defines), written as a term ("immigration
        Policy" and "Balance material dispersion" are not), and not the key said another way
        ("Germany's eugenic movement" for "German eugenics movement")."""
        low = sibling.lower()
        if self.inventory.long and self.inventory.stats(sibling).count < 2 and low not in self.inventory.defined:
            return False
        if self.rules.cjk:
            if re.match(r"[一二三四五六七八九十两几个每各该此这那]", sibling) or not self.rules.is_noun(sibling):
                return False
            # The same head morpheme (带电粒子 / 中性粒子, not 电中性; 磁场 / 电场, not 梯度) and about the
            # key's length (世界反法西斯战争 beside 抗日战争 is a throw-away), or one enumeration with it.
            same_head = sibling[-1:] == key[-1:] and 0.6 <= len(sibling) / max(1, len(key)) <= 1.6
            if not same_head and low not in self.siblings.listed_with(key, 3):
                return False
            from .keyphrases_zh import stands_as_word  # jieba loads on first use

            return low in self.inventory.known and stands_as_word(sibling, self.inventory.doc.text)
        words = sibling.split()
        if any(a[:1].islower() and b[:1].isupper() for a, b in itertools.pairwise(words)):
            return False
        if words[0].lower() in self.rules.verbs or (words[0].islower() and self.rules.verb_or_adverb(words[0])):
            return False
        return not _same_stems(sibling, key, self.rules.stop)

    def _shaped(self, sibling: str, candidate: Candidate) -> str | None:
        """The sibling written as the key is (a name in brackets when the key has one, the key's
        number and article, its capital at the start of the sentence), or None when it cannot be."""
        key, answer = candidate.key, candidate.answer
        if self.inventory.is_generic(sibling) or not 0.4 <= len(sibling) / max(1, len(key.name)) <= 2.6:
            return None
        option = sibling
        if key.also:
            named = re.search(
                re.escape(sibling) + r"\s?[(（]([^()（）]{1,24})[)）]", self.inventory.doc.text, re.IGNORECASE
            )
            if named is None:
                return None
            option = named.group(0)
        if not self.rules.cjk:
            last, key_last = option.split()[-1].strip("()"), key.name.split()[-1]
            if self.rules.is_plural(last) != self.rules.is_plural(key_last):
                return None
            before = re.findall(r"\w+", candidate.sentence_text[: key.start].lower())[-1:]
            if before and before[0] in ("a", "an") and (before[0] == "an") != (option[:1].lower() in "aeiou"):
                return None
            if answer[:1].isupper() and key.start == 0:
                option = option[:1].upper() + option[1:]
        return option


def _same_stems(a: str, b: str, stop: frozenset[str]) -> bool:
    """One phrase is the other in other words: every content word of the shorter shares its first five
    letters with a word of the longer ("Germany's eugenic movement" / "German eugenics movement")."""

    def stems(text: str) -> set[str]:
        return {w.lower()[:5] for w in _WORD.findall(text) if w.lower() not in stop and len(w) > 2}

    first, second = stems(a), stems(b)
    return bool(first and second) and (first <= second or second <= first)
