"""The one way to reach Redis, with timeouts so a dead Redis is an error, never a hang."""

from __future__ import annotations

from redis import Redis

from worker.settings import get_settings


def connect(url: str | None = None) -> Redis:
    settings = get_settings().redis
    return Redis.from_url(
        url or settings.url,
        socket_timeout=settings.socket_timeout_s,
        socket_connect_timeout=2.0,
        health_check_interval=15,
    )
