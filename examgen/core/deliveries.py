"""Webhook deliveries in Redis: written at submission, made due at the job's end, claimed by one
sender at a time, each attempt recorded under a fencing token (scripts: examgen.core.delivery_lua).

The attempts live in their own keys (keys.delivery, keys.delivery_attempts), not in the job's meta:
RQ's save_meta rewrites the whole meta, so a sender appending there would race the job function's
progress, the worker's error and the dashboard's re-run marks, and one would clobber another.
"""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass, field
from typing import Any

from redis import Redis
from redis.client import Pipeline
from redis.commands.core import Script
from redis.exceptions import RedisError
from rq.job import Job
from rq.utils import as_text

from examgen.core import delivery_lua, keys
from examgen.core.settings import get_settings

_due = Script(None, delivery_lua.DUE.encode())  # type: ignore[arg-type]
_claim = Script(None, delivery_lua.CLAIM.encode())  # type: ignore[arg-type]
_record = Script(None, delivery_lua.RECORD.encode())  # type: ignore[arg-type]

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"

log = logging.getLogger("examgen.deliveries")


def delivery_id(job_id: str) -> str:
    """The same for every attempt of a job's delivery, so a receiver can drop repeats."""
    return f"{job_id}.ended"


def note_pending_in(pipe: Pipeline, job_id: str, created_ms: int) -> None:
    """In the submission's MULTI: the delivery exists as soon as the job does, or neither does."""
    ttl_s = get_settings().queue.result_ttl_s
    pipe.zadd(keys.deliveries, {job_id: created_ms + keys.delivery_recheck_ms})
    pipe.hset(keys.delivery(job_id), "state", PENDING)
    pipe.expire(keys.delivery(job_id), ttl_s)


def make_due(connection: Redis, job_id: str) -> bool:
    """The job ended: send its delivery now (True), if it has one not yet under way."""
    return bool(_due(keys=[keys.deliveries, keys.delivery(job_id)], args=[job_id], client=connection))


def job_ended(connection: Redis, job_id: str) -> None:
    """`make_due` for the paths that end a job; should Redis fail just here, the senders' periodic
    check of unfinished deliveries finds the end within keys.delivery_recheck_ms."""
    try:
        make_due(connection, job_id)
    except RedisError as exc:
        log.warning("job %s: could not mark its callback due (%s); the next check sends it", job_id, exc)


@dataclass(frozen=True)
class Claimed:
    job_id: str
    token: str
    tries: int
    """Attempts recorded before this one."""


def claim(connection: Redis, claim_s: int) -> Claimed | None:
    """A delivery whose job ended, held for `claim_s` by this caller alone; None if none is due."""
    got = _claim(
        keys=[keys.deliveries, keys.delivery_fence, keys.leases, keys.recovering],
        args=[
            Job.redis_job_namespace_prefix,
            keys.delivery_prefix,
            keys.delivery_attempts_suffix,
            claim_s * 1000,
            keys.delivery_recheck_ms,
            keys.delivery_scan_max,
            secrets.token_hex(4),
        ],
        client=connection,
    )
    if not got:
        return None
    return Claimed(as_text(got[0]), as_text(got[1]), int(got[2]))


def record(
    connection: Redis, claimed: Claimed, attempt: dict[str, Any], retry_ms: int | None, final: str = FAILED
) -> str | None:
    """Record one attempt under the claim: the state it left the delivery in (None: the claim was
    lost, nothing written). With
    `retry_ms` the delivery is due again then; without, it ends as `final`, unless its job was
    requeued meanwhile (then it is looked at again in keys.delivery_recheck_ms)."""
    written = _record(
        keys=[
            keys.deliveries,
            keys.delivery(claimed.job_id),
            keys.delivery_attempts(claimed.job_id),
            Job.key_for(claimed.job_id),
            keys.leases,
            keys.recovering,
        ],
        args=[
            claimed.job_id,
            claimed.token,
            json.dumps(attempt),
            -1 if retry_ms is None else retry_ms,
            final,
            keys.delivery_attempts_kept,
            get_settings().queue.result_ttl_s,
            keys.delivery_recheck_ms,
        ],
        client=connection,
    )
    return as_text(written) if written else None


@dataclass
class State:
    """What the job view shows of a delivery."""

    state: str = PENDING
    next_ms: int | None = None
    attempts: list[dict[str, Any]] = field(default_factory=list)


def read_in(pipe: Pipeline, job_id: str) -> None:
    pipe.hmget(keys.delivery(job_id), "state", "next_ms")
    pipe.lrange(keys.delivery_attempts(job_id), 0, -1)


def state_from(replies: list[Any]) -> State:
    """The two replies of `read_in`."""
    (state, next_ms), attempts = replies
    return State(
        state=as_text(state) if state else PENDING,
        next_ms=int(next_ms) if next_ms else None,
        attempts=[json.loads(a) for a in attempts],
    )
