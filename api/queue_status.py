"""GET /queue/status: the seed's eight numbers and more, as JSON or (for htmx) as the dashboard's fragment.

The most polled read of the API (dashboards, autoscalers, clients waiting): with a bearer token it
checks the token and reads every number in one Redis round trip, on the event loop. The HTML comes
from whatever registered itself as the status fragments (the dashboard, see examgen.web.fragments).
"""

from __future__ import annotations

from typing import Any

import anyio
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from redis import Redis
from redis.asyncio import Redis as AsyncRedis
from redis.exceptions import RedisError

from examgen.api.openapi import errors
from examgen.core import keys, stats
from examgen.services import status as queue_status_service
from examgen.services import tokens
from examgen.services.tokens import Caller, unknown_token
from examgen.web.auth import bearer_token, require_admin, resolve_caller
from examgen.web.errors import on_redis_error
from examgen.web.fragments import is_htmx, registered


def on_status_redis_error(request: Request[Any, Any, Any], exc: RedisError) -> Response[Any]:
    # htmx swaps only 2xx: while Redis is down its polls get a "Redis unavailable" fragment (200).
    fragments = registered(request)
    if fragments is not None and is_htmx(request):
        return fragments.unavailable(request, exc)
    return on_redis_error(request, exc)


@get(
    "/queue/status",
    tags=["queue"],
    summary="Queue statistics (HTML fragment for htmx)",
    responses=errors(400, 401, 503),
    exception_handlers={RedisError: on_status_redis_error},
)
async def queue_status(
    request: Request[Any, Any, Any], redis: NamedDependency[Redis], aredis: NamedDependency[AsyncRedis]
) -> Response[Any]:
    token = bearer_token(request)
    if token is not None:
        status, record = await queue_status_service.read_with_token(aredis, tokens.digest(token))
        if record is None and not tokens.is_env_admin(token):
            raise unknown_token()
        admin = record is None or tokens.caller_from_record(record).admin
    else:
        # The dashboard's polls carry an admin session instead: one every 2 s, the general path.
        admin = (await anyio.to_thread.run_sync(resolve_caller, request, redis)).admin
        status = await anyio.to_thread.run_sync(queue_status_service.read, redis)
    fragments = registered(request)
    if fragments is not None and is_htmx(request):
        return await anyio.to_thread.run_sync(fragments.render, redis, status)
    data = status.as_json()
    if admin:
        # Who is waiting and running: for admins only (names of other tokens), one more read.
        data["owners"] = await anyio.to_thread.run_sync(queue_status_service.owners, redis)
    return Response(data)


@post(
    "/queue/stats/reset",
    status_code=200,
    sync_to_thread=True,
    tags=["queue"],
    summary="Restart the high-water marks and totals from now (admin)",
    responses=errors(400, 401, 403, 503),
)
def reset_stats(caller: NamedDependency[Caller], redis: NamedDependency[Redis]) -> dict[str, Any]:
    require_admin(caller)
    stats.reset(redis, keys.queue)
    return queue_status_service.read(redis).as_json()
