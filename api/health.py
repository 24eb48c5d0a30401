"""Liveness and readiness: /healthz answers while the process runs, /readyz when Redis does."""

from __future__ import annotations

from litestar import Response, get
from litestar.di import NamedDependency
from redis import Redis
from redis.exceptions import RedisError

from examgen.api.openapi import errors
from examgen.web.errors import REDIS_RETRY_AFTER_S, error_response


@get("/healthz", tags=["health"], summary="200 while the process runs")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@get("/readyz", sync_to_thread=True, tags=["health"], summary="200 when Redis answers, else 503", responses=errors(503))
def readyz(redis: NamedDependency[Redis]) -> Response[object]:
    try:
        redis.ping()
    except RedisError:
        return error_response(503, "Redis does not answer.", {"Retry-After": str(REDIS_RETRY_AFTER_S)})
    return Response({"status": "ready"})
