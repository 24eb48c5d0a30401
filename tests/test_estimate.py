"""The 202's wait estimate against the real wait: a burst of two owners (50 and 5 jobs), cap 5.

Jobs take a controlled time (tests.testjobs.tracked), so the check is a ratio, not a timing: the
median relative error of each owner's estimates stays within 25 %.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest
from redis import Redis
from rq.job import Job

from examgen.core import keys, stats
from examgen.core.enqueue import enqueue
from examgen.core.submission import submit
from examgen.services import jobview
from examgen.services import status as queue_status
from tests.support import examgen_env, start_pool, wait_until

pytestmark = pytest.mark.procs

CAP = 5
JOB_S = 2.0
# Waits shorter than this are dominated by the whole-second rounding of the estimate.
MIN_WAIT_S = 2.0


def test_the_202_estimate_is_within_25_percent_for_each_owner(redis: Redis, redis_url: str, tmp: Path) -> None:
    env = examgen_env(redis_url, MAX_CONCURRENT_JOBS=str(CAP))
    pool = start_pool(env, tmp, CAP)
    try:
        wait_until(lambda: stats.read_status(redis, keys.queue, CAP).live_workers == CAP, 30, what="workers")
        enqueue(redis, "tests.testjobs.tracked", args=(JOB_S, "warm-up"))  # one solo run measured first
        wait_until(lambda: stats.read_status(redis, keys.queue, CAP).total_processed == 1, 60, what="warm-up")
        estimates: dict[str, tuple[str, int]] = {}
        for owner, count in (("alice", 50), ("bob", 5)):
            for _ in range(count):
                # As POST /generate answers it: the place from the submission's script, the rest
                # from a status reading at most ESTIMATE_READING_MAX_AGE_S old.
                reading = queue_status.for_estimate(redis)
                done = submit(redis, "tests.testjobs.tracked", args=(JOB_S, owner), owner=owner, quota=1000)
                view = jobview.view(done.job, done.place, queue_status.at_submission(reading, done.running_elapsed_s))
                estimates[done.job.id] = (owner, view["estimated_wait_time"])
        wait_until(lambda: stats.read_status(redis, keys.queue, CAP).total_processed == 56, 180, what="the burst")
    finally:
        pool.stop()
    errors: dict[str, list[float]] = {"alice": [], "bob": []}
    for job in Job.fetch_many(list(estimates), connection=redis):
        assert job is not None and job.started_at and job.enqueued_at
        owner, estimate = estimates[job.id]
        real = (job.started_at - job.enqueued_at).total_seconds()
        if real >= MIN_WAIT_S:
            errors[owner].append(abs(estimate - real) / real)
    assert len(errors["alice"]) >= 40 and len(errors["bob"]) >= 1, errors
    for owner, found in errors.items():
        assert statistics.median(found) <= 0.25, (owner, sorted(found))
