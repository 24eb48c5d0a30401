"""Guarantee 1 against a stalled holder: a work-horse stopped past its lease never runs beside its successor."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

import pytest
from redis import Redis

from examgen.core import keys, stats
from examgen.core.enqueue import enqueue
from tests import testjobs
from tests.support import examgen_env, start_pool, wait_until
from tests.test_recovery import alive, events, starts, status_of

# Starts examgen processes or servers: in `make test`, not in `make test-fast`.
pytestmark = pytest.mark.procs

LEASE_S = 3
RENEW_INTERVAL_S = 0.5  # lifeline.LeaseKeeper's interval for a 3 s lease


def test_a_stopped_horse_woken_after_its_lease_cannot_run_beside_its_successor(
    redis: Redis, redis_url: str, tmp: Path
) -> None:
    env = examgen_env(redis_url, MAX_CONCURRENT_JOBS="1", EXAMGEN_LEASE_TTL=str(LEASE_S))
    first = start_pool(env, tmp, 1, name="first")
    second = None
    try:
        long_job = enqueue(redis, "tests.testjobs.tracked", args=(8.0, "long"))[0]
        next_job = enqueue(redis, "tests.testjobs.tracked", args=(0.2, "next"))[0]
        stalled = int(wait_until(lambda: starts(redis, "long"), 30, what="the long job to start")[0][3])
        os.kill(stalled, signal.SIGSTOP)  # what a VM pause or a swap storm looks like
        second = start_pool(env, tmp, 1, name="second")
        successor = wait_until(lambda: starts(redis, "long")[1:], 40, what="the job to run again")[0]
        assert int(successor[3]) != stalled
        with contextlib.suppress(ProcessLookupError):
            os.kill(stalled, signal.SIGCONT)
        wait_until(lambda: not alive(stalled), RENEW_INTERVAL_S + 2, what="the woken horse to stop")
        deadline = time.monotonic() + 60
        while {status_of(redis, long_job.id), status_of(redis, next_job.id)} != {"finished"}:
            assert redis.zcard(keys.leases) <= 1
            assert time.monotonic() < deadline, "the queue did not drain"
            time.sleep(0.05)
        seen = [e[0] + " " + e[2] for e in events(redis) if e[2] in ("long", "next")]
        assert seen.count("start long") == 2 and seen.count("end long") == 1, seen  # the stalled copy never ended
        # Cap 1: the job that took the freed slot never ran beside the running copy of job 1.
        rerun, rerun_end = len(seen) - 1 - seen[::-1].index("start long"), seen.index("end long")
        assert seen.index("start next") > rerun_end or seen.index("end next") < rerun, seen
        final = wait_until(lambda: (s := stats.read_status(redis, keys.queue, 1)).total_processed == 2 and s, 10)
        assert (final.total_failed, final.max_processing) == (0, 1)
    finally:
        first.stop()
        if second:
            second.stop()
        assert testjobs.EVENTS  # the recorded events live in the suite's private Redis only
