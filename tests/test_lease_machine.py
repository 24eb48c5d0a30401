"""Claims under any interleaving of claim, renew, release, reap, requeue and time passing, stale
holders included, with jobs of several owners.

At every step: live leases never exceed the cap, no job has two live holders, and a job is never
both waiting and held; the owners' lists hold exactly RQ's waiting jobs and their running counts
exactly the leases. Time passing is modelled by moving every lease's expiry into the past, as a
clock step or a holder stalled for that long would leave it.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from redis import Redis
from rq.job import Job

from examgen.core import keys, slots
from examgen.core.enqueue import enqueue, queue_for
from examgen.worker import recovery

CAP = 2
LEASE_S = 60


def test_no_stale_holder_ever_shares_or_steals_a_claim(redis: Redis) -> None:
    queue = queue_for(redis)

    class Leases(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            redis.flushall()
            self.holders: list[slots.Claim] = []  # every claim ever made, stale ones too

        @rule(owner=st.sampled_from([None, "alice", "bob"]))
        def submit(self, owner: str | None) -> None:
            enqueue(redis, "tests.testjobs.tracked", args=(0,), owner=owner)

        @rule()
        def claim(self) -> None:
            got = slots.claim(redis, keys.queue, CAP, LEASE_S)
            if got.job_id is not None:
                assert got.token not in {h.token for h in self.holders}  # a token is never reissued
                self.holders.append(got)

        @rule(data=st.data())
        def renew(self, data: st.DataObject) -> None:
            if self.holders:
                holder = data.draw(st.sampled_from(self.holders))
                assert holder.job_id
                was_live = slots.holds(redis, holder.job_id, holder.token)
                assert slots.renew(redis, holder.job_id, holder.token, LEASE_S) == was_live

        @rule(data=st.data(), requeue=st.booleans())
        def release(self, data: st.DataObject, requeue: bool) -> None:
            if self.holders:
                holder = data.draw(st.sampled_from(self.holders))
                assert holder.job_id
                mine = redis.hget(keys.lease_tokens, holder.job_id) == holder.token.encode()
                others = {
                    h.token
                    for h in self.holders
                    if h.job_id != holder.job_id and h.job_id and slots.holds(redis, h.job_id, h.token)
                }
                end = slots.release(redis, holder.job_id, keys.queue, holder.token)
                assert end.held == mine
                # A stale holder's release frees nobody else's claim.
                assert all(
                    slots.holds(redis, h.job_id, h.token) for h in self.holders if h.token in others and h.job_id
                )
                if end.held and requeue:  # the horse died without a result: the job goes back
                    recovery.requeue_front(redis, Job.fetch(holder.job_id, connection=redis), queue)

        @rule()
        def reap(self) -> None:
            for job_id in slots.reap(redis):
                recovery.requeue_front(redis, Job.fetch(job_id, connection=redis), queue)

        @rule(ms=st.integers(min_value=0, max_value=2 * LEASE_S * 1000))
        def time_passes(self, ms: int) -> None:
            for member, expiry in redis.zrange(keys.leases, 0, -1, withscores=True):
                redis.zadd(keys.leases, {member: expiry - ms})

        @invariant()
        def cap_holds(self) -> None:
            now_s, micros = redis.time()
            live = redis.zcount(keys.leases, f"({now_s * 1000 + micros // 1000}", "+inf")
            assert live <= CAP

        @invariant()
        def one_live_holder_per_job(self) -> None:
            live = [h.job_id for h in self.holders if h.job_id and slots.holds(redis, h.job_id, h.token)]
            assert len(live) == len(set(live))
            waiting = {i.decode() for i in redis.lrange(keys.queue, 0, -1)}
            assert not waiting & set(live)

        @invariant()
        def owners_books_match(self) -> None:
            # Every waiting job is in exactly its owner's list, and every lease (live or not yet
            # reaped) is counted once in its owner's running count.
            waiting = [i.decode() for i in redis.lrange(keys.queue, 0, -1)]
            by_owner = {k.decode(): v.decode() for k, v in redis.hgetall(keys.fair_waiting_owner).items()}
            assert sorted(by_owner) == sorted(waiting)
            for owner in {None, "alice", "bob"}:
                name = owner or keys.NO_OWNER
                listed = [i.decode() for i in redis.lrange(keys.owner_waiting(name), 0, -1)]
                assert listed == [j for j in waiting if by_owner[j] == name]
                assert (redis.zscore(keys.fair_ring, name) is not None) == bool(listed)
            counts = {k.decode(): int(v) for k, v in redis.hgetall(keys.fair_running).items()}
            assert sum(counts.values()) == redis.zcard(keys.leases)

    run_state_machine_as_test(
        Leases,
        settings=settings(
            max_examples=40,
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
