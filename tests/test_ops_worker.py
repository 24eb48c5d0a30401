"""Operating the worker: burst mode for scale-to-zero, giving up on a lost Redis, `examgen check`."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from redis import Redis
from rq.job import Job

from examgen.core import keys, stats
from examgen.core.enqueue import enqueue
from tests.support import EXAMGEN, ROOT, RedisServer, examgen_env, free_port, run_burst, start_pool, wait_until

# Starts examgen processes or servers: in `make test`, not in `make test-fast`.
pytestmark = pytest.mark.procs


def check(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXAMGEN, "check", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_burst_drains_the_queue_and_exits_zero(redis: Redis, redis_url: str) -> None:
    jobs = [enqueue(redis, "tests.testjobs.tracked", args=(0.2, f"b{i}"))[0] for i in range(8)]
    started = time.monotonic()
    done = run_burst(examgen_env(redis_url, MAX_CONCURRENT_JOBS="3"), n=3)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 60
    assert {Job.fetch(j.id, connection=redis).get_status() for j in jobs} == {"finished"}
    status = stats.read_status(redis, keys.queue, 3)
    assert (status.queue_size, status.processing, status.total_processed) == (0, 0, 8)
    assert 1 <= status.max_processing <= 3 and status.live_workers == 0 and status.live_pools == 0


def test_burst_on_an_empty_queue_exits_at_once(redis_url: str) -> None:
    started = time.monotonic()
    done = run_burst(examgen_env(redis_url), n=2)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 30


def test_the_worker_gives_up_when_redis_never_answers(tmp: Path) -> None:
    env = examgen_env(f"redis://127.0.0.1:{free_port()}/0", EXAMGEN_REDIS_WAIT_S="2")
    started = time.monotonic()
    done = run_burst(env, n=1, timeout_s=60)  # burst or not, the start-up wait is the same
    assert done.returncode == 1
    assert time.monotonic() - started < 30
    assert "did not answer for 2 s" in done.stderr


def test_the_worker_exits_nonzero_when_redis_is_lost_for_long(tmp: Path) -> None:
    server = RedisServer(tmp / "lost")
    server.start()
    env = examgen_env(server.url, EXAMGEN_REDIS_WAIT_S="1")
    pool = start_pool(env, tmp, 1)
    try:
        wait_until(lambda: stats.read_status(Redis.from_url(server.url), keys.queue, 1).live_workers == 1, 30)
        server.kill()
        # Runtime tolerance is 5x the start-up wait, noticed on the next 5 s chore round.
        assert pool.popen.wait(timeout=60) == 1
        assert "Redis unreachable" in pool.output()
    finally:
        pool.stop()
        server.stop()


def test_check_passes_against_a_live_redis(redis_url: str) -> None:
    done = check(examgen_env(redis_url))
    assert done.returncode == 0, done.stderr
    assert "settings OK" in done.stdout and "answers" in done.stdout


def test_check_explains_an_unreachable_redis_and_a_bad_setting() -> None:
    url = f"redis://:s3cret-password@127.0.0.1:{free_port()}/0"
    done = check(examgen_env(url), "--wait", "1")
    assert done.returncode == 1
    assert "does not answer" in done.stderr and "s3cret-password" not in done.stderr + done.stdout
    bad = check(examgen_env(url, MAX_CONCURRENT_JOBS="many"))
    assert bad.returncode == 2 and "MAX_CONCURRENT_JOBS must be a whole number" in bad.stderr


def test_check_warns_about_an_evicting_redis(tmp: Path) -> None:
    server = RedisServer(tmp / "lru", extra=["--maxmemory-policy", "allkeys-lru"])
    server.start()
    try:
        done = check(examgen_env(server.url))
        assert done.returncode == 0 and "allkeys-lru may evict" in done.stderr
    finally:
        server.stop()


def test_a_job_queued_under_the_old_import_path_still_runs(redis: Redis, redis_url: str) -> None:
    # Before the one `examgen` package, RQ stored the job function as worker.task.make_exam.
    pdf = (ROOT / "tests" / "data" / "pdfs" / "water-cycle-handout.pdf").read_bytes()
    options = {"num_questions": 3, "types": ["mcq"], "title": None, "language": "auto"}
    job = enqueue(redis, "worker.task.make_exam", args=(options,), meta={"filename": "old.pdf"}, upload=pdf)[0]
    done = run_burst(examgen_env(redis_url, MAX_CONCURRENT_JOBS="1"), n=1)
    assert done.returncode == 0, done.stderr
    assert Job.fetch(job.id, connection=redis).get_status() == "finished", done.stderr
    assert redis.get(keys.exam(job.id)) is not None
