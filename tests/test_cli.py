"""The `examgen` command line: tokens, status and stats reset, run as a user runs them."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest
from redis import Redis
from rq.job import Job

from examgen.core import keys, stats
from examgen.core.enqueue import enqueue
from examgen.services import tokens
from tests.support import EXAMGEN, ROOT, examgen_env, start_pool, wait_until

# Starts examgen processes or servers: in `make test`, not in `make test-fast`.
pytestmark = pytest.mark.procs


def examgen(redis_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXAMGEN, *args], env=examgen_env(redis_url), cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_token_create_list_revoke(redis: Redis, redis_url: str) -> None:
    created = examgen(redis_url, "token", "create", "carol", "--admin")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip().splitlines()[-1]
    assert token.startswith("eg_") and len(token) >= 43  # 32 random bytes, url-safe
    assert tokens.verify(redis, token) == tokens.Caller("carol", True)
    dump = b"".join(redis.dump(k) or b"" for k in redis.keys("examgen:*"))
    assert token.encode() not in dump  # only a digest is stored

    listed = examgen(redis_url, "token", "list")
    assert "carol\tadmin" in listed.stdout and token not in listed.stdout
    assert examgen(redis_url, "token", "create", "carol").returncode != 0  # names are unique

    assert examgen(redis_url, "token", "revoke", "carol").returncode == 0
    assert tokens.verify(redis, token) is None
    assert examgen(redis_url, "token", "revoke", "carol").returncode != 0


def test_status_and_stats_reset(redis: Redis, redis_url: str) -> None:
    for _ in range(3):
        enqueue(redis, "tests.testjobs.tracked", args=(0,))
    status = json.loads(examgen(redis_url, "status").stdout)
    assert status["queue_size"] == 3 and status["max_queue_size"] == 3
    redis.delete(keys.queue)
    reset = examgen(redis_url, "stats", "reset", "--yes")
    assert reset.returncode == 0, reset.stderr
    after = json.loads(examgen(redis_url, "status").stdout)
    assert after["max_queue_size"] == 0 and after["stats_reset_at"]


def test_bad_settings_are_a_clear_error(redis_url: str) -> None:
    result = subprocess.run(
        [EXAMGEN, "status"],
        env=examgen_env(redis_url, MAX_CONCURRENT_JOBS="many"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "MAX_CONCURRENT_JOBS must be a whole number" in result.stderr
    assert "Traceback" not in result.stderr


def test_rq_suspend_and_resume_pause_every_examgen_worker(redis: Redis, redis_url: str, tmp: Path) -> None:
    rq = str(Path(EXAMGEN).with_name("rq"))
    env = examgen_env(redis_url, MAX_CONCURRENT_JOBS="2")
    pool = start_pool(env, tmp, 2)
    try:
        wait_until(lambda: stats.read_status(redis, keys.queue, 2).live_workers == 2, 30, what="the pool")
        assert subprocess.run([rq, "suspend", "--url", redis_url], capture_output=True, timeout=30).returncode == 0
        job = enqueue(redis, "tests.testjobs.tracked", args=(0.1, "paused"))[0]
        time.sleep(3)  # long enough for an idle worker to have claimed it, were it not suspended
        assert Job.fetch(job.id, connection=redis).get_status().value == "queued"
        info = subprocess.run([rq, "info", "--url", redis_url], capture_output=True, text=True, timeout=30)
        assert "examgen" in info.stdout and "suspended" in info.stdout
        assert subprocess.run([rq, "resume", "--url", redis_url], capture_output=True, timeout=30).returncode == 0
        wait_until(lambda: Job.fetch(job.id, connection=redis).get_status().value == "finished", 30, what="resume")
    finally:
        pool.stop()
