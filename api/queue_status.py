"""GET /queue/status: the seed's eight numbers and more, as JSON or as an htmx fragment."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.response import Template
from redis import Redis

from api.tokens import Caller
from worker import keys, stats
from worker.settings import get_settings


def read(redis: NamedDependency[Redis]) -> stats.QueueStatus:
    return stats.read_status(redis, keys.queue, get_settings().queue.max_concurrent_jobs)


@get("/queue/status", sync_to_thread=True, tags=["queue"], summary="Queue statistics (HTML fragment for htmx)")
def queue_status(
    request: Request[Any, Any, Any], caller: NamedDependency[Caller], redis: NamedDependency[Redis]
) -> Response[Any] | Template:
    status = read(redis)
    if request.headers.get("hx-request") == "true":
        return Template(template_name="_status.html", context={"status": status.as_json()})
    return Response(status.as_json())
