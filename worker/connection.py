"""The one way to reach Redis, with timeouts so a dead Redis is an error, never a hang."""

from __future__ import annotations

from typing import Any

from redis import Redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from worker.settings import get_settings


def connect(url: str | None = None) -> Redis:
    settings = get_settings().redis
    target = url or settings.url
    options: dict[str, Any] = {}
    if target.startswith("rediss://") and not settings.tls_verify:
        # Some managed Redis (Heroku) serve self-signed certificates that rotate with the URL.
        options["ssl_cert_reqs"] = None
    return Redis.from_url(
        target,
        socket_timeout=settings.socket_timeout_s,
        socket_connect_timeout=2.0,
        health_check_interval=15,
        # One quick retry rides over a dropped connection; more would only delay the 503.
        retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), 1),
        **options,
    )
