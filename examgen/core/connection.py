"""The one way to reach Redis, with timeouts so a dead Redis is an error, never a hang."""

from __future__ import annotations

from typing import Any

from redis import Redis
from redis.asyncio import Redis as AsyncRedis
from redis.asyncio.retry import Retry as AsyncRetry
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from examgen.core.settings import get_settings


def _options(target: str) -> dict[str, Any]:
    settings = get_settings().redis
    options: dict[str, Any] = {
        "socket_timeout": settings.socket_timeout_s,
        "socket_connect_timeout": 2.0,
        "health_check_interval": 15,
    }
    if target.startswith("rediss://") and not settings.tls_verify:
        # Some managed Redis (Heroku) serve self-signed certificates that rotate with the URL.
        options["ssl_cert_reqs"] = None
    return options


def connect(url: str | None = None, *, retries: int = 1) -> Redis:
    """A client with `retries` quick retries of a call whose connection dropped or timed out.

    One retry rides over a dropped connection; more would only delay the 503. A retried call may
    already have run once (its reply was lost), so the scripts and transactions that must run at
    most once (claim, release, reap, recovery) go through a client with `retries=0`.
    """
    target = url or get_settings().redis.url
    return Redis.from_url(target, retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), retries), **_options(target))


def connect_async(url: str | None = None) -> AsyncRedis:
    """For the few hot web paths that must not pay a hop to a worker thread."""
    target = url or get_settings().redis.url
    return AsyncRedis.from_url(target, retry=AsyncRetry(ExponentialBackoff(cap=0.5, base=0.05), 1), **_options(target))


def connect_bounded(timeout_s: float, url: str | None = None) -> Redis:
    """A client whose every call ends within about `timeout_s`: no retry, short socket timeouts.

    For calls whose answer is worthless once late (a lease renewal).
    """
    target = url or get_settings().redis.url
    options = {**_options(target), "socket_timeout": timeout_s, "socket_connect_timeout": timeout_s}
    return Redis.from_url(target, retry=Retry(ExponentialBackoff(), 0), **options)
