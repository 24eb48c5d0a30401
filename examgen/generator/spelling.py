"""Words the document itself misspells: "surfae", "tranform", "mathemeticians".

Blind judges edit (or reject) a question whose stem repeats a typo of the source. A word is taken
for a typo when the language does not know it (wordfreq), the document writes it once, and one edit
away (a letter dropped, added, changed or two swapped) is a word the document writes correctly at
least twice. Longer and shorter forms of one word ("cyanobacteria"/"cyanobacterial") and British
and American spellings (-isation/-ization) are not typos.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_WORD = re.compile(r"[a-z]+")


def _one_edit(word: str) -> Iterator[str]:
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        if tail:
            yield head + tail[1:]
            if len(tail) > 1:
                yield head + tail[1] + tail[0] + tail[2:]
        for letter in _LETTERS:
            yield head + letter + tail
            if tail and letter != tail[0] and {letter, tail[0]} != {"s", "z"}:
                yield head + letter + tail[1:]


class Spelling:
    def __init__(self, text: str, zipf: Callable[[str], float]) -> None:
        self.counts: Counter[str] = Counter(_WORD.findall(text.lower()))
        self.zipf = zipf

    def misspelt(self, sentence: str) -> str | None:
        """The first word of the sentence that is a typo of another word of the document, or None."""
        words: list[str] = _WORD.findall(sentence.lower())
        for word in words:
            if len(word) < 5 or self.counts[word] != 1 or self.zipf(word) > 0:
                continue
            for other in _one_edit(word):
                if self.counts[other] >= 2 and not (other.startswith(word) or word.startswith(other)):
                    return word
        return None
