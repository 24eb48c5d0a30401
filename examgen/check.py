"""`examgen check`: are the settings valid and does Redis answer? For deploys, units and humans.

Settings are parsed before this runs (the click group turns a bad value into a usage error, exit
2); this adds the Redis round trip and the Redis configuration examgen relies on. Exit 0 when the
service can start, 1 with one sentence on stderr saying what to fix otherwise.
"""

from __future__ import annotations

import time

import click
from redis import Redis
from redis.exceptions import RedisError, ResponseError

from examgen.core.settings import get_settings


def safe_url(url: str) -> str:
    """REDIS_URL without its password, fit for a log or terminal."""
    scheme, sep, rest = url.partition("://")
    return f"{scheme}{sep}{rest.rsplit('@', 1)[-1]}" if "@" in rest else url


def _hint(error: RedisError) -> str:
    text = str(error)
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return " The server's TLS certificate is not trusted (self-signed managed Redis?)."
    if "AUTH" in text or "WRONGPASS" in text or "NOAUTH" in text:
        return " Check the password in REDIS_URL (redis://:PASSWORD@host:6379/0)."
    return ""


def _ping(connection: Redis, wait_s: float) -> RedisError | None:
    deadline = time.monotonic() + wait_s
    while True:
        try:
            connection.ping()
            return None
        except RedisError as exc:
            if time.monotonic() >= deadline:
                return exc
            time.sleep(1)


def run_check(wait_s: float) -> int:
    from examgen.core.connection import connect

    settings = get_settings()
    where = safe_url(settings.redis.url)
    try:
        connection = connect()
    except ValueError as exc:  # redis-py rejects a URL it cannot parse with ValueError
        click.echo(f"examgen check: REDIS_URL is not a Redis URL ({exc}).", err=True)
        return 1
    error = _ping(connection, wait_s)
    if error is not None:
        click.echo(f"examgen check: Redis at {where} does not answer: {error}.{_hint(error)}", err=True)
        return 1
    version = str(connection.info("server").get("redis_version", "?"))
    try:
        policy = str(connection.config_get("maxmemory-policy").get("maxmemory-policy", "?"))
    except ResponseError:  # managed Redis often disables CONFIG
        policy = "unknown (CONFIG is disabled)"
    click.echo(f"examgen check: settings OK; Redis {version} at {where} answers; maxmemory-policy {policy}.")
    if policy not in ("noeviction", "unknown (CONFIG is disabled)"):
        click.echo(
            f"examgen check: warning: maxmemory-policy {policy} may evict queued jobs and uploads; "
            "set it to noeviction (infra/redis.conf).",
            err=True,
        )
    return 0
