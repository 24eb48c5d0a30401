"""GET /jobs/{id}/events through Litestar's test client against the suite's real Redis: the job
view as server-sent events until the job ends, refusals as ordinary JSON errors. (The test client
hands over a body once it is complete, so a live stream is followed against the real web process,
in test_flow_e2e.py.)"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from httpx_sse import connect_sse
from litestar import Litestar
from litestar.testing import TestClient
from redis import Redis
from rq.job import Job

from examgen.app import create_app
from examgen.services import tokens
from examgen.services.jobs import cancel
from tests.test_api import assert_error, auth, upload

Client = TestClient[Litestar]


@pytest.fixture
def client(redis_url: str) -> Iterator[Client]:
    with TestClient(app=create_app()) as test_client:
        yield test_client


def test_a_job_that_already_ended_gives_its_view_and_the_end(client: Client, redis: Redis) -> None:
    alice = tokens.create(redis, "alice")
    job_id = upload(client, alice).json()["job_id"]
    cancel(redis, Job.fetch(job_id, connection=redis))
    with connect_sse(client, "GET", f"/jobs/{job_id}/events", headers=auth(alice)) as source:
        assert source.response.headers["cache-control"] == "no-cache"
        seen = [(sse.event, json.loads(sse.data)) for sse in source.iter_sse()]
    assert [event for event, _ in seen] == ["job", "end"]
    assert all(data["status"] == "canceled" for _, data in seen)


def test_events_refuse_like_the_job_view(client: Client, redis: Redis) -> None:
    alice, bob = tokens.create(redis, "alice"), tokens.create(redis, "bob")
    job_id = upload(client, alice).json()["job_id"]
    assert_error(client.get(f"/jobs/{job_id}/events"), 401)
    assert_error(client.get(f"/jobs/{job_id}/events", headers=auth(bob)), 404)
    assert_error(client.get("/jobs/no-such-job/events", headers=auth(alice)), 404)
    assert_error(client.get("/jobs/%2E%2E/events", headers=auth(alice)), 404)


def test_events_are_in_the_openapi_document(client: Client) -> None:
    operation = client.get("/schema/openapi.json").json()["paths"]["/jobs/{job_id}/events"]["get"]
    assert {"401", "404"} <= set(operation["responses"])
