"""The deployment-wide cap: a lease semaphore in Redis.

A worker takes a slot and the next job in one script (``claim``); the process running the job
renews the lease (``renew``); the end of the job gives it back (``release``). A lease nobody
renews expires, its slot is free at once, and ``reap`` hands its job to whoever reaps it.
"""

from __future__ import annotations

from dataclasses import dataclass

from redis import Redis
from redis.client import Pipeline
from redis.commands.core import Script
from rq.job import Job

from examgen.core import keys, lua

# The weight of the newest duration in the running average used for wait estimates.
DURATION_EWMA_WEIGHT = 0.2

_claim = Script(None, lua.CLAIM.encode())  # type: ignore[arg-type]
_renew = Script(None, lua.RENEW.encode())  # type: ignore[arg-type]
_release = Script(None, lua.RELEASE.encode())  # type: ignore[arg-type]
_reap = Script(None, lua.REAP.encode())  # type: ignore[arg-type]


@dataclass(frozen=True)
class Levels:
    """Queue length and running jobs right after a change, for the `Queue size` log line."""

    queued: int
    running: int


@dataclass(frozen=True)
class Claim:
    job_id: str | None
    levels: Levels


@dataclass(frozen=True)
class Release:
    held: bool
    status: str
    duration_ms: int | None
    levels: Levels


def claim(connection: Redis, queue_key: str, cap: int, lease_ttl_s: int) -> Claim:
    """Take a slot and the oldest waiting job, or nothing when the cap is reached or none waits."""
    got, queued, running, *rest = _claim(
        keys=[queue_key, keys.leases, keys.lease_started, keys.stats, keys.history],
        args=[cap, lease_ttl_s * 1000, keys.history_minutes],
        client=connection,
    )
    job_id = rest[0].decode() if got else None
    return Claim(job_id, Levels(int(queued), int(running)))


def renew(connection: Redis, job_id: str, lease_ttl_s: int) -> bool:
    """Extend a job's lease; False when it has expired or been reaped (the holder must stop)."""
    return bool(_renew(keys=[keys.leases], args=[job_id, lease_ttl_s * 1000], client=connection))


def release(connection: Redis, job_id: str, queue_key: str) -> Release:
    """Give a job's slot back and count its end by the status RQ recorded.

    Without the lease nothing is counted: whoever removed it (the reaper) handles the job.
    Never call this after requeueing a job: its new lease has the same member.
    """
    return _run_release(connection, job_id, queue_key, force=False)


def count_end(connection: Redis, job_id: str, queue_key: str, duration_ms: int | None) -> Release:
    """Count the end of a job whose lease the caller already removed (reap, give-back), with the
    duration the caller measured (the lease's start is gone with the lease)."""
    return _run_release(connection, job_id, queue_key, force=True, duration_ms=duration_ms)


def _run_release(
    connection: Redis, job_id: str, queue_key: str, *, force: bool, duration_ms: int | None = None
) -> Release:
    held, status, queued, running, duration = _release(
        keys=[
            keys.leases,
            keys.lease_started,
            keys.stats,
            keys.history,
            Job.key_for(job_id),
            queue_key,
            keys.wakeup,
            keys.durations,
        ],
        args=[
            job_id,
            keys.history_minutes,
            DURATION_EWMA_WEIGHT,
            "1" if force else "0",
            keys.wakeup_max_len,
            -1 if duration_ms is None else duration_ms,
            *(int(bound * 1000) for bound in keys.duration_buckets_s),
        ],
        client=connection,
    )
    return Release(
        bool(held),
        status.decode() if isinstance(status, bytes) else str(status),
        int(duration) if int(duration) >= 0 else None,
        Levels(int(queued), int(running)),
    )


def reap(connection: Redis, limit: int = 100) -> list[str]:
    """Remove expired leases; the ids returned are this caller's to requeue or fail."""
    ids = _reap(keys=[keys.leases, keys.lease_started], args=[limit], client=connection)
    return [i.decode() for i in ids]


def holds(connection: Redis | Pipeline, job_id: str) -> bool:
    return connection.zscore(keys.leases, job_id) is not None
