"""Webhook deliveries in Redis (examgen.core.deliveries): due, claim, fencing, the periodic check."""

from __future__ import annotations

import pytest
from redis import Redis
from rq.job import Job, JobStatus

from examgen.core import deliveries, keys, slots
from examgen.core.enqueue import enqueue, queue_for
from examgen.core.jobstates import MAKE_EXAM
from examgen.core.settings import get_settings
from examgen.services import jobs
from examgen.worker import recovery
from examgen.worker.examworker import ExamWorker

ATTEMPT = {"at": "2026-01-01T00:00:00Z", "status_code": 500, "error": "answered 500"}


def submitted(redis: Redis) -> Job:
    meta = {"owner": "alice", "callback": {"url": "http://127.0.0.1:1/hook", "attempts": []}}
    return enqueue(redis, MAKE_EXAM, args=({},), meta=meta, owner="alice").job


def end(redis: Redis, job: Job, status: JobStatus = JobStatus.FINISHED) -> None:
    job.set_status(status)


def test_an_end_makes_the_delivery_due_and_one_sender_claims_it(redis: Redis) -> None:
    job = submitted(redis)
    assert deliveries.claim(redis, 30) is None  # not due before the job ends
    end(redis, job)
    assert deliveries.make_due(redis, job.id)
    got = deliveries.claim(redis, 30)
    assert got is not None and got.job_id == job.id and got.tries == 0
    assert deliveries.claim(redis, 30) is None  # held by the first claim
    assert not deliveries.make_due(redis, job.id)  # an end reported again does not start another


def test_the_periodic_check_sends_an_end_nobody_reported(redis: Redis) -> None:
    job = submitted(redis)
    redis.zadd(keys.deliveries, {job.id: 0})  # its check is due (as after keys.delivery_recheck_ms)
    assert deliveries.claim(redis, 30) is None  # still queued: looked at again later
    assert float(redis.zscore(keys.deliveries, job.id) or 0) > 0
    end(redis, job, JobStatus.CANCELED)  # and no make_due
    redis.zadd(keys.deliveries, {job.id: 0})
    got = deliveries.claim(redis, 30)
    assert got is not None and got.job_id == job.id


def test_a_stale_claim_cannot_record_over_the_one_that_replaced_it(redis: Redis) -> None:
    job = submitted(redis)
    end(redis, job)
    deliveries.make_due(redis, job.id)
    stale = deliveries.claim(redis, 0)  # a claim that has already run out
    assert stale is not None
    fresh = deliveries.claim(redis, 30)
    assert fresh is not None and fresh.token != stale.token
    assert not deliveries.record(redis, stale, ATTEMPT, None, deliveries.DELIVERED)
    assert deliveries.record(redis, fresh, ATTEMPT, 60_000)
    state = deliveries.state_from(_read(redis, job.id))
    assert state.state == "pending" and state.next_ms is not None and state.attempts == [ATTEMPT]
    assert not deliveries.record(redis, fresh, ATTEMPT, None)  # the claim ended with its record


def test_a_final_record_ends_the_delivery(redis: Redis) -> None:
    job = submitted(redis)
    end(redis, job, JobStatus.FAILED)
    deliveries.make_due(redis, job.id)
    got = deliveries.claim(redis, 30)
    assert got is not None and deliveries.record(redis, got, ATTEMPT, None, deliveries.FAILED)
    assert redis.zscore(keys.deliveries, job.id) is None
    assert deliveries.state_from(_read(redis, job.id)).state == "failed"
    assert redis.ttl(keys.delivery(job.id)) > 0 and redis.ttl(keys.delivery_attempts(job.id)) > 0


def test_a_delivery_whose_job_is_gone_is_dropped(redis: Redis) -> None:
    job = submitted(redis)
    job.delete()
    redis.zadd(keys.deliveries, {job.id: 0})
    assert deliveries.claim(redis, 30) is None
    assert redis.zscore(keys.deliveries, job.id) is None and not redis.exists(keys.delivery(job.id))


def test_the_workers_release_of_an_ended_job_makes_the_delivery_due(redis: Redis) -> None:
    job = submitted(redis)
    worker = ExamWorker([queue_for(redis)], connection=redis, name="release-test")
    claimed = slots.claim(redis, keys.queue, 1, 60)
    assert claimed.job_id == job.id
    worker._token = claimed.token
    end(redis, job)
    assert worker._release(job, queue_for(redis)).held
    got = deliveries.claim(redis, 30)
    assert got is not None and got.job_id == job.id


def test_a_cancel_makes_the_delivery_due(redis: Redis) -> None:
    job = submitted(redis)
    jobs.cancel(redis, job)
    got = deliveries.claim(redis, 30)
    assert got is not None and got.job_id == job.id


def test_recovery_giving_up_makes_the_delivery_due(redis: Redis, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXAMGEN_MAX_ATTEMPTS", "1")
    get_settings.cache_clear()
    job = submitted(redis)
    assert slots.claim(redis, keys.queue, 1, 60).job_id == job.id  # ... and its worker dies
    redis.zadd(keys.leases, {job.id: 0})
    assert recovery.reap_expired(redis, queue_for(redis)) == [job.id]
    assert Job.fetch(job.id, connection=redis).get_status() == JobStatus.FAILED
    got = deliveries.claim(redis, 30)
    assert got is not None and got.job_id == job.id


def _read(redis: Redis, job_id: str) -> list[object]:
    with redis.pipeline(transaction=False) as pipe:
        deliveries.read_in(pipe, job_id)
        return pipe.execute()  # type: ignore[no-any-return]


def test_a_job_still_leased_has_not_ended_whatever_its_status(redis: Redis) -> None:
    job = submitted(redis)
    assert slots.claim(redis, keys.queue, 1, 60).job_id == job.id
    end(redis, job, JobStatus.FAILED)  # as RQ's registry cleanup may, while its lease is live
    redis.zadd(keys.deliveries, {job.id: 0})
    assert deliveries.claim(redis, 30) is None
    assert float(redis.zscore(keys.deliveries, job.id) or 0) > 0  # looked at again later


def test_a_job_requeued_during_its_delivery_keeps_the_delivery_for_its_next_end(redis: Redis) -> None:
    job = submitted(redis)
    end(redis, job, JobStatus.FAILED)
    deliveries.make_due(redis, job.id)
    sending = deliveries.claim(redis, 30)
    assert sending is not None
    queue_for(redis).enqueue_job(Job.fetch(job.id, connection=redis), at_front=True)  # as rq-dashboard's requeue
    rerun = slots.claim(redis, keys.queue, 1, 60)
    assert rerun.job_id == job.id and rerun.token
    assert deliveries.record(redis, sending, ATTEMPT, None, deliveries.DELIVERED) == "pending"  # not its last end
    assert deliveries.state_from(_read(redis, job.id)).state == "pending"
    assert redis.zscore(keys.deliveries, job.id) is not None
    end(redis, job)
    assert slots.release(redis, job.id, keys.queue, rerun.token).held
    redis.zadd(keys.deliveries, {job.id: 0})  # the periodic check comes round
    again = deliveries.claim(redis, 30)
    assert again is not None and again.job_id == job.id and again.tries == 1
    assert deliveries.record(redis, again, ATTEMPT, None, deliveries.DELIVERED)
    assert deliveries.state_from(_read(redis, job.id)).state == "delivered"
