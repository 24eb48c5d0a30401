"""The suite's own redis-server (never the machine's 6379) and settings taken from the environment."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis import Redis

from examgen.core.settings import get_settings
from examgen.services import tokens
from tests.support import BIN, Proc, RedisServer, Stack, examgen_env, free_port, procfile_commands, wait_until


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


@pytest.fixture(scope="module")
def stack(  # the Procfile's web and worker against the suite's Redis, one per test module
    redis_server: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    Redis.from_url(redis_server.url).flushall()
    tmp = tmp_path_factory.mktemp("e2e")
    port = free_port()
    env = examgen_env(redis_server.url, PORT=str(port), EXAMGEN_HOST="127.0.0.1", MAX_CONCURRENT_JOBS="2")
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    commands = procfile_commands()
    assert set(commands) >= {"web", "worker"}
    procs = {name: Proc(cmd, env, tmp / f"{name}.log") for name, cmd in commands.items() if name in ("web", "worker")}
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return httpx.get(f"{base}/readyz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_until(up, 30, what="examgen web")
        token = tokens.create(Redis.from_url(redis_server.url), "e2e-user")
        yield Stack(base, token, procs)
    finally:
        for proc in procs.values():
            proc.stop()
