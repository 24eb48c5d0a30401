"""/metrics: the duration histogram's count equals examgen_jobs_processed_total after every kind of end.

Ends counted by the reaper (a job that ended while its worker died; a job failed after its last
attempt) used to reach the counter but not the histogram, and a stats reset cleared the counter but
not the histogram (the 58 vs 56 seen on /metrics).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from redis import Redis
from rq import Queue
from rq.job import Job, JobStatus

from examgen.api.metrics import exposition
from examgen.core import keys, slots, stats
from examgen.core.enqueue import enqueue
from examgen.core.settings import get_settings
from examgen.worker import recovery
from tests.support import wait_until


def counts(redis: Redis) -> tuple[float, float]:
    text = exposition(redis).decode()
    processed = re.search(r"^examgen_jobs_processed_total (\S+)$", text, re.M)
    histogram = re.search(r"^examgen_job_duration_seconds_count (\S+)$", text, re.M)
    assert processed and histogram, text
    return float(processed.group(1)), float(histogram.group(1))


def claimed(redis: Redis, lease_s: int) -> tuple[Job, str]:
    """A job claimed with a lease of `lease_s`, and the claim's fencing token."""
    job = enqueue(redis, "tests.testjobs.tracked", args=(0.1, "x")).job
    claim = slots.claim(redis, keys.queue, 5, lease_s)
    assert claim.job_id == job.id
    return job, claim.token


def expire(redis: Redis) -> None:
    def all_expired() -> bool:
        seconds, micros = redis.time()
        now_ms = int(seconds) * 1000 + int(micros) // 1000
        return not redis.zcount(keys.leases, f"({now_ms}", "+inf")

    wait_until(all_expired, 10, interval_s=0.2, what="leases to expire")


def test_every_end_is_counted_in_both(redis: Redis, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXAMGEN_MAX_ATTEMPTS", "1")
    get_settings.cache_clear()
    queue = Queue(keys.QUEUE_NAME, connection=redis)

    normal, token = claimed(redis, 30)
    normal.set_status(JobStatus.FINISHED)
    assert slots.release(redis, normal.id, keys.queue, token).held
    assert counts(redis) == (1, 1)

    # Ended, but its worker died before releasing: the reaper counts the end.
    ended, _ = claimed(redis, 1)
    ended.started_at = datetime.now(UTC) - timedelta(seconds=3)
    ended.ended_at = datetime.now(UTC)
    ended.save()
    ended.set_status(JobStatus.FINISHED)
    # Started, and its process gone on its last attempt: the reaper fails it.
    abandoned, _ = claimed(redis, 1)
    abandoned.started_at = datetime.now(UTC)
    abandoned.save()
    abandoned.set_status(JobStatus.STARTED)
    expire(redis)
    assert sorted(recovery.reap_expired(redis, queue)) == sorted([ended.id, abandoned.id])
    assert abandoned.get_status() == JobStatus.FAILED
    assert counts(redis) == (3, 3)
    assert (
        float(re.findall(r'examgen_job_duration_seconds_bucket\{le="5.0"\} (\S+)', exposition(redis).decode())[0]) == 3
    )

    stats.reset(redis, keys.queue)
    assert counts(redis) == (0, 0)
