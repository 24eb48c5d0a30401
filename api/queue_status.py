"""GET /queue/status: the seed's eight numbers and more, as JSON or as an htmx fragment.

The most polled read of the API (dashboards, autoscalers, clients waiting): with a bearer token it
checks the token and reads every number in one Redis round trip, on the event loop.
"""

from __future__ import annotations

from typing import Any

import anyio
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.response import Template
from redis import Redis
from redis.asyncio import Redis as AsyncRedis
from redis.exceptions import RedisError

from api import tokens
from api.auth import bearer_token, require_admin, resolve_caller, unknown_token
from api.openapi import errors
from api.tokens import Caller
from dashboard.fragments import status_fragment, unavailable_fragment
from worker import keys, stats
from worker.settings import get_settings


def read(redis: Redis) -> stats.QueueStatus:
    return stats.read_status(redis, keys.queue, get_settings().queue.max_concurrent_jobs)


@get(
    "/queue/status",
    tags=["queue"],
    summary="Queue statistics (HTML fragment for htmx)",
    responses=errors(401, 503),
    # htmx swaps only 2xx: while Redis is down its polls get a "Redis unavailable" fragment (200).
    exception_handlers={RedisError: unavailable_fragment},
)
async def queue_status(
    request: Request[Any, Any, Any], redis: NamedDependency[Redis], aredis: NamedDependency[AsyncRedis]
) -> Response[Any] | Template:
    token = bearer_token(request)
    if token is not None:
        cap = get_settings().queue.max_concurrent_jobs
        status, record = await stats.read_status_for(aredis, keys.queue, cap, tokens.digest(token))
        if record is None and not tokens.is_env_admin(token):
            raise unknown_token()
    else:
        # The dashboard's polls carry an admin session instead: one every 2 s, the general path.
        await anyio.to_thread.run_sync(resolve_caller, request, redis)
        status = await anyio.to_thread.run_sync(read, redis)
    if request.headers.get("hx-request") == "true":
        return await anyio.to_thread.run_sync(status_fragment, redis, status)
    return Response(status.as_json())


@post(
    "/queue/stats/reset",
    status_code=200,
    sync_to_thread=True,
    tags=["queue"],
    summary="Restart the high-water marks and totals from now (admin)",
    responses=errors(401, 403, 503),
)
def reset_stats(caller: NamedDependency[Caller], redis: NamedDependency[Redis]) -> dict[str, Any]:
    require_admin(caller)
    stats.reset(redis, keys.queue)
    return read(redis).as_json()
