"""A fair share of the cap per owner: the claim's order, weights, the per-owner limit, the books.

Claims are driven directly (the claim script is the whole decision), ends by releasing claims.
"""

from __future__ import annotations

from collections import Counter

from redis import Redis
from rq.job import Job, JobStatus

from examgen.core import fair, keys, slots, stats
from examgen.core.enqueue import enqueue, queue_for
from examgen.services import tokens
from examgen.worker import recovery

LEASE_S = 60


def submit(redis: Redis, owner: str | None, label: str = "") -> str:
    return enqueue(redis, "tests.testjobs.tracked", args=(0, label), owner=owner).job.id


def finish(redis: Redis, claim: slots.Claim) -> None:
    assert claim.job_id
    Job.fetch(claim.job_id, connection=redis).set_status(JobStatus.FINISHED)
    assert slots.release(redis, claim.job_id, keys.queue, claim.token).held


def owner_of(redis: Redis, job_id: str) -> str:
    return str(Job.fetch(job_id, connection=redis).meta.get("owner", keys.NO_OWNER))


def test_a_single_job_of_owner_b_starts_right_after_the_job_running_when_it_arrived(redis: Redis) -> None:
    a_jobs = [submit(redis, "alice", str(i)) for i in range(21)]
    running = slots.claim(redis, keys.queue, 1, LEASE_S)
    assert running.job_id == a_jobs[0]
    b_job = submit(redis, "bob")
    finish(redis, running)
    nxt = slots.claim(redis, keys.queue, 1, LEASE_S)
    assert nxt.job_id == b_job  # not after alice's 20 waiting ones
    finish(redis, nxt)
    # Then alice's jobs in her order (FIFO within an owner), every one of them.
    order = []
    while (got := slots.claim(redis, keys.queue, 1, LEASE_S)).job_id:
        order.append(got.job_id)
        finish(redis, got)
    assert order == a_jobs[1:]
    assert redis.llen(keys.queue) == 0 and redis.zcard(keys.fair_ring) == 0


def test_owners_take_turns_and_rq_list_holds_every_waiting_job(redis: Redis) -> None:
    for i in range(10):
        submit(redis, "alice", str(i))
    for i in range(3):
        submit(redis, "bob", str(i))
    assert redis.llen(keys.queue) == 13  # what `rq info` and rq-dashboard read
    assert queue_for(redis).count == 13
    got = [slots.claim(redis, keys.queue, 100, LEASE_S) for _ in range(6)]
    owners = [g.owner for g in got]
    assert owners == ["alice", "bob", "alice", "bob", "alice", "bob"]
    assert redis.llen(keys.queue) == 7
    assert all(g.job_id not in {i.decode() for i in redis.lrange(keys.queue, 0, -1)} for g in got)


def test_weights_give_shares_within_one_job_of_their_ratio(redis: Redis) -> None:
    weights = {"w1": 1, "w2": 2, "w3": 3}
    for name, weight in weights.items():
        tokens.create(redis, name, weight=weight)
        for i in range(200):
            submit(redis, name, str(i))
    runs = 240
    taken: Counter[str] = Counter()
    for _ in range(runs):
        got = slots.claim(redis, keys.queue, 1, LEASE_S)
        assert got.job_id
        taken[got.owner] += 1
        finish(redis, got)
    total = sum(weights.values())
    for name, weight in weights.items():
        assert abs(taken[name] - runs * weight / total) <= 1, taken


def test_the_per_owner_limit_holds_and_frees_the_others(redis: Redis) -> None:
    for i in range(5):
        submit(redis, "alice", str(i))
    bob = submit(redis, "bob")
    first = slots.claim(redis, keys.queue, 5, LEASE_S, max_per_owner=1)
    second = slots.claim(redis, keys.queue, 5, LEASE_S, max_per_owner=1)
    assert (first.owner, second.owner) == ("alice", "bob") and second.job_id == bob
    # Alice is at her limit: the free slots stay free rather than run a second job of hers.
    assert slots.claim(redis, keys.queue, 5, LEASE_S, max_per_owner=1).job_id is None
    finish(redis, first)
    assert slots.claim(redis, keys.queue, 5, LEASE_S, max_per_owner=1).owner == "alice"
    assert int(redis.hget(keys.fair_running, "alice") or 0) == 1


def test_reaped_and_requeued_jobs_keep_their_owner_and_go_first(redis: Redis) -> None:
    queue = queue_for(redis)
    a = [submit(redis, "alice", str(i)) for i in range(3)]
    got = slots.claim(redis, keys.queue, 1, LEASE_S)
    assert got.job_id == a[0]
    redis.zadd(keys.leases, {a[0]: 1})  # its lease expired long ago
    ((reaped, parked),) = slots.reap(redis)
    assert reaped == a[0]
    assert redis.hget(keys.fair_running, "alice") is None
    assert recovery.requeue_front(redis, Job.fetch(a[0], connection=redis), queue, parked)
    assert slots.claim(redis, keys.queue, 1, LEASE_S).job_id == a[0]


def test_jobs_only_rq_lists_are_adopted_and_canceled_ones_forgotten(redis: Redis) -> None:
    queue = queue_for(redis)
    a = [submit(redis, "alice", str(i)) for i in range(3)]
    # A job pushed by RQ alone (rq-dashboard's requeue): no owner's list holds it.
    stray = queue.enqueue("tests.testjobs.tracked", 0).id
    assert fair.adopt(redis) == 1 and fair.adopt(redis) == 0
    # rq-dashboard's delete removes a job from RQ's list only: the claim drops it on the way.
    Job.fetch(a[1], connection=redis).delete()
    from examgen.services.jobs import cancel

    cancel(redis, Job.fetch(a[2], connection=redis))
    taken = []
    while (got := slots.claim(redis, keys.queue, 10, LEASE_S)).job_id:
        taken.append(got.job_id)
    assert sorted(taken) == sorted([a[0], stray])
    assert redis.hlen(keys.fair_waiting_owner) == 0 and redis.zcard(keys.fair_ring) == 0


def test_places_follow_the_order_the_claim_takes(redis: Redis) -> None:
    tokens.create(redis, "heavy", weight=2)
    jobs = [submit(redis, "alice", f"a{i}") for i in range(6)]
    jobs += [submit(redis, "heavy", f"h{i}") for i in range(6)]
    jobs += [submit(redis, None, f"n{i}") for i in range(3)]
    places = fair.places(redis, jobs)
    taken = []
    while (got := slots.claim(redis, keys.queue, 100, LEASE_S)).job_id:
        taken.append(got.job_id)
    assert [taken.index(j) + 1 for j in jobs] == places
    assert fair.places(redis, jobs) == [None] * len(jobs)


def test_status_shows_each_owner_and_a_newcomer_is_next(redis: Redis) -> None:
    for i in range(4):
        submit(redis, "alice", str(i))
    submit(redis, "bob")
    slots.claim(redis, keys.queue, 1, LEASE_S)
    rows = {o.name: o for o in fair.owners(redis)}
    assert (rows["alice"].waiting, rows["alice"].running) == (3, 1)
    assert (rows["bob"].waiting, rows["bob"].running) == (1, 0)
    status = stats.read_status(redis, keys.queue, 1)
    assert status.queue_size == 4
    # A new owner's first job waits behind at most the owners whose turn is now, not all four.
    assert status.ahead_of_newcomer <= 1


def test_admins_see_owners_in_status_metrics_and_dashboard_others_do_not(redis: Redis, redis_url: str) -> None:
    from litestar.testing import TestClient

    from examgen.app import create_app
    from tests.support import PDFS

    pdf = (PDFS / "water-cycle-handout.pdf").read_bytes()
    user = tokens.create(redis, "carol")
    admin = tokens.create(redis, "root", admin=True)
    for i in range(12):  # more owners than /metrics names
        submit(redis, f"owner{i:02d}", str(i))
    with TestClient(app=create_app()) as client:
        for _ in range(2):
            answer = client.post(
                "/generate", headers={"Authorization": f"Bearer {user}"}, files={"file": ("n.pdf", pdf)}
            )
            assert answer.status_code == 202
        assert "owners" not in client.get("/queue/status", headers={"Authorization": f"Bearer {user}"}).json()
        body = client.get("/queue/status", headers={"Authorization": f"Bearer {admin}"}).json()
        rows = {r["owner"]: r for r in body["owners"]}
        assert (rows["carol"]["waiting"], rows["carol"]["running"]) == (2, 0)
        assert body["queue_size"] == 14 == sum(r["waiting"] for r in body["owners"])
        metrics = client.get("/metrics", headers={"Authorization": f"Bearer {admin}"}).text
        series = [line for line in metrics.splitlines() if line.startswith("examgen_owner_waiting_jobs{")]
        assert len(series) == 11 and 'examgen_owner_waiting_jobs{owner="carol"} 2.0' in series
        assert any('owner="_other"' in line for line in series)
