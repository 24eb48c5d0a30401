"""The high-water marks equal the true maxima of any interleaving of enqueues, starts and ends."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redis import Redis
from rq.job import Job, JobStatus

from examgen.core import keys, slots, stats
from examgen.core.enqueue import enqueue

CAP = 3
operations = st.lists(st.sampled_from(["enqueue", "start", "end_ok", "end_fail"]), min_size=1, max_size=60)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(schedule=operations)
def test_marks_equal_true_maxima(redis: Redis, schedule: list[str]) -> None:
    redis.flushall()
    waiting = 0
    running: list[slots.Claim] = []
    true_max_waiting = true_max_running = finished = failed = 0
    for op in schedule:
        if op == "enqueue":
            enqueue(redis, "tests.testjobs.tracked", args=(0,))
            waiting += 1
        elif op == "start":
            claim = slots.claim(redis, keys.queue, CAP, lease_ttl_s=60)
            if waiting and len(running) < CAP:
                assert claim.job_id is not None
                waiting -= 1
                running.append(claim)
            else:
                assert claim.job_id is None
        elif running:
            ended = running.pop(0)
            assert ended.job_id
            ok = op == "end_ok"
            Job.fetch(ended.job_id, connection=redis).set_status(JobStatus.FINISHED if ok else JobStatus.FAILED)
            assert slots.release(redis, ended.job_id, keys.queue, ended.token).held
            finished += ok
            failed += not ok
        true_max_waiting = max(true_max_waiting, waiting)
        true_max_running = max(true_max_running, len(running))
        now = stats.read_status(redis, keys.queue, CAP)
        assert (now.queue_size, now.processing) == (waiting, len(running))
        assert (now.max_queue_size, now.max_processing) == (true_max_waiting, true_max_running)
    assert now.total_processed == finished + failed and now.total_failed == failed


def test_marks_catch_a_burst_between_two_polls(redis: Redis) -> None:
    before = stats.read_status(redis, keys.queue, CAP)
    ids = [enqueue(redis, "tests.testjobs.tracked", args=(0,))[0].id for _ in range(7)]
    for _ in ids:
        claim = slots.claim(redis, keys.queue, CAP, lease_ttl_s=60)
        if claim.job_id:
            Job.fetch(claim.job_id, connection=redis).set_status(JobStatus.FINISHED)
            slots.release(redis, claim.job_id, keys.queue, claim.token)
    while (claim := slots.claim(redis, keys.queue, CAP, lease_ttl_s=60)).job_id:
        Job.fetch(claim.job_id, connection=redis).set_status(JobStatus.FINISHED)
        slots.release(redis, claim.job_id, keys.queue, claim.token)
    after = stats.read_status(redis, keys.queue, CAP)
    assert before.queue_size == after.queue_size == 0
    assert after.max_queue_size == 7 and after.max_processing == 1 and after.total_processed == 7
    assert after.max_queue_size_at is not None and after.max_processing_at is not None


def test_reset_restarts_marks_from_the_current_levels(redis: Redis) -> None:
    for _ in range(4):
        enqueue(redis, "tests.testjobs.tracked", args=(0,))
    slots.claim(redis, keys.queue, CAP, lease_ttl_s=60)
    stats.reset(redis, keys.queue)
    now = stats.read_status(redis, keys.queue, CAP)
    assert (now.max_queue_size, now.max_processing, now.total_processed) == (3, 1, 0)
    assert now.stats_reset_at is not None


def test_an_expired_lease_frees_its_slot_and_is_reaped_once(redis: Redis) -> None:
    enqueue(redis, "tests.testjobs.tracked", args=(0,))
    enqueue(redis, "tests.testjobs.tracked", args=(0,))
    first = slots.claim(redis, keys.queue, 1, lease_ttl_s=60)
    assert first.job_id and slots.claim(redis, keys.queue, 1, lease_ttl_s=60).job_id is None
    redis.zadd(keys.leases, {first.job_id: 0})  # as if its holder stopped renewing long ago
    assert not slots.renew(redis, first.job_id, first.token, 60)  # an expired lease is never revived
    second = slots.claim(redis, keys.queue, 1, lease_ttl_s=60)
    assert second.job_id and second.job_id != first.job_id
    assert [job_id for job_id, _ in slots.reap(redis)] == [first.job_id]
    assert slots.reap(redis) == []  # parked for its recovery, not taken again before its time
    assert not slots.release(redis, first.job_id, keys.queue, first.token).held


def test_history_keeps_the_minute_peaks_and_counts(redis: Redis) -> None:
    ids = [enqueue(redis, "tests.testjobs.tracked", args=(0,))[0].id for _ in range(4)]
    claim = slots.claim(redis, keys.queue, CAP, lease_ttl_s=60)
    assert claim.job_id == ids[0]
    Job.fetch(claim.job_id, connection=redis).set_status(JobStatus.FAILED)
    slots.release(redis, claim.job_id, keys.queue, claim.token)
    history = stats.read_history(redis, 5)
    assert len(history) == 5
    recent = history[-2:]  # the test may straddle a minute boundary
    assert max(p.queue_size for p in recent) == 4 and max(p.processing for p in recent) == 1
    assert (sum(p.finished for p in recent), sum(p.failed for p in recent)) == (0, 1)
    assert all(p.queue_size == 0 and p.finished == 0 for p in history[:-2])
    assert len(redis.hkeys(keys.history)) <= 7 * keys.history_minutes  # bounded: a ring of one day
