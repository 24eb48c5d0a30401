"""POST /jobs/{id}/exam/questions/{qid}/regenerate in-process: what it refuses, and the small job it
enqueues (no worker runs here; tests/test_regenerate.py runs one)."""

# The fixtures `client` and `exam` come from test_api_exports; pytest passes them by name.
# ruff: noqa: F811

from __future__ import annotations

import json
import zlib
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from redis import Redis
from rq.job import Job

from examgen.core import keys
from examgen.core.jobstates import REGENERATE_QUESTION
from examgen.core.settings import get_settings
from examgen.services import tokens
from tests.test_api import assert_error, auth, upload
from tests.test_api_exports import client, exam, finished  # noqa: F401

Client = TestClient[Litestar]


def with_source(redis: Redis, job_id: str) -> None:
    """What a worker keeps beside the exam since regeneration exists (the text itself is not read here)."""
    redis.set(keys.source(job_id), zlib.compress(json.dumps(["page one"]).encode()))


def regenerate(client: Client, token: str, job_id: str, qid: str, **kwargs: Any) -> Any:
    return client.post(f"/jobs/{job_id}/exam/questions/{qid}/regenerate", headers=auth(token), **kwargs)


def test_an_exam_from_before_this_release_answers_409(client: Client, redis: Redis, exam: dict[str, Any]) -> None:
    token = tokens.create(redis, "alice")
    job_id = finished(client, redis, token, exam)
    body = assert_error(regenerate(client, token, job_id, "q1"), 409)
    assert "generated after this release" in body["detail"]


def test_refusals(client: Client, redis: Redis, exam: dict[str, Any]) -> None:
    alice, bob = tokens.create(redis, "alice"), tokens.create(redis, "bob")
    job_id = finished(client, redis, alice, exam)
    with_source(redis, job_id)
    assert_error(regenerate(client, alice, job_id, "q99"), 404)
    assert_error(regenerate(client, bob, job_id, "q1"), 404)  # another token's job
    assert_error(regenerate(client, alice, "no-such-job", "q1"), 404)
    assert_error(regenerate(client, alice, job_id, "q1", json={"type": "essay"}), 422)
    assert_error(regenerate(client, alice, job_id, "q1", json={"kind": "mcq"}), 422)
    assert_error(regenerate(client, alice, job_id, "q1", json=["mcq"]), 422)
    headers = {**auth(alice), "Content-Type": "application/json"}
    assert_error(client.post(f"/jobs/{job_id}/exam/questions/q1/regenerate", content=b"{", headers=headers), 400)
    queued = upload(client, alice).json()["job_id"]  # not finished
    assert_error(regenerate(client, alice, queued, "q1"), 409)
    assert_error(client.post(f"/jobs/{job_id}/exam/questions/q1/regenerate"), 401)


@pytest.mark.parametrize("body", [{}, {"json": {"type": "cloze"}}, {"data": {"type": "cloze"}}])
def test_a_regeneration_is_a_job_of_the_owner_on_the_queue(
    client: Client, redis: Redis, exam: dict[str, Any], body: dict[str, Any]
) -> None:
    alice, admin = tokens.create(redis, "alice"), tokens.create(redis, "ops", admin=True)
    job_id = finished(client, redis, alice, exam)
    with_source(redis, job_id)
    answer = regenerate(client, admin, job_id, "q2", **body)
    assert answer.status_code == 202, answer.text
    view = answer.json()
    assert view["status"] == "queued" and answer.headers["location"] == f"/jobs/{view['job_id']}"
    small = Job.fetch(view["job_id"], connection=redis)
    assert small.func_name == REGENERATE_QUESTION
    kind = "cloze" if body else exam["questions"][1]["type"]
    assert small.args == ({"job": job_id, "question": "q2", "type": kind, "attempt": 1, "author": "ops"},)
    # The exam's owner's job (its quota, fair share and running limit), listed among its jobs.
    assert small.meta["owner"] == "alice" and small.meta["regenerates"] == {"job": job_id, "question": "q2"}
    assert redis.lpos(keys.queue, small.id) is not None
    assert redis.zscore(keys.owner_jobs("alice"), small.id) is not None
    listed = client.get("/jobs", headers=auth(alice)).json()
    assert small.id in [j["job_id"] for j in listed]
    # Asking again: the next attempt, so the worker makes yet another question.
    again = regenerate(client, alice, job_id, "q2").json()
    assert Job.fetch(again["job_id"], connection=redis).args[0]["attempt"] == 2
    # The small job makes no exam of its own to regenerate from.
    assert_error(regenerate(client, alice, small.id, "q1"), 404)
    assert job_id in assert_error(client.get(f"/jobs/{small.id}/exam", headers=auth(alice)), 404)["detail"]


def test_regenerations_count_against_the_owners_quota(
    client: Client, redis: Redis, exam: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = tokens.create(redis, "alice")
    job_id = finished(client, redis, alice, exam)
    with_source(redis, job_id)
    monkeypatch.setenv("EXAMGEN_MAX_QUEUED_PER_TOKEN", "2")
    get_settings.cache_clear()
    assert regenerate(client, alice, job_id, "q1").status_code == 202
    assert regenerate(client, alice, job_id, "q2").status_code == 202
    refused = regenerate(client, alice, job_id, "q3")
    assert_error(refused, 429)
    assert refused.headers["retry-after"] == "30"
    assert redis.llen(keys.queue) == 2  # nothing of the refused job was kept


def test_a_regeneration_run_again_adds_its_revision_once(client: Client, redis: Redis, exam: dict[str, Any]) -> None:
    """A regeneration job whose worker died after the revision was written runs again (recovery):
    the second run answers the first revision instead of adding another."""
    import msgspec

    from examgen.services import revisions
    from examgen.services.tokens import Caller

    token = tokens.create(redis, "alice")
    job = Job.fetch(finished(client, redis, token, exam), connection=redis)
    first_question = revisions.generated_exam(redis, job).questions[0]
    qid = first_question.id
    new = msgspec.structs.replace(first_question, prompt="A regenerated prompt?")
    first = revisions.replace_question(redis, job, Caller("alice", False), qid, new, by_job="small-1")
    again = revisions.replace_question(redis, job, Caller("alice", False), qid, new, by_job="small-1")
    assert again.revision == first.revision == 1
    assert redis.llen(keys.revisions(job.id)) == 1
    other = revisions.replace_question(
        redis, job, Caller("alice", False), qid, msgspec.structs.replace(new, prompt="Another?"), by_job="small-2"
    )
    assert other.revision == 2
