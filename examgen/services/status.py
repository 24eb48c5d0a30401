"""The queue's statistics as the deployment sees them: the status hash read with the cap in force."""

from __future__ import annotations

from redis import Redis
from redis.asyncio import Redis as AsyncRedis

from examgen.core import keys, stats
from examgen.core.settings import get_settings


def read(redis: Redis) -> stats.QueueStatus:
    """Every number of /queue/status, in one round trip."""
    return stats.read_status(redis, keys.queue, get_settings().queue.max_concurrent_jobs)


async def read_with_token(aredis: AsyncRedis, token_digest: str) -> tuple[stats.QueueStatus, bytes | None]:
    """The numbers and the token's record (None when unknown), in the same round trip."""
    return await stats.read_status_for(aredis, keys.queue, get_settings().queue.max_concurrent_jobs, token_digest)
