"""HTTP requests by route template and status, counted in memory and added to Redis in batches.

A request costs a dict increment, never a Redis write: each web process adds its counts to one
Redis hash (``keys.http_requests``) every FLUSH_INTERVAL_S and at shutdown, so /metrics on any
process reports the requests of all of them. A process killed with SIGKILL loses at most one
interval of counts, which a Prometheus counter tolerates (it only ever undercounts).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter

import anyio.to_thread
from litestar.enums import ScopeType
from litestar.types import Message, Scope
from redis import Redis
from redis.exceptions import RedisError

from examgen.core import keys

log = logging.getLogger("examgen.api")

FLUSH_INTERVAL_S = 5.0
# Methods outside this set (scanners send anything) are counted as OTHER: bounded label values.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Requests that matched no route: one label value, not one per probed path.
UNMATCHED = "unmatched"


def field_for(method: str, status: int, route: str) -> str:
    return f"{method if method in KNOWN_METHODS else 'OTHER'} {status} {route}"


def parse_field(field: str) -> tuple[str, str, str]:
    """(method, status, route) back from a hash field."""
    method, status, route = field.split(" ", 2)
    return method, status, route


class RequestCounter:
    """Counts responses (the `before_send` hook) and flushes them (startup/shutdown hooks)."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self.interval_s = FLUSH_INTERVAL_S  # read now, so a test can shorten it before create_app
        self.counts: Counter[str] = Counter()
        self._task: asyncio.Task[None] | None = None

    async def before_send(self, message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start" or scope["type"] != ScopeType.HTTP:
            return
        # The router stores the matched route's template in the scope; absent when nothing matched.
        route = scope.get("path_template") or UNMATCHED
        self.counts[field_for(str(scope.get("method", "GET")), int(message["status"]), route)] += 1

    async def flush(self) -> None:
        # Swapped on the event loop thread, so no request is counted twice or lost in between.
        pending, self.counts = self.counts, Counter()
        if not pending:
            return
        try:
            await anyio.to_thread.run_sync(self._write, pending)
        except RedisError as exc:
            log.warning("could not store request counts (%s); keeping them for the next try", exc)
            self.counts.update(pending)

    def _write(self, pending: Counter[str]) -> None:
        with self.redis.pipeline(transaction=False) as pipe:
            for field, count in pending.items():
                pipe.hincrby(keys.http_requests, field, count)
            pipe.execute()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval_s)
            await self.flush()

    async def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.flush()
