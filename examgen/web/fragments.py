"""How the dashboard gives the API's GET /queue/status its HTML fragment, without the API importing it.

The application (examgen.app) puts the dashboard's `StatusFragments` into the app state; the
route answers htmx requests with it and everyone else with JSON. Without a dashboard the route
answers JSON alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from litestar import Request, Response
from redis import Redis
from redis.exceptions import RedisError

from examgen.core.stats import QueueStatus

STATE_KEY = "status_fragments"


def is_htmx(request: Request[Any, Any, Any]) -> bool:
    return request.headers.get("hx-request") == "true"


@dataclass(frozen=True)
class StatusFragments:
    render: Callable[[Redis, QueueStatus], Response[Any]]
    """The queue numbers as HTML (runs in a worker thread: it may read Redis)."""
    unavailable: Callable[[Request[Any, Any, Any], RedisError], Response[Any]]
    """The "Redis unavailable" state, answered 200 so that htmx swaps it and keeps polling."""


def registered(request: Request[Any, Any, Any]) -> StatusFragments | None:
    found = request.app.state.get(STATE_KEY)
    return found if isinstance(found, StatusFragments) else None
