"""Claims and recoveries under any interleaving, stale holders and stalled recoverers included.

Rules: submit, claim, renew, release, a worker handing its claim back (its horse died), reaping,
finishing a recovery (with the current or a stale recovery token), and time passing (every lease
and every parked recovery moved into the past, as a clock step or a long stall would leave it).
At every step: live leases never exceed the cap, no job has two live holders, a job is never both
waiting and held, and every job submitted is somewhere: waiting (once), leased, or parked. The
jobs belong to several owners: the owners' lists hold exactly RQ's waiting jobs and their running
counts exactly the leases.
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


def test_no_stale_holder_ever_shares_or_steals_a_claim_and_no_job_is_lost(redis: Redis) -> None:
    queue = queue_for(redis)

    class Leases(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            redis.flushall()
            self.holders: list[slots.Claim] = []  # every claim ever made, stale ones too
            self.recoveries: list[tuple[str, str]] = []  # every recovery ever started, stale ones too
            self.jobs: set[str] = set()

        def recovery_is_current(self, job_id: str, token: str) -> bool:
            return redis.get(keys.recovery_token(job_id)) == token.encode()

        @rule(owner=st.sampled_from([None, "alice", "bob"]))
        def submit(self, owner: str | None) -> None:
            self.jobs.add(enqueue(redis, "tests.testjobs.tracked", args=(0,), owner=owner).job.id)

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

        @rule(data=st.data())
        def release(self, data: st.DataObject) -> None:
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
                if end.held:
                    self.jobs.discard(holder.job_id)  # it ended (the machine does not run jobs)
                # A stale holder's release frees nobody else's claim.
                assert all(
                    slots.holds(redis, h.job_id, h.token) for h in self.holders if h.token in others and h.job_id
                )

        @rule(data=st.data())
        def hand_back(self, data: st.DataObject) -> None:
            if self.holders:
                holder = data.draw(st.sampled_from(self.holders))
                assert holder.job_id
                mine = redis.hget(keys.lease_tokens, holder.job_id) == holder.token.encode()
                parked = slots.hand_back(redis, holder.job_id, holder.token)
                assert (parked is not None) == mine
                if parked is not None:
                    self.recoveries.append((holder.job_id, parked))

        @rule()
        def reap(self) -> None:
            # The reaper may die right here: nothing is finished, the jobs stay parked.
            self.recoveries += slots.reap(redis)

        @rule(data=st.data())
        def finish_recovery(self, data: st.DataObject) -> None:
            if self.recoveries:
                job_id, token = data.draw(st.sampled_from(self.recoveries))
                current = self.recovery_is_current(job_id, token)
                done = recovery.requeue_front(redis, Job.fetch(job_id, connection=redis), queue, token)
                assert done == current  # an overtaken recoverer writes nothing

        @rule(ms=st.integers(min_value=0, max_value=2 * LEASE_S * 1000))
        def time_passes(self, ms: int) -> None:
            for key in (keys.leases, keys.recovering):
                for member, expiry in redis.zrange(key, 0, -1, withscores=True):
                    redis.zadd(key, {member: expiry - ms})

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
        def no_job_is_lost_or_doubled(self) -> None:
            waiting = [i.decode() for i in redis.lrange(keys.queue, 0, -1)]
            leased = {m.decode() for m in redis.zrange(keys.leases, 0, -1)}
            parked = {m.decode() for m in redis.zrange(keys.recovering, 0, -1)}
            assert len(waiting) == len(set(waiting))  # never queued twice
            assert self.jobs <= set(waiting) | leased | parked  # every unfinished job is somewhere

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
