"""The deployment-wide cap: a lease semaphore in Redis.

A worker takes a slot and the next job in one script (``claim``); the process running the job
renews the lease (``renew``); the end of the job gives it back (``release``). A lease nobody
renews expires, its slot is free at once, and ``reap`` hands its job to whoever reaps it.

Every claim carries a fencing token: renew and release need it, so a holder that was stalled
past its lease (a paused VM, a stopped process) can neither extend, free nor hand back the claim
that replaced its own.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from redis import Redis
from redis.client import Pipeline
from redis.commands.core import Script
from rq.job import Job

from examgen.core import keys, lease_lua

# The weight of the newest duration in the running average used for wait estimates.
DURATION_EWMA_WEIGHT = 0.2
# How far an owner's virtual time moves per claim at weight 1 (weight W: STRIDE / W). Divisible by
# every weight up to 16 and many above, so virtual times stay exact for the usual weights.
STRIDE = 720_720

_claim = Script(None, lease_lua.CLAIM.encode())  # type: ignore[arg-type]
_renew = Script(None, lease_lua.RENEW.encode())  # type: ignore[arg-type]
_release = Script(None, lease_lua.RELEASE.encode())  # type: ignore[arg-type]
_reap = Script(None, lease_lua.REAP.encode())  # type: ignore[arg-type]
_holds = Script(None, lease_lua.HOLDS.encode())  # type: ignore[arg-type]
_hand_back = Script(None, lease_lua.HAND_BACK.encode())  # type: ignore[arg-type]


@dataclass(frozen=True)
class Levels:
    """Queue length and running jobs right after a change, for the `Queue size` log line."""

    queued: int
    running: int


@dataclass(frozen=True)
class Claim:
    job_id: str | None
    levels: Levels
    token: str = ""
    owner: str = ""


@dataclass(frozen=True)
class Release:
    held: bool
    status: str
    duration_ms: int | None
    levels: Levels


def claim(connection: Redis, queue_key: str, cap: int, lease_ttl_s: int, max_per_owner: int = 0) -> Claim:
    """Take a slot and the next job in fair order, or nothing when the cap is reached or none may start.

    Fair order: the owner whose turn it is (lowest virtual time, under `max_per_owner` running
    jobs when that is above 0), its oldest job (lease_lua.CLAIM).
    """
    got, queued, running, *rest = _claim(
        keys=[
            queue_key,
            keys.leases,
            keys.lease_started,
            keys.stats,
            keys.history,
            keys.lease_tokens,
            keys.lease_fence,
            keys.fair_ring,
            keys.fair_passes,
            keys.fair_clock,
            keys.fair_weights,
            keys.fair_waiting_owner,
            keys.fair_running,
            keys.lease_owner,
            keys.recovering,
        ],
        args=[
            cap,
            lease_ttl_s * 1000,
            keys.history_minutes,
            keys.fair_owner_list_prefix,
            keys.fair_owner_list_suffix,
            max_per_owner,
            STRIDE,
            keys.NO_OWNER,
            _nonce(),
        ],
        client=connection,
    )
    if not got:
        return Claim(None, Levels(int(queued), int(running)))
    return Claim(rest[0].decode(), Levels(int(queued), int(running)), rest[1].decode(), rest[2].decode())


def renew(connection: Redis, job_id: str, token: str, lease_ttl_s: int) -> bool:
    """Extend this claim's lease; False when it expired, was reaped or replaced (the holder must stop)."""
    return bool(
        _renew(keys=[keys.leases, keys.lease_tokens], args=[job_id, token, lease_ttl_s * 1000], client=connection)
    )


def holds(connection: Redis, job_id: str, token: str) -> bool:
    """Whether this claim is still live, without extending it."""
    return bool(_holds(keys=[keys.leases, keys.lease_tokens], args=[job_id, token], client=connection))


def release(connection: Redis, job_id: str, queue_key: str, token: str) -> Release:
    """Give this claim's slot back and count its job's end by the status RQ recorded.

    Without the claim nothing is freed or counted: whoever removed it (the reaper) handles the job,
    and a later claim of the same job (after a requeue) carries another token.
    """
    return _run_release(connection, job_id, queue_key, token)


def count_end_in(pipe: Pipeline, job_id: str, queue_key: str, duration_ms: int | None) -> None:
    """In the caller's transaction: count the end of a job whose lease is already gone (a
    recovery, worker.recovery), with the duration the caller measured (the lease's start is gone)."""
    script_keys, args = _release_call(job_id, queue_key, None, duration_ms)
    _release(keys=script_keys, args=args, client=pipe)


def _release_call(
    job_id: str, queue_key: str, token: str | None, duration_ms: int | None
) -> tuple[list[str], list[str | int | float]]:
    script_keys = [
        keys.leases,
        keys.lease_started,
        keys.stats,
        keys.history,
        Job.key_for(job_id),
        queue_key,
        keys.wakeup,
        keys.durations,
        keys.lease_tokens,
        keys.fair_running,
        keys.lease_owner,
        keys.recent_ends,
    ]
    args: list[str | int | float] = [
        job_id,
        keys.history_minutes,
        DURATION_EWMA_WEIGHT,
        "1" if token is None else "0",
        keys.wakeup_max_len,
        token or "",
        -1 if duration_ms is None else duration_ms,
        keys.recent_ends_window_s * 1000,
        keys.recent_ends_max,
        *(int(bound * 1000) for bound in keys.duration_buckets_s),
    ]
    return script_keys, args


def _run_release(connection: Redis, job_id: str, queue_key: str, token: str) -> Release:
    script_keys, args = _release_call(job_id, queue_key, token, None)
    held, status, queued, running, duration = _release(keys=script_keys, args=args, client=connection)
    return Release(
        bool(held),
        status.decode() if isinstance(status, bytes) else str(status),
        int(duration) if int(duration) >= 0 else None,
        Levels(int(queued), int(running)),
    )


def _nonce() -> str:
    return secrets.token_hex(8)


_RECOVERY_KEYS = [
    keys.leases,
    keys.lease_started,
    keys.lease_tokens,
    keys.recovering,
    keys.lease_fence,
    keys.fair_running,
    keys.lease_owner,
]


def reap(connection: Redis, limit: int = 100) -> list[tuple[str, str]]:
    """Take over expired leases and stalled recoveries: (job id, recovery token) pairs, this
    caller's to requeue or end (worker.recovery), each within keys.recovery_ttl_ms."""
    args: list[str | int] = [limit, keys.recovery_ttl_ms, keys.recovery_token_prefix, _nonce()]
    flat = [item.decode() for item in _reap(keys=_RECOVERY_KEYS, args=args, client=connection)]
    return list(zip(flat[0::2], flat[1::2], strict=True))


def hand_back(connection: Redis, job_id: str, token: str) -> str | None:
    """Free this claim's slot and park its job for recovery: the recovery token, or None when the
    claim is no longer this token's (the reaper took the job over)."""
    args: list[str | int] = [job_id, token, keys.recovery_ttl_ms, keys.recovery_token_prefix, _nonce()]
    recovery = _hand_back(keys=_RECOVERY_KEYS, args=args, client=connection)
    return recovery.decode() if recovery else None


def leased(connection: Redis | Pipeline, job_id: str) -> bool:
    return connection.zscore(keys.leases, job_id) is not None
