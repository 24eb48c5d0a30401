"""The one way to reach Redis, with timeouts so a dead Redis is an error, never a hang.

`REDIS_URL` is a plain URL (redis://, rediss://, unix://) or a Sentinel one:
`redis+sentinel://[[USER]:PASSWORD@]HOST:PORT[,HOST:PORT...]/SERVICE[/DB][?sentinel_password=P]`
(`rediss+sentinel://` for TLS to the primary). With Sentinel every client asks the sentinels
which server is the primary when it connects, and reconnects there after a failover: a
connection to a demoted primary answers READONLY, which redis-py's Sentinel pool turns into a
reconnect.
"""

from __future__ import annotations

from typing import Any, NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit

from redis import Redis
from redis.asyncio import Redis as AsyncRedis
from redis.asyncio.retry import Retry as AsyncRetry
from redis.asyncio.sentinel import Sentinel as AsyncSentinel
from redis.backoff import ExponentialBackoff
from redis.retry import Retry
from redis.sentinel import Sentinel

from examgen.core.settings import get_settings

SENTINEL_SCHEMES = ("redis+sentinel", "rediss+sentinel")


class SentinelTarget(NamedTuple):
    hosts: list[tuple[str, int]]
    service: str
    db: int
    username: str | None
    password: str | None
    sentinel_password: str | None
    tls: bool


def is_sentinel(url: str) -> bool:
    return url.split("://", 1)[0] in SENTINEL_SCHEMES


def parse_sentinel(url: str) -> SentinelTarget:
    parts = urlsplit(url)
    userinfo, _, hostlist = parts.netloc.rpartition("@")
    username, _, password = userinfo.partition(":") if userinfo else ("", "", "")
    hosts = []
    for item in hostlist.split(","):
        host, _, port = item.rpartition(":")
        hosts.append((host or item, int(port) if host else 26379))
    path = [p for p in parts.path.split("/") if p]
    if not path:
        raise ValueError("a Sentinel REDIS_URL names the service: redis+sentinel://HOST:PORT/SERVICE/DB")
    query = parse_qs(parts.query)
    return SentinelTarget(
        hosts=hosts,
        service=unquote(path[0]),
        db=int(path[1]) if len(path) > 1 else 0,
        username=unquote(username) or None,
        password=unquote(password) or None,
        sentinel_password=query.get("sentinel_password", [None])[0],
        tls=parts.scheme.startswith("rediss"),
    )


# With Sentinel there are replicas, and replication is asynchronous: a primary SIGKILLed right
# after acknowledging a write loses it. An accepted upload therefore waits (after its MULTI) until
# one replica has it, at most this long; a replica that is down costs each upload this much and
# the upload is still accepted (logged), so a lost replica never stops the service.
REPLICA_WAIT_MS = 500


def replica_wait_ms(url: str | None = None) -> int:
    return REPLICA_WAIT_MS if is_sentinel(url or get_settings().redis.url) else 0


def _sentinel_options(target: SentinelTarget, options: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Options of the sentinels themselves, and of the primary's connections."""
    asking = {
        "socket_timeout": options["socket_timeout"],
        "socket_connect_timeout": options["socket_connect_timeout"],
        "password": target.sentinel_password,
    }
    primary = {**options, "db": target.db, "username": target.username, "password": target.password}
    if target.tls:
        primary["ssl"] = True
    return asking, primary


def _sync(target_url: str, retry: Retry, options: dict[str, Any]) -> Redis:
    if not is_sentinel(target_url):
        return Redis.from_url(target_url, retry=retry, **options)
    target = parse_sentinel(target_url)
    asking, primary = _sentinel_options(target, options)
    sentinel = Sentinel(target.hosts, sentinel_kwargs=asking, **primary)
    client: Redis = sentinel.master_for(target.service, redis_class=Redis, retry=retry)
    return client


def _options(target: str) -> dict[str, Any]:
    settings = get_settings().redis
    options: dict[str, Any] = {
        "socket_timeout": settings.socket_timeout_s,
        "socket_connect_timeout": 2.0,
        "health_check_interval": 15,
    }
    if target.startswith(("rediss://", "rediss+sentinel://")) and not settings.tls_verify:
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
    return _sync(target, Retry(ExponentialBackoff(cap=0.5, base=0.05), retries), _options(target))


def connect_async(url: str | None = None) -> AsyncRedis:
    """For the few hot web paths that must not pay a hop to a worker thread."""
    target = url or get_settings().redis.url
    retry = AsyncRetry(ExponentialBackoff(cap=0.5, base=0.05), 1)
    if not is_sentinel(target):
        return AsyncRedis.from_url(target, retry=retry, **_options(target))
    sentinel_target = parse_sentinel(target)
    asking, primary = _sentinel_options(sentinel_target, _options(target))
    sentinel = AsyncSentinel(sentinel_target.hosts, sentinel_kwargs=asking, **primary)
    client: AsyncRedis = sentinel.master_for(sentinel_target.service, redis_class=AsyncRedis, retry=retry)
    return client


def connect_bounded(timeout_s: float, url: str | None = None) -> Redis:
    """A client whose every call ends within about `timeout_s`: no retry, short socket timeouts.

    For calls whose answer is worthless once late (a lease renewal).
    """
    target = url or get_settings().redis.url
    options = {**_options(target), "socket_timeout": timeout_s, "socket_connect_timeout": timeout_s}
    return _sync(target, Retry(ExponentialBackoff(), 0), options)
