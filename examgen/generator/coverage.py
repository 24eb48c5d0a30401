"""Which candidates an exam of n questions asks: every part of the document before any twice."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .candidate import Candidate


def spread(
    candidates: Sequence[Candidate], count: int, usable: Callable[[Candidate], bool], near: int = 2
) -> list[Candidate]:
    """Up to `count` candidates: the best of each part of the document first (parts in the order of
    their best candidate), then a second round, and so on; never the same key twice. Two sentences
    within `near` of each other (one passage) are both asked about only when every part has had its
    turn and questions are still missing. Statements without a key (true/false only) come after the
    statements with one, at each of the two distances."""
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
                by_part[part].remove(candidate)
                if not usable(candidate):
                    rejected.add(id(candidate))
                    continue
                chosen.append(candidate)
                keys.add(name)
                places.append(index)
                added = True
                break
