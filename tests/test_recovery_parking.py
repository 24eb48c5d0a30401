"""Recovery that cannot lose or double a job: parked jobs, fenced recoverers, calls that run once.

A reaped lease (or a worker's hand-back) parks its job for recovery under a recovery token; the
job leaves the parking only in the transaction that requeues or ends it. So a recoverer that dies,
stalls or loses its reply leaves the job to be taken over, never lost, and an overtaken one writes
nothing. Claims carry tokens that stay unique even if Redis forgets its last writes, and a second
queue entry of a held job is never run beside it.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from rq.job import Job

from examgen.core import keys, slots
from examgen.core.connection import connect
from examgen.core.enqueue import enqueue, queue_for
from examgen.testing import RedisServer, ReplyDroppingProxy
from examgen.worker import recovery


def expire_all(redis: Redis) -> None:
    for key in (keys.leases, keys.recovering):
        for member, _ in redis.zrange(key, 0, -1, withscores=True):
            redis.zadd(key, {member: 0})


def test_a_reaper_that_dies_leaves_the_job_parked_and_it_is_taken_over(redis: Redis) -> None:
    job = enqueue(redis, "tests.testjobs.tracked", args=(0,)).job
    assert slots.claim(redis, keys.queue, 1, 60).job_id == job.id
    expire_all(redis)
    ((reaped, first),) = slots.reap(redis)  # ... and the reaper dies before recovering it
    assert reaped == job.id and redis.llen(keys.queue) == 0
    assert slots.reap(redis) == []  # parked: no one else takes it before its recovery time
    expire_all(redis)
    ((again, second),) = slots.reap(redis)
    assert again == job.id and second != first
    fetched = Job.fetch(job.id, connection=redis)
    assert not recovery.requeue_front(redis, fetched, queue_for(redis), first)  # the stale one writes nothing
    assert redis.llen(keys.queue) == 0
    assert recovery.requeue_front(redis, fetched, queue_for(redis), second)
    assert [j.decode() for j in redis.lrange(keys.queue, 0, -1)] == [job.id]
    assert not recovery.requeue_front(redis, fetched, queue_for(redis), second)  # done once, never twice
    assert redis.llen(keys.queue) == 1 and redis.zcard(keys.recovering) == 0


def test_a_stale_holder_cannot_hand_back_its_successors_claim(redis: Redis) -> None:
    job = enqueue(redis, "tests.testjobs.tracked", args=(0,)).job
    stale = slots.claim(redis, keys.queue, 1, 60)
    expire_all(redis)
    ((_, parked),) = slots.reap(redis)
    assert recovery.requeue_front(redis, Job.fetch(job.id, connection=redis), queue_for(redis), parked)
    successor = slots.claim(redis, keys.queue, 1, 60)
    assert successor.job_id == job.id
    assert slots.hand_back(redis, job.id, stale.token) is None
    assert slots.holds(redis, job.id, successor.token)
    assert slots.hand_back(redis, job.id, successor.token) is not None
    assert not slots.holds(redis, job.id, successor.token) and redis.zcard(keys.recovering) == 1


def test_a_second_queue_entry_of_a_held_job_is_dropped(redis: Redis) -> None:
    job = enqueue(redis, "tests.testjobs.tracked", args=(0,)).job
    other = enqueue(redis, "tests.testjobs.tracked", args=(0,)).job
    assert slots.claim(redis, keys.queue, 3, 60).job_id == job.id
    # Queued again while it runs (a recovery applied although the claim is live): the way a
    # requeue queues it, RQ's list and its owner's list both.
    redis.set(keys.recovery_token(job.id), "stray")
    assert recovery.requeue_front(redis, Job.fetch(job.id, connection=redis), queue_for(redis), "stray")
    got = slots.claim(redis, keys.queue, 3, 60)
    assert got.job_id == other.id  # never the running job a second time
    assert redis.llen(keys.queue) == 0
    assert slots.claim(redis, keys.queue, 3, 60).job_id is None


def test_claim_tokens_stay_unique_when_redis_forgets_its_counter(redis: Redis) -> None:
    job = enqueue(redis, "tests.testjobs.tracked", args=(0,)).job
    first = slots.claim(redis, keys.queue, 1, 60)
    # Redis restarts without its last writes: the claim, and the counter that issued its token.
    redis.delete(keys.leases, keys.lease_tokens, keys.lease_started)
    redis.decr(keys.lease_fence)
    redis.lpush(keys.queue, job.id)
    second = slots.claim(redis, keys.queue, 1, 60)
    assert second.job_id == first.job_id == job.id
    assert second.token != first.token
    assert not slots.renew(redis, job.id, first.token, 60)  # the forgotten holder cannot renew it
    assert slots.holds(redis, job.id, second.token)


@pytest.mark.parametrize("retries", [0, 1])
def test_a_claim_whose_reply_is_lost_runs_once_only_without_retries(tmp_path: Path, retries: int) -> None:
    server = RedisServer(tmp_path / "redis")
    server.start()
    proxy = ReplyDroppingProxy(server.port)
    try:
        direct = server.client()
        for _ in range(3):
            enqueue(direct, "tests.testjobs.tracked", args=(0,))
        client = connect(f"redis://127.0.0.1:{proxy.port}/0", retries=retries)
        assert slots.claim(client, keys.queue, 5, 60).job_id is not None  # the script loaded, the link up
        proxy.drop_next_reply = True
        with pytest.raises(RedisConnectionError) if retries == 0 else contextlib.nullcontext():
            slots.claim(client, keys.queue, 5, 60)
        # Without retries the claim ran once (its reply lost: the lease expires and the reaper
        # settles the job). A client that re-sends ran it twice: two jobs taken for one call.
        assert direct.zcard(keys.leases) == (2 if retries == 0 else 3)
    finally:
        proxy.close()
        server.stop()
