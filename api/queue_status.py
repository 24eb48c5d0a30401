"""GET /queue/status: the seed's eight numbers and more, as JSON or as an htmx fragment."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.response import Template
from redis import Redis
from redis.exceptions import RedisError

from api.tokens import Caller
from dashboard.fragments import status_fragment, unavailable_fragment
from worker import keys, stats
from worker.settings import get_settings


def read(redis: Redis) -> stats.QueueStatus:
    return stats.read_status(redis, keys.queue, get_settings().queue.max_concurrent_jobs)


@get(
    "/queue/status",
    sync_to_thread=True,
    tags=["queue"],
    summary="Queue statistics (HTML fragment for htmx)",
    # htmx swaps only 2xx: while Redis is down its polls get a "Redis unavailable" fragment (200).
    exception_handlers={RedisError: unavailable_fragment},
)
def queue_status(
    request: Request[Any, Any, Any], caller: NamedDependency[Caller], redis: NamedDependency[Redis]
) -> Response[Any] | Template:
    status = read(redis)
    if request.headers.get("hx-request") == "true":
        return status_fragment(redis, status)
    return Response(status.as_json())
