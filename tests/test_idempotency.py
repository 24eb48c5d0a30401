"""Idempotent submission through Litestar's test client against the suite's real Redis: a retried
upload with the same Idempotency-Key answers its first job; reuse=true answers a finished exam."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from redis import Redis
from rq.job import Job, JobStatus

from examgen.app import create_app
from examgen.core import keys
from examgen.services import tokens
from tests.support import PDFS
from tests.test_api import SMALL_PDF, assert_error, auth

Client = TestClient[Litestar]
OTHER_PDF = (PDFS / "multicolumn.pdf").read_bytes()


@pytest.fixture
def client(redis_url: str) -> Iterator[Client]:
    with TestClient(app=create_app()) as test_client:
        yield test_client


def post(client: Client, token: str, key: str | None = None, data: bytes = SMALL_PDF, **fields: str):  # type: ignore[no-untyped-def]
    headers = auth(token) | ({"Idempotency-Key": key} if key is not None else {})
    return client.post(
        "/generate", files={"file": ("notes.pdf", data, "application/pdf")}, data=fields, headers=headers
    )


def test_a_retry_with_the_same_key_answers_the_first_job(client: Client, redis: Redis) -> None:
    alice = tokens.create(redis, "alice")
    first = post(client, alice, "retry-1", num_questions="5")
    again = post(client, alice, "retry-1", num_questions="5")
    assert first.status_code == again.status_code == 202
    assert again.json()["job_id"] == first.json()["job_id"]
    assert again.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in first.headers
    assert again.headers["location"] == first.headers["location"]
    assert redis.llen(keys.queue) == 1 and redis.zcard(keys.owner_jobs("alice")) == 1
    other = post(client, alice, "retry-2", num_questions="5")
    assert other.json()["job_id"] != first.json()["job_id"]
    plain = [post(client, alice).json()["job_id"] for _ in range(2)]
    assert len(set(plain)) == 2 and redis.llen(keys.queue) == 4  # no key: every upload is a job


def test_keys_belong_to_their_owner(client: Client, redis: Redis) -> None:
    alice, bob = tokens.create(redis, "alice"), tokens.create(redis, "bob")
    mine, theirs = post(client, alice, "one-key"), post(client, bob, "one-key")
    assert mine.json()["job_id"] != theirs.json()["job_id"]
    assert "idempotent-replayed" not in theirs.headers


@pytest.mark.parametrize(
    ("data", "fields"), [(OTHER_PDF, {}), (SMALL_PDF, {"num_questions": "7"}), (SMALL_PDF, {"variants": "2"})]
)
def test_the_same_key_with_another_upload_is_422(
    client: Client, redis: Redis, data: bytes, fields: dict[str, str]
) -> None:
    alice = tokens.create(redis, "alice")
    assert post(client, alice, "k").status_code == 202
    body = assert_error(post(client, alice, "k", data=data, **fields), 422)
    assert "Idempotency-Key" in body["detail"]
    assert redis.llen(keys.queue) == 1


@pytest.mark.parametrize("key", ["", "has space", "x" * 256, "ключ".encode(), "tab\there"])
def test_a_malformed_key_is_400(client: Client, redis: Redis, key: str | bytes) -> None:
    body = assert_error(post(client, tokens.create(redis, "alice"), key), 400)
    assert "Idempotency-Key" in body["detail"]
    assert redis.llen(keys.queue) == 0


def test_two_keys_in_one_request_are_400(client: Client, redis: Redis) -> None:
    alice = tokens.create(redis, "alice")
    headers = [("Authorization", f"Bearer {alice}"), ("Idempotency-Key", "a"), ("Idempotency-Key", "b")]
    files = {"file": ("notes.pdf", SMALL_PDF, "application/pdf")}
    assert_error(client.post("/generate", files=files, headers=headers), 400)


def test_a_refused_first_request_leaves_the_key_free(client: Client, redis: Redis) -> None:
    alice = tokens.create(redis, "alice")
    assert_error(post(client, alice, "k", data=b"not a pdf"), 415)
    assert_error(post(client, alice, "k", num_questions="0"), 422)
    assert post(client, alice, "k").status_code == 202


def test_a_first_request_still_enqueuing_is_409_after_the_wait(
    client: Client, redis: Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    from examgen.services import idempotency

    monkeypatch.setattr(idempotency, "WAIT_FOR_FIRST_S", 0.2)
    alice = tokens.create(redis, "alice")
    assert post(client, alice, "slow").status_code == 202
    # What a first request holds while it enqueues: its fingerprint, no job yet.
    name = next(iter(redis.scan_iter(keys.idempotency("alice", "*"))))
    record = json.loads(redis.get(name) or "{}")
    redis.set(name, json.dumps({"fingerprint": record["fingerprint"], "job_id": None}))
    response = post(client, alice, "slow")
    assert_error(response, 409)
    assert response.headers["retry-after"] == "1"


def finish(redis: Redis, job_id: str) -> None:
    redis.lrem(keys.queue, 0, job_id)  # no worker here: the job ends as a worker would end it
    Job.fetch(job_id, connection=redis).set_status(JobStatus.FINISHED)
    redis.set(keys.exam(job_id), json.dumps({"title": "t", "questions": []}))


def test_reuse_answers_the_finished_exam_without_a_new_job(client: Client, redis: Redis) -> None:
    alice, bob = tokens.create(redis, "alice"), tokens.create(redis, "bob")
    first = post(client, alice, reuse="true", num_questions="5")
    assert first.status_code == 202
    job_id = first.json()["job_id"]
    # Not finished yet: a new job (reuse saves a slot only for an exam that exists).
    running = post(client, alice, reuse="true", num_questions="5")
    assert running.status_code == 202 and running.json()["job_id"] != job_id
    finish(redis, running.json()["job_id"])
    queued = redis.llen(keys.queue)
    reused = post(client, alice, reuse="true", num_questions="5")
    assert reused.status_code == 200 and reused.json()["job_id"] == running.json()["job_id"]
    assert reused.json()["status"] == "finished" and redis.llen(keys.queue) == queued
    # Other options, another owner, or no reuse asked for: a new job.
    assert post(client, alice, reuse="true", num_questions="6").status_code == 202
    assert post(client, bob, reuse="true", num_questions="5").status_code == 202
    assert post(client, alice, num_questions="5").status_code == 202
    # The exam gone (expired): a new job again.
    redis.delete(keys.exam(running.json()["job_id"]))
    assert post(client, alice, reuse="true", num_questions="5").status_code == 202


def test_reuse_must_be_a_yes_or_no(client: Client, redis: Redis) -> None:
    body = assert_error(post(client, tokens.create(redis, "alice"), reuse="maybe"), 422)
    assert "reuse" in body["detail"]


def test_the_openapi_document_names_the_key_and_reuse(client: Client) -> None:
    operation = client.get("/schema/openapi.json").json()["paths"]["/generate"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in operation["parameters"])
    form = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form["properties"]["reuse"]["type"] == "boolean"
    assert {"200", "202", "400", "409", "422"} <= set(operation["responses"])
