"""A fair share of the cap for every owner (token): the bookkeeping around the claim.

The claim (lease_lua.CLAIM) gives the next free slot to the owner with the lowest virtual time, its
oldest job; each claim moves that owner's time on by STRIDE / weight (a stride scheduler). RQ's
list stays the list of every waiting job, so `rq info` and rq-dashboard see them all; each
owner's list beside it holds the same jobs in the order the claim takes them. This module keeps
the two consistent (cancel, adoption of jobs only RQ's list holds), reads the per-owner counts
and says where a waiting job stands in the order the claim will follow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from redis import Redis
from redis.client import Pipeline
from redis.commands.core import Script
from rq.job import Job

from examgen.core import fair_lua, keys
from examgen.core.slots import STRIDE

_forget = Script(None, fair_lua.FORGET.encode())  # type: ignore[arg-type]
_adopt = Script(None, fair_lua.ADOPT.encode())  # type: ignore[arg-type]
_owners = Script(None, fair_lua.OWNERS.encode())  # type: ignore[arg-type]
_places = Script(None, fair_lua.PLACES.encode())  # type: ignore[arg-type]

MAX_WEIGHT = 1000
# Most jobs of RQ's list one adoption looks at (it runs every reaper round, only when needed).
ADOPT_SCAN = 10_000


@dataclass(frozen=True)
class Owner:
    name: str
    pass_: float | None
    """Virtual time of the owner's next claim; None when nothing of it waits."""
    weight: int
    waiting: int
    running: int
    oldest_wait_s: float
    """How long its oldest waiting job has waited; 0 when none waits."""


def set_weight(connection: Redis, owner: str, weight: int) -> None:
    """The owner's share of the cap relative to others (1 is everyone's default)."""
    if not 1 <= weight <= MAX_WEIGHT:
        raise ValueError(f"a weight is a whole number from 1 to {MAX_WEIGHT}")
    if weight == 1:
        connection.hdel(keys.fair_weights, owner)
    else:
        connection.hset(keys.fair_weights, owner, weight)


def forget(connection: Redis, job_id: str) -> None:
    """Take a job the caller removed from RQ's list (a cancel) out of its owner's list too."""
    _forget(
        keys=[keys.queue, keys.fair_waiting_owner, keys.fair_ring, keys.fair_passes],
        args=[job_id, keys.fair_owner_list_prefix, keys.fair_owner_list_suffix],
        client=connection,
    )


def adopt(connection: Redis, queue_key: str = keys.queue) -> int:
    """Give jobs only RQ's list holds (requeued through rq-dashboard, queued before fair shares)
    to the no-owner list, so they get turns; how many were adopted."""
    return int(
        _adopt(
            keys=[
                queue_key,
                keys.fair_waiting_owner,
                keys.fair_ring,
                keys.fair_passes,
                keys.fair_clock,
                keys.owner_waiting(keys.NO_OWNER),
            ],
            args=[keys.NO_OWNER, ADOPT_SCAN],
            client=connection,
        )
    )


def _parse_rq_time(raw: bytes) -> float | None:
    try:
        return datetime.fromisoformat(raw.decode().replace("Z", "+00:00")).replace(tzinfo=UTC).timestamp()
    except ValueError:
        return None


def owners(connection: Redis) -> list[Owner]:
    """Every owner with waiting or running jobs, in the order of their turns (then running only)."""
    with connection.pipeline(transaction=False) as pipe:
        owners_in(pipe)
        rows, now = pipe.execute()
    return owners_from(rows, now)


def owners_in(pipeline: Pipeline) -> None:
    """Queue the owners' read and Redis' time (EVAL in a pipeline: see stats.note_enqueued)."""
    script_keys = [keys.fair_ring, keys.fair_weights, keys.fair_running]
    pipeline.eval(
        fair_lua.OWNERS,
        len(script_keys),
        *script_keys,
        keys.fair_owner_list_prefix,
        keys.fair_owner_list_suffix,
        Job.redis_job_namespace_prefix,
    )
    pipeline.time()


def owners_from(rows: list[list[bytes]], time: tuple[int, int]) -> list[Owner]:
    now = time[0] + time[1] / 1e6
    found = []
    for name, pass_, weight, waiting, running, enqueued in rows:
        oldest = _parse_rq_time(enqueued) if enqueued else None
        found.append(
            Owner(
                name.decode(),
                float(pass_) if pass_ else None,
                int(weight),
                int(waiting),
                int(running),
                round(max(now - oldest, 0.0), 3) if oldest is not None else 0.0,
            )
        )
    return found


def places_in(pipeline: Pipeline, job_ids: list[str]) -> None:
    """Queue what places_from needs: each job's owner and index, the owners, RQ's positions."""
    pipeline.eval(
        fair_lua.PLACES, 1, keys.fair_waiting_owner, keys.fair_owner_list_prefix, keys.fair_owner_list_suffix, *job_ids
    )
    owners_in(pipeline)
    for job_id in job_ids:
        pipeline.lpos(keys.queue, job_id)


def places_from(results: list[Any], count: int) -> list[int | None]:
    """1-based places in the order the claim will follow (None when not waiting), from the
    `count` + 3 replies places_in queued."""
    found, rows, now = results[:3]
    ring = owners_from(rows, now)
    places: list[int | None] = []
    for (owner, index), in_rq in zip(found, results[3 : 3 + count], strict=True):
        if in_rq is None:
            places.append(None)
        elif int(index) >= 0:
            places.append(ahead(ring, owner.decode(), int(index)) + 1)
        else:
            # Only RQ's list holds it: taken FIFO once no owner waits (or adopted before that).
            places.append(sum(o.waiting for o in ring) + int(in_rq) + 1)
    return places


def place_at(ring: Sequence[tuple[str, float, int, int]], owner: str, index: int) -> int:
    """The 1-based place of the job at `index` of `owner`'s list, given the ring (name, virtual
    time, weight, waiting): a submission knows its index, it was pushed at the tail (lua.SUBMIT)."""
    owners = [Owner(name, pass_, weight, waiting, 0, 0.0) for name, pass_, weight, waiting in ring]
    return ahead(owners, owner, index) + 1


def places(connection: Redis, job_ids: list[str]) -> list[int | None]:
    """Each job's place in the order the claim will follow, in one round trip."""
    with connection.pipeline(transaction=False) as pipe:
        places_in(pipe, job_ids)
        return places_from(pipe.execute(), len(job_ids))


def ahead(ring: list[Owner], owner: str, index: int) -> int:
    """Jobs the claim takes before the one at `index` of `owner`'s list.

    The claim takes the owner with the lowest virtual time (ties by name), so that job is taken at
    the owner's time + index strides; every other owner's jobs whose turns fall before it go first.
    Not foreseen: owners held back by EXAMGEN_MAX_RUNNING_PER_TOKEN, and owners yet to arrive.
    """
    me = next((o for o in ring if o.name == owner and o.pass_ is not None), None)
    if me is None or me.pass_ is None:
        return index
    turn = me.pass_ + index * STRIDE / me.weight
    count = index
    for other in ring:
        if other.name == owner or other.pass_ is None or other.pass_ > turn:
            continue
        stride = STRIDE / other.weight
        steps = (turn - other.pass_) / stride
        whole = int(steps + 1e-9)
        # A tie goes to the name ZRANGE sorts first.
        before = whole + (1 if abs(steps - whole) > 1e-9 or other.name < owner else 0)
        count += min(other.waiting, before)
    return count
