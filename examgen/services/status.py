"""The queue's statistics as the deployment sees them: the status hash read with the cap in force."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from redis import Redis
from redis.asyncio import Redis as AsyncRedis

from examgen.core import fair, keys, stats
from examgen.core.settings import get_settings


def read(redis: Redis) -> stats.QueueStatus:
    """Every number of /queue/status, in one round trip."""
    return stats.read_status(redis, keys.queue, get_settings().queue.max_concurrent_jobs)


async def read_with_token(aredis: AsyncRedis, token_digest: str) -> tuple[stats.QueueStatus, bytes | None]:
    """The numbers and the token's record (None when unknown), in the same round trip."""
    return await stats.read_status_for(aredis, keys.queue, get_settings().queue.max_concurrent_jobs, token_digest)


# A submission's 202 estimates its wait from a reading of the statistics at most this old, not one
# taken inside its own transaction: what the estimate needs from it (the cap, live workers, how
# long a slot takes per job) moves slowly, while a status read in every submission cost a quarter
# of the submission rate (make bench). What moves with every submission and every second, the
# job's place and the running jobs' ages, the submission's own script reads (`at_submission`).
ESTIMATE_READING_MAX_AGE_S = 1.0
_readings: dict[tuple[object, ...], tuple[float, stats.QueueStatus]] = {}


def _server(client: Redis | AsyncRedis) -> tuple[object, ...]:
    # One process may talk to several Redis servers (the test suite does): one reading per server.
    pool = client.connection_pool
    where = pool.connection_kwargs
    return (where.get("host"), where.get("port"), where.get("path"), where.get("db"), getattr(pool, "service_name", ""))


def _recent(server: tuple[object, ...]) -> stats.QueueStatus | None:
    found = _readings.get(server)
    if found is None:
        return None
    read_at, status = found
    age_s = time.monotonic() - read_at
    if age_s > ESTIMATE_READING_MAX_AGE_S:
        return None
    return replace(status, running_elapsed_s=tuple(e + age_s for e in status.running_elapsed_s))


def _keep(server: tuple[object, ...], status: stats.QueueStatus) -> stats.QueueStatus:
    _readings[server] = (time.monotonic(), status)
    return status


def at_submission(reading: stats.QueueStatus, running_elapsed_s: tuple[float, ...]) -> stats.QueueStatus:
    """The reading with the running jobs as the submission's script found them."""
    return replace(reading, processing=len(running_elapsed_s), running_elapsed_s=running_elapsed_s)


def for_estimate(redis: Redis) -> stats.QueueStatus:
    """The statistics for a submission's wait estimate (see ESTIMATE_READING_MAX_AGE_S)."""
    server = _server(redis)
    return _recent(server) or _keep(server, read(redis))


async def for_estimate_async(aredis: AsyncRedis) -> stats.QueueStatus:
    server = _server(aredis)
    recent = _recent(server)
    if recent is not None:
        return recent
    status, _ = await read_with_token(aredis, "")
    return _keep(server, status)


# /metrics shows this many owners by name (most jobs first); the rest are summed under OTHER, so
# the number of series stays bounded however many tokens exist. No token can be named OTHER.
METRIC_OWNERS = 10
OTHER = "_other"


def owners(redis: Redis) -> list[dict[str, Any]]:
    """Per-owner counts for admins: waiting, running, the oldest job's wait, in the order of turns."""
    return [
        {"owner": o.name, "waiting": o.waiting, "running": o.running, "oldest_wait_seconds": o.oldest_wait_s}
        for o in fair.owners(redis)
    ]


def owners_for_metrics(redis: Redis) -> list[dict[str, Any]]:
    """At most METRIC_OWNERS + 1 rows: the owners with most jobs, then OTHER with the rest."""
    rows = sorted(owners(redis), key=lambda r: (-(r["waiting"] + r["running"]), r["owner"]))
    kept, rest = rows[:METRIC_OWNERS], rows[METRIC_OWNERS:]
    if rest:
        kept.append(
            {
                "owner": OTHER,
                "waiting": sum(r["waiting"] for r in rest),
                "running": sum(r["running"] for r in rest),
                "oldest_wait_seconds": max(r["oldest_wait_seconds"] for r in rest),
            }
        )
    return kept
