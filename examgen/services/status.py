"""The queue's statistics as the deployment sees them: the status hash read with the cap in force."""

from __future__ import annotations

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
