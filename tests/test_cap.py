"""Guarantee 1: never more than MAX_CONCURRENT_JOBS execute at once, whatever the number of pools."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from redis import Redis

from examgen.core import keys, stats
from examgen.core.enqueue import enqueue
from tests import testjobs
from tests.support import examgen_env, start_pool, wait_until

# Starts examgen processes or servers: in `make test`, not in `make test-fast`.
pytestmark = pytest.mark.procs

CAP = 5
JOBS = 100
JOB_S = 1.0


def test_hundred_jobs_two_pools_of_five_under_a_cap_of_five(redis: Redis, redis_url: str, tmp: Path) -> None:
    env = examgen_env(redis_url, MAX_CONCURRENT_JOBS=str(CAP))
    pools = [start_pool(env, tmp, 5, name="a"), start_pool(env, tmp, 5, name="b")]
    try:
        wait_until(lambda: stats.read_status(redis, keys.queue, CAP).live_workers == 10, 30, what="10 workers")
        # One after the other, so submission order is defined and FIFO can be checked.
        jobs = [enqueue(redis, "tests.testjobs.tracked", args=(JOB_S, f"{i:03d}"))[0].id for i in range(JOBS)]
        # Sample the live state while the burst drains: an independent counter kept by the jobs
        # themselves, and the lease set the cap is built on.
        deadline = time.monotonic() + 120
        peak_running = peak_leases = 0
        while time.monotonic() < deadline:
            running = int(redis.get(testjobs.RUNNING) or 0)
            leases = redis.zcard(keys.leases)
            assert running <= CAP and leases <= CAP, (running, leases)
            peak_running, peak_leases = max(peak_running, running), max(peak_leases, leases)
            if stats.read_status(redis, keys.queue, CAP).total_processed == JOBS:
                break
            time.sleep(0.02)
        samples = [int(s) for s in redis.lrange(testjobs.SAMPLES, 0, -1)]
        assert len(samples) == JOBS
        assert max(samples) == CAP  # every value the jobs' own counter reached
        assert peak_leases == CAP
        final = stats.read_status(redis, keys.queue, CAP)
        assert final.total_processed == JOBS and final.total_failed == 0
        assert final.max_processing == CAP and final.max_concurrent == CAP
        # Submitting 100 jobs takes far less than one job's second, so at most the first few
        # had started when the last one arrived.
        assert JOBS - 2 * CAP <= final.max_queue_size <= JOBS
        assert final.queue_size == 0 and final.processing == 0
        # FIFO: jobs start in submission order, give or take the jobs starting at the same moment.
        started = [
            e.split()[1] for e in (x.decode() for x in redis.lrange(testjobs.EVENTS, 0, -1)) if e.startswith("start")
        ]
        order = {job_id: i for i, job_id in enumerate(jobs)}
        assert all(abs(order[job_id] - i) <= 2 * CAP for i, job_id in enumerate(started))
    finally:
        for pool in pools:
            pool.stop()
