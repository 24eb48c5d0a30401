"""POST /generate in one round trip (examgen.core.submission): the token checked by the script that
writes the job, a token the web process remembers still refused once revoked, nothing half-written."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from litestar.testing import TestClient
from redis import Redis
from redis.asyncio.connection import Connection as AsyncConnection
from redis.connection import Connection
from rq.job import Job

from examgen.app import create_app
from examgen.core import keys, slots
from examgen.core.connection import connect, connect_async
from examgen.core.settings import get_settings
from examgen.core.submission import OverQuota, Submitted, submit, submit_async
from examgen.services import callbacks, tokens
from examgen.testing import RedisServer, ReplyDroppingProxy
from tests.test_api import assert_error, upload

Client = TestClient  # type: ignore[type-arg]


@pytest.fixture
def client(redis_url: str) -> Iterator[Client]:
    with TestClient(app=create_app()) as test_client:
        yield test_client


def _stored(redis: Redis) -> list[bytes]:
    # The request counter's flush may land at any time: not the job's.
    return sorted(k for k in redis.keys("*") if k != keys.http_requests.encode())


def _whole(redis: Redis, job_id: str, owner: str) -> None:
    """Every part a submission writes is there."""
    assert redis.exists(f"rq:job:{job_id}") and redis.exists(keys.upload(job_id))
    assert job_id.encode() in redis.lrange(keys.queue, 0, -1)
    assert job_id.encode() in redis.lrange(keys.owner_waiting(owner), 0, -1)
    assert redis.zscore(keys.all_jobs, job_id) is not None
    assert redis.zscore(keys.owner_jobs(owner), job_id) is not None
    assert redis.sismember(keys.owner_open(owner), job_id)


def test_a_remembered_token_revoked_since_is_refused_and_writes_nothing(client: Client, redis: Redis) -> None:
    alice = tokens.create(redis, "alice")
    first = upload(client, alice)
    assert first.status_code == 202  # the web process now remembers alice's token
    assert tokens.revoke(redis, "alice")
    before, queued = _stored(redis), redis.llen(keys.queue)
    assert_error(upload(client, alice), 401)
    assert _stored(redis) == before
    assert redis.llen(keys.queue) == queued == 1


def test_a_token_whose_record_changed_is_read_again(client: Client, redis: Redis) -> None:
    alice = tokens.create(redis, "alice")
    assert upload(client, alice).status_code == 202
    digest = tokens.digest(alice)
    record = json.loads(redis.hget(keys.tokens_by_digest, digest) or b"{}")
    redis.hset(keys.tokens_by_digest, digest, json.dumps({**record, "created_at": record["created_at"] + 1}))
    second = upload(client, alice)
    assert second.status_code == 202, second.text
    _whole(redis, second.json()["job_id"], "alice")
    assert redis.llen(keys.queue) == 2


def test_a_script_redis_lost_is_sent_again_and_the_job_is_whole(client: Client, redis: Redis) -> None:
    alice = tokens.create(redis, "alice")
    assert upload(client, alice).status_code == 202
    redis.script_flush()  # what a restart without persistence of the script cache looks like
    second = upload(client, alice)
    assert second.status_code == 202, second.text
    _whole(redis, second.json()["job_id"], "alice")
    assert second.json()["position"] == 2


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the commands (or pipelines) written to Redis by any client of this process."""
    sent = [0]

    def spy(original: Callable[..., Any]) -> Callable[..., Any]:
        def send(self: Any, *args: Any, **kwargs: Any) -> Any:
            sent[0] += 1
            return original(self, *args, **kwargs)

        return send

    monkeypatch.setattr(Connection, "send_packed_command", spy(Connection.send_packed_command))
    monkeypatch.setattr(AsyncConnection, "send_packed_command", spy(AsyncConnection.send_packed_command))
    return sent


def test_a_submission_is_one_round_trip(client: Client, redis: Redis, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a token's first submission: one script per submission, besides a status reading for
    the estimate at most once a second (services.status) and the request counter's flushes."""
    alice = tokens.create(redis, "alice")
    assert upload(client, alice).status_code == 202
    sent = _counting(monkeypatch)
    count = 20
    for _ in range(count):
        assert upload(client, alice).status_code == 202
    # Three round trips each before (token, quota, the MULTI); the few extra are readings and flushes.
    assert count <= sent[0] <= count + 4, sent[0]
    assert redis.llen(keys.queue) == count + 1


def test_a_refused_submission_with_a_callback_leaves_no_delivery(
    redis_url: str, redis: Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pending delivery is written by the submission's script, so only with its job."""
    monkeypatch.setenv("EXAMGEN_CALLBACK_ALLOW", "127.0.0.1")
    monkeypatch.setenv("EXAMGEN_MAX_QUEUED_PER_TOKEN", "1")
    get_settings.cache_clear()
    alice = tokens.create(redis, "alice")
    callbacks.new_secret(redis, "alice")
    with TestClient(app=create_app()) as client:
        first = upload(client, alice, callback_url="http://127.0.0.1:9/hook")
        assert first.status_code == 202, first.text
        assert redis.zscore(keys.deliveries, first.json()["job_id"]) is not None
        before = _stored(redis)
        assert_error(upload(client, alice, callback_url="http://127.0.0.1:9/hook"), 429)
        assert _stored(redis) == before
        assert redis.zcard(keys.deliveries) == 1
    get_settings.cache_clear()


@pytest.mark.parametrize("client_kind", ["sync", "asyncio"])
def test_a_submission_resent_after_its_reply_was_lost_writes_one_job(
    redis_url: str, redis: Redis, redis_server: RedisServer, client_kind: str
) -> None:
    """The web clients re-send a call once when its connection drops: the script ran, its reply was
    lost. The job must be written once (one entry in RQ's list and in its owner's list)."""
    proxy = ReplyDroppingProxy(redis_server.port)
    url = f"redis://127.0.0.1:{proxy.port}/0"
    options: dict[str, Any] = {"args": (0,), "owner": "alice", "quota": 1, "upload": b"%PDF-1.4"}

    def forget_first() -> None:
        # The first submission loaded the script and opened the connection; a quota of one then
        # makes a second run of the script refuse its own job.
        redis.delete(keys.queue, keys.owner_waiting("alice"), keys.owner_open("alice"))
        proxy.drop_next_reply = True

    try:
        client = connect(url)  # one retry, as the web process's clients
        if client_kind == "sync":
            submit(client, "tests.testjobs.tracked", **options)
            forget_first()
            done = submit(client, "tests.testjobs.tracked", **options)
        else:

            async def twice() -> Submitted:
                aclient = connect_async(url)
                try:
                    await submit_async(aclient, client, "tests.testjobs.tracked", **options)
                    forget_first()
                    return await submit_async(aclient, client, "tests.testjobs.tracked", **options)
                finally:
                    await aclient.aclose()

            done = asyncio.run(twice())
        assert proxy.drop_next_reply is False  # a reply was lost
        assert redis.lrange(keys.queue, 0, -1) == [done.job.id.encode()]
        assert redis.lrange(keys.owner_waiting("alice"), 0, -1) == [done.job.id.encode()]
        assert done.place == 1
    finally:
        proxy.close()


def test_a_job_marked_ended_while_still_held_counts_against_the_quota(redis: Redis) -> None:
    """A status RQ wrote (its abandoned-job cleanup writes `failed`) does not end a job whose lease
    is live or whose recovery is under way: it will run again, so it still holds the quota."""
    first = submit(redis, "tests.testjobs.tracked", args=(0,), owner="alice", quota=1)
    assert slots.claim(redis, keys.queue, 5, 60).job_id == first.job.id
    redis.hset(Job.key_for(first.job.id), "status", "failed")
    with pytest.raises(OverQuota):
        submit(redis, "tests.testjobs.tracked", args=(0,), owner="alice", quota=1)
    redis.zrem(keys.leases, first.job.id)
    redis.zadd(keys.recovering, {first.job.id: 0})  # reaped, its recovery under way
    with pytest.raises(OverQuota):
        submit(redis, "tests.testjobs.tracked", args=(0,), owner="alice", quota=1)
    redis.zrem(keys.recovering, first.job.id)  # ended for good: its place is free
    assert submit(redis, "tests.testjobs.tracked", args=(0,), owner="alice", quota=1).place == 1
