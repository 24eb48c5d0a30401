"""`examgen dev` (what `make run` runs): a private Redis when none answers, then the Procfile."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx
import pytest
from redis import Redis
from redis.exceptions import RedisError

from examgen.core import keys, stats
from examgen.core.enqueue import enqueue
from tests.support import EXAMGEN, Proc, examgen_env, free_port, wait_until
from tests.test_recovery import events, starts, status_of

# Starts examgen processes or servers: in `make test`, not in `make test-fast`.
pytestmark = pytest.mark.procs


def test_dev_starts_redis_web_and_workers_and_ctrl_c_stops_all(tmp: Path) -> None:
    redis_port, web_port = free_port(), free_port()
    env = examgen_env(
        f"redis://127.0.0.1:{redis_port}/0", PORT=str(web_port), EXAMGEN_HOST="127.0.0.1", MAX_CONCURRENT_JOBS="1"
    )
    dev = Proc([EXAMGEN, "dev"], env, tmp / "dev.log")
    try:
        wait_until(lambda: _ready(web_port), 60, interval_s=0.3, what="examgen dev's web process")
        redis = Redis(port=redis_port)
        wait_until(lambda: stats.read_status(redis, keys.queue, 1).live_workers == 1, 30, what="its worker pool")
        dev.signal_group(signal.SIGINT)  # Ctrl-C in a terminal reaches the whole process group
        dev.popen.wait(timeout=60)
        assert not _ready(web_port)
        wait_until(lambda: not _answers(redis_port), 15, what="the private Redis to stop")
        assert "started a private redis-server" in dev.output()
    finally:
        dev.stop()


def test_ctrl_c_in_dev_lets_a_running_job_finish(redis: Redis, redis_url: str, tmp: Path) -> None:
    # Longer than honcho's own 5 s before it SIGKILLs what still runs; well within the pool's grace.
    env = examgen_env(redis_url, PORT=str(free_port()), EXAMGEN_HOST="127.0.0.1", MAX_CONCURRENT_JOBS="1")
    dev = Proc([EXAMGEN, "dev"], env, tmp / "dev.log")
    try:
        wait_until(lambda: stats.read_status(redis, keys.queue, 1).live_workers == 1, 60, what="the worker pool")
        job = enqueue(redis, "tests.testjobs.tracked", args=(10.0, "ctrl-c"))[0]
        wait_until(lambda: starts(redis, "ctrl-c"), 30, what="the job to start")
        dev.signal_group(signal.SIGINT)
        dev.popen.wait(timeout=60)
        assert status_of(redis, job.id) == "finished", dev.output()[-3000:]
        assert [e[0] for e in events(redis)] == ["start", "end"]
        assert redis.llen(keys.queue) == 0
    finally:
        dev.stop()


def test_dev_says_clearly_when_redis_cannot_be_started(tmp: Path) -> None:
    env = examgen_env(f"redis://127.0.0.1:{free_port()}/0", PATH="/nonexistent")
    dev = Proc([EXAMGEN, "dev"], env, tmp / "dev.log")
    assert dev.popen.wait(timeout=30) == 1
    assert "redis-server` is not installed" in dev.output()
    dev.stop()


def _answers(port: int) -> bool:
    try:
        return bool(Redis(port=port, socket_connect_timeout=0.3).ping())
    except RedisError:
        return False


def _ready(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def test_dev_asks_a_sentinel_url_like_every_other_client() -> None:
    from examgen import devserver

    # Nothing listens there: the answer is "no Redis", not a crash on the URL's scheme.
    assert devserver._answers(f"redis+sentinel://127.0.0.1:{free_port()}/mymaster/0") is False
    assert devserver._answers(f"redis://127.0.0.1:{free_port()}/0") is False
