"""Which candidates an exam of n questions asks: every part of the document before any twice."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .candidate import Candidate
from .chars import is_cjk

_ALIKE = 0.6
"""Two sentences, the shorter of which shares this share of its words with the other, say much the
same ("Rubisco is the single greatest loss step in plant metabolism" and "The oxygenation reaction
… is the single greatest step in plant metabolism, as …"): one question."""


def _words(text: str) -> frozenset[str]:
    """Latin words of four letters and more, and pairs of adjacent ideographs."""
    ideographs = "".join(ch for ch in text if is_cjk(ch))
    pairs = {ideographs[i : i + 2] for i in range(len(ideographs) - 1)}
    return frozenset(pairs | {w.lower() for w in re.findall(r"[^\W\d_]{4,}", text)})


def _alike(one: frozenset[str], other: frozenset[str]) -> bool:
    return min(len(one), len(other)) >= 4 and len(one & other) >= _ALIKE * min(len(one), len(other))


def spread(
    candidates: Sequence[Candidate], count: int, usable: Callable[[Candidate], bool], near: int = 2
) -> list[Candidate]:
    """Up to `count` candidates: the best of each part of the document first (parts in the order of
    their best candidate), then a second round, and so on; never the same key twice. Two sentences
    within `near` of each other (one passage) are both asked about only when every part has had its
    turn and questions are still missing. Statements without a key (true/false only) come after the
    statements with one, at each of the two distances. Two sentences that say much the same (most
    of their words shared) are never both asked about."""
    chosen: list[Candidate] = []
    rejected: set[int] = set()  # candidates `usable` refused: never asked again
    tiers = ([c for c in candidates if not c.key.blank], [c for c in candidates if c.key.blank])
    for distance in (near, 0):
        for tier in tiers:
            _spread(tier, count, usable, distance, chosen, rejected)
    return sorted(chosen, key=lambda c: c.statement.sentence.start)


def _spread(
    candidates: Sequence[Candidate],
    count: int,
    usable: Callable[[Candidate], bool],
    distance: int,
    chosen: list[Candidate],
    rejected: set[int],
) -> None:
    keys = {c.key.name.lower() or c.sentence_text for c in chosen}
    places = [c.statement.sentence.index for c in chosen]
    said = [_words(c.sentence_text) for c in chosen]
    by_part: dict[int, list[Candidate]] = {}
    for candidate in sorted(candidates, key=lambda c: (-c.score, c.statement.sentence.index)):
        if candidate not in chosen and id(candidate) not in rejected:
            by_part.setdefault(candidate.part, []).append(candidate)
    order = sorted(by_part, key=lambda part: -by_part[part][0].score)
    added = True
    while added and len(chosen) < count:
        added = False
        for part in order:
            if len(chosen) >= count:
                break
            for candidate in list(by_part[part]):
                index = candidate.statement.sentence.index
                name = candidate.key.name.lower() or candidate.sentence_text
                if name in keys or any(abs(index - at) <= distance for at in places):
                    continue
                words = _words(candidate.sentence_text)
                if any(_alike(words, other) for other in said):
                    continue
                by_part[part].remove(candidate)
                if not usable(candidate):
                    rejected.add(id(candidate))
                    continue
                name = candidate.key.name.lower() or candidate.sentence_text
                if name in keys:
                    continue  # completing it gave it another key (one with siblings), already asked
                chosen.append(candidate)
                keys.add(name)
                places.append(index)
                said.append(words)
                added = True
                break
