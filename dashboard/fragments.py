"""The polled fragments: queue numbers (served by GET /queue/status) and the history charts.

htmx swaps only 2xx answers by default, so while Redis is down a fragment request answers 200
with a "Redis unavailable" state instead of the API's JSON 503: the page keeps polling and
shows the numbers again by itself once Redis answers.
"""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template
from redis import Redis
from redis.exceptions import RedisError

from examgen.core import stats
from examgen.dashboard import charts, format
from examgen.services import status as queue_status
from examgen.services.tokens import Caller
from examgen.web.auth import require_admin
from examgen.web.errors import on_redis_error
from examgen.web.fragments import StatusFragments, is_htmx

log = logging.getLogger("examgen.dashboard")
# Throughput is averaged over this many minutes (the current, partial one included).
THROUGHPUT_MINUTES = 5


def status_context(redis: Redis, status: stats.QueueStatus) -> dict[str, Any]:
    data = status.as_json()
    recent = stats.read_history(redis, THROUGHPUT_MINUTES)
    ended = sum(p.finished + p.failed for p in recent)
    return {
        "status": data,
        "throughput": round(ended / THROUGHPUT_MINUTES, 1),
        "when": {
            key: {"clock": format.clock(data[key]), "ago": format.ago(data[key])}
            for key in ("max_queue_size_at", "max_processing_at", "stats_reset_at")
        },
        "oldest": format.duration(data["oldest_waiting_seconds"]) if data["oldest_waiting_seconds"] else "none",
        "avg_job": format.duration(data["avg_job_seconds"]),
        "wait": format.duration(data["estimated_wait_time"]),
        "load_percent": min(round(100 * status.processing / max(status.max_concurrent, 1)), 100),
        "owners": [
            {**row, "oldest": format.duration(row["oldest_wait_seconds"]) if row["waiting"] else "none"}
            for row in queue_status.owners(redis)
        ],
    }


def status_fragment(redis: Redis, status: stats.QueueStatus) -> Template:
    """The HTML of GET /queue/status for htmx."""
    return Template(template_name="_status.html", context=status_context(redis, status))


def unavailable_fragment(request: Request[Any, Any, Any], exc: RedisError) -> Response[Any]:
    """Exception handler: htmx gets a 200 "Redis unavailable" fragment, API clients the JSON 503."""
    if not is_htmx(request):
        if request.method == "GET" and request.url.path.startswith("/dashboard"):
            # A person loading a page: an HTML page that retries by itself, not JSON.
            return Template(template_name="unavailable.html", status_code=503, headers={"Retry-After": "5"})
        return on_redis_error(request, exc)
    log.error("Redis unavailable: %s (fragment shows it)", exc.__class__.__name__)
    template = "_charts.html" if request.url.path.startswith("/dashboard/charts") else "_status.html"
    if request.url.path.startswith("/dashboard/jobs"):
        template = "_jobs.html"
    range_name = request.query_params.get("range", "hour")
    context = {"unavailable": True, "range": range_name if range_name in charts.RANGES else "hour"}
    return Template(template_name=template, context=context, headers={"Cache-Control": "no-store"})


def charts_context(redis: Redis, range_name: str) -> dict[str, Any]:
    minutes = charts.RANGES[range_name][0]
    cap = queue_status.read(redis).max_concurrent
    built = charts.build(stats.read_history(redis, minutes), range_name, cap)
    return {"charts": built, "range": range_name, "geometry": charts}


@get("/dashboard/charts", sync_to_thread=True, include_in_schema=False)
def charts_fragment(
    caller: NamedDependency[Caller], redis: NamedDependency[Redis], range: FromQuery[str] = "hour"
) -> Template:
    """The history charts of the last hour or day (admins only)."""
    require_admin(caller)
    range_name = range if range in charts.RANGES else "hour"
    return Template(template_name="_charts.html", context=charts_context(redis, range_name))


STATUS_FRAGMENTS = StatusFragments(render=status_fragment, unavailable=unavailable_fragment)
"""What the application registers so that GET /queue/status answers htmx with this HTML."""
