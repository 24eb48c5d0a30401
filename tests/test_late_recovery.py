"""Guarantee 2 after a long outage: a pool that comes back after RQ's own records of the runs expired."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest
from redis import Redis
from rq.registry import StartedJobRegistry

from examgen.core import keys, stats
from examgen.core.enqueue import enqueue
from tests.support import examgen_env, start_pool, wait_until
from tests.test_recovery import starts, status_of

# Starts examgen processes or servers: in `make test`, not in `make test-fast`.
pytestmark = pytest.mark.procs

LEASE_S = 3


def test_a_pool_back_after_rq_forgot_the_runs_runs_the_jobs_again(redis: Redis, redis_url: str, tmp: Path) -> None:
    env = examgen_env(redis_url, MAX_CONCURRENT_JOBS="2", EXAMGEN_LEASE_TTL=str(LEASE_S))
    lost = start_pool(env, tmp, 2, name="lost")
    jobs = [enqueue(redis, "tests.testjobs.tracked", args=(3.0, f"late{i}"), upload=b"%PDF-")[0] for i in range(2)]
    try:
        wait_until(lambda: all(starts(redis, f"late{i}") for i in range(2)), 30, what="both jobs to start")
        lost.signal_group(signal.SIGKILL)  # the host is gone, horses and all
    finally:
        lost.stop()
    # The outage outlasts RQ's execution records (about 60 s after the last heartbeat): they expire,
    # and an `rq info` run meanwhile makes RQ fail the jobs as abandoned.
    for key in redis.scan_iter(match="rq:execution:*", count=1000):
        redis.delete(key)
    StartedJobRegistry(keys.QUEUE_NAME, connection=redis).cleanup(timestamp=time.time() + 3600)
    back = start_pool(env, tmp, 2, name="back")
    try:
        deadline = time.monotonic() + 60
        while any(status_of(redis, job.id) != "finished" for job in jobs):
            assert back.popen.poll() is None, back.output()[-3000:]  # the new pool lives on
            assert time.monotonic() < deadline, [status_of(redis, job.id) for job in jobs]
            time.sleep(0.1)
        final = wait_until(lambda: (s := stats.read_status(redis, keys.queue, 2)).total_processed == 2 and s, 10)
        assert (final.total_failed, final.processing) == (0, 0)
        assert all(len(starts(redis, f"late{i}")) == 2 for i in range(2))
        assert list(redis.scan_iter(match=keys.upload("*"))) == []
    finally:
        assert back.stop() == 0
