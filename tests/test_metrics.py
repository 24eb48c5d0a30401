"""GET /metrics: admin only, Prometheus text, the deployment's numbers read from Redis per scrape."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families
from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from examgen.api import httpstats
from examgen.app import create_app
from examgen.core import keys
from examgen.core.enqueue import enqueue
from examgen.services import tokens
from tests.support import examgen_env, free_port, run_burst, wait_until

# Starts examgen processes or servers: in `make test`, not in `make test-fast`.
pytestmark = pytest.mark.procs


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def admin(redis: Redis) -> str:
    return tokens.create(redis, "ops", admin=True)


@pytest.fixture
def client(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:  # type: ignore[type-arg]
    monkeypatch.setattr(httpstats, "FLUSH_INTERVAL_S", 3600.0)  # only the shutdown flush, unless a test says so
    with TestClient(app=create_app()) as test_client:
        yield test_client


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def scrape(client: TestClient, token: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:  # type: ignore[type-arg]
    response = client.get("/metrics", headers=auth(token))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return samples(response.text)


def test_metrics_is_for_admins_only(client: TestClient, redis: Redis) -> None:  # type: ignore[type-arg]
    anonymous = client.get("/metrics")
    assert anonymous.status_code == 401 and anonymous.json()["status_code"] == 401
    user = tokens.create(redis, "someone")
    assert client.get("/metrics", headers=auth(user)).status_code == 403
    assert client.get("/metrics", headers=auth("eg_not-a-token")).status_code == 401


def test_queue_numbers_and_the_duration_histogram_come_from_redis(
    client: TestClient,  # type: ignore[type-arg]
    admin: str,
    redis: Redis,
    redis_url: str,
) -> None:
    for i in range(3):
        enqueue(redis, "tests.testjobs.tracked", args=(0.05, f"m{i}"))
    enqueue(redis, "tests.testjobs.fail_always")
    before = scrape(client, admin)
    assert before[("examgen_queue_size", ())] == 4 and before[("examgen_max_queue_size", ())] == 4
    assert before[("examgen_processing", ())] == 0 and before[("examgen_max_concurrent", ())] == 5
    assert before[("examgen_oldest_waiting_seconds", ())] >= 0
    assert before[("examgen_job_duration_seconds_count", ())] == 0

    assert run_burst(examgen_env(redis_url), n=2).returncode == 0
    after = scrape(client, admin)
    assert after[("examgen_queue_size", ())] == 0 and after[("examgen_oldest_waiting_seconds", ())] == 0
    assert after[("examgen_jobs_processed_total", ())] == 4 and after[("examgen_jobs_failed_total", ())] == 1
    assert after[("examgen_job_duration_seconds_count", ())] == 4
    assert after[("examgen_job_duration_seconds_bucket", (("le", "1.0"),))] == 4
    assert after[("examgen_job_duration_seconds_bucket", (("le", "+Inf"),))] == 4
    assert 0 < after[("examgen_job_duration_seconds_sum", ())] < 4
    assert 1 <= after[("examgen_max_processing", ())] <= 2
    assert after[("examgen_live_workers", ())] == 0  # a burst pool withdraws when it exits


def test_requests_are_counted_in_memory_and_flushed_to_one_hash(
    redis_url: str, redis: Redis, admin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(httpstats, "FLUSH_INTERVAL_S", 3600.0)
    with TestClient(app=create_app()) as first:
        for _ in range(3):
            assert first.get("/healthz").status_code == 200
        assert first.get("/jobs/nope", headers=auth(admin)).status_code == 404
        assert first.get("/no/such/path").status_code == 404
        assert redis.exists(keys.http_requests) == 0  # no Redis write per request
    # The first process stopped and flushed; a second one reports its requests.
    with TestClient(app=create_app()) as second:
        assert second.get("/healthz").status_code == 200
        metrics = scrape(second, admin)
    counted = {labels: value for (name, labels), value in metrics.items() if name == "examgen_http_requests_total"}
    assert counted[(("method", "GET"), ("route", "/healthz"), ("status", "200"))] == 3
    assert counted[(("method", "GET"), ("route", "/jobs/{job_id}"), ("status", "404"))] == 1
    assert counted[(("method", "GET"), ("route", "unmatched"), ("status", "404"))] == 1
    # The second client's own requests are flushed when it stops.
    fields = {k.decode() if isinstance(k, bytes) else k: int(v) for k, v in redis.hgetall(keys.http_requests).items()}
    assert fields["GET 200 /healthz"] == 4 and fields["GET 200 /metrics"] == 1


def test_counts_are_flushed_periodically_while_the_process_runs(
    redis_url: str, redis: Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(httpstats, "FLUSH_INTERVAL_S", 0.2)
    with TestClient(app=create_app()) as client:
        for _ in range(5):
            client.get("/readyz")
        wait_until(lambda: redis.hget(keys.http_requests, "GET 200 /readyz") == b"5", 5, what="a periodic flush")


def test_counts_survive_a_redis_outage_until_the_next_flush(redis: Redis) -> None:
    async def scenario() -> None:
        counter = httpstats.RequestCounter(Redis(port=free_port(), retry=Retry(NoBackoff(), 0)))
        scope = {"type": "http", "method": "BREW", "path_template": "/x"}
        await counter.before_send({"type": "http.response.start", "status": 418}, scope)  # type: ignore[arg-type]
        await counter.flush()
        assert counter.counts == {"OTHER 418 /x": 1}  # kept, not lost
        counter.redis = redis
        await counter.flush()
        assert not counter.counts

    asyncio.run(scenario())
    assert redis.hgetall(keys.http_requests) == {b"OTHER 418 /x": b"1"}


def test_duration_buckets_are_cumulative(client: TestClient, admin: str, redis: Redis) -> None:  # type: ignore[type-arg]
    # Each job ends counted in the first bucket it fits (one HINCRBY); the scrape adds them up.
    redis.hset(keys.durations, mapping={"count": 4, "sum_ms": 9000, "in_1000": 2, "in_5000": 1})
    metrics = scrape(client, admin)
    bucket = {
        le: metrics[("examgen_job_duration_seconds_bucket", (("le", le),))] for le in ("1.0", "5.0", "15.0", "+Inf")
    }
    assert bucket == {"1.0": 2, "5.0": 3, "15.0": 3, "+Inf": 4}  # the fourth took over an hour
