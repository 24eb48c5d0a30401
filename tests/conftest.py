"""The suite's own redis-server (never the machine's 6379) and settings taken from the environment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis

from tests.support import RedisServer
from worker.settings import get_settings


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if not redis_server.answers():
        redis_server.start()
    Redis.from_url(redis_server.url).flushall()  # the suite's private server, never 6379
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    for name in ("MAX_CONCURRENT_JOBS", "EXAMGEN_ADMIN_TOKEN", "EXAMGEN_MAX_UPLOAD_MB", "EXAMGEN_MAX_QUEUED_PER_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield redis_server.url
    get_settings.cache_clear()


@pytest.fixture
def redis(redis_url: str) -> Iterator[Redis]:
    connection = Redis.from_url(redis_url)
    yield connection
    connection.close()


@pytest.fixture
def tmp(tmp_path: Path) -> Path:
    return tmp_path
