"""Reviewing an exam over the API: revisions, edits, order, and exports serving the latest revision,
through Litestar's test client against the suite's real Redis."""

# The fixtures `client` and `exam` come from test_api_exports; pytest passes them by name.
# ruff: noqa: F811

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from redis import Redis

from examgen.core import keys
from examgen.services import revisions, tokens
from tests.test_api import assert_error, auth, upload
from tests.test_api_exports import client, exam, finished  # noqa: F401

Client = TestClient[Litestar]
ACCEPT, REJECT = {"status": "accepted"}, {"status": "rejected"}


def first_of(exam: dict[str, Any], kind: str) -> dict[str, Any]:
    question: dict[str, Any] = next(q for q in exam["questions"] if q["type"] == kind)
    return question


def test_an_unrevised_exam_is_served_exactly_as_generated(client: Client, redis: Redis, exam: dict[str, Any]) -> None:
    token = tokens.create(redis, "alice")
    job_id = finished(client, redis, token, exam)
    served = client.get(f"/jobs/{job_id}/exam", headers=auth(token))
    assert served.json() == exam and served.headers["examgen-revision"] == "0"
    history = client.get(f"/jobs/{job_id}/exam/revisions", headers=auth(token)).json()
    assert [(r["revision"], r["author"], r["change"]) for r in history] == [(0, None, "generated")]


def test_an_edit_is_a_new_revision_served_by_every_export(client: Client, redis: Redis, exam: dict[str, Any]) -> None:
    token = tokens.create(redis, "alice")
    job_id = finished(client, redis, token, exam)
    redis.expire(keys.exam(job_id), 3600)  # as a worker stores it: with the result lifetime
    mcq = first_of(exam, "mcq")
    edit = {
        "prompt": "Which word did the reviewer choose _____ here?",
        "options": ["Zanzibar", "Ulaanbaatar", "Quito"],
        "answer": "Quito",
        "explanation": "Edited by the reviewer.",
    }
    answer = client.patch(f"/jobs/{job_id}/exam/questions/{mcq['id']}", json=edit, headers=auth(token))
    assert answer.status_code == 200, answer.text
    revision = answer.json()
    assert revision["revision"] == 1 and revision["author"] == "alice" and revision["created_at"].endswith("Z")
    edited = next(q for q in revision["exam"]["questions"] if q["id"] == mcq["id"])
    assert {k: edited[k] for k in edit} == edit and edited["source_text"] == mcq["source_text"]
    latest = client.get(f"/jobs/{job_id}/exam", headers=auth(token))
    assert latest.headers["examgen-revision"] == "1" and latest.json()["questions"] == revision["exam"]["questions"]
    for format in ("gift", "moodle", "html", "aiken"):
        body = client.get(f"/jobs/{job_id}/exam?format={format}", headers=auth(token)).text
        assert "Ulaanbaatar" in body and "reviewer choose" in body, format
    original = client.get(f"/jobs/{job_id}/exam?revision=0", headers=auth(token))
    assert original.json() == exam and redis.get(keys.exam(job_id)) is not None
    assert "Ulaanbaatar" not in client.get(f"/jobs/{job_id}/exam?format=gift&revision=0", headers=auth(token)).text
    history = client.get(f"/jobs/{job_id}/exam/revisions", headers=auth(token)).json()
    assert [r["revision"] for r in history] == [0, 1] and history[1]["author"] == "alice"
    # Revisions expire with the job's result, never outliving the exam they revise.
    assert redis.pttl(keys.revisions(job_id)) > 0
    assert abs(redis.pexpiretime(keys.revisions(job_id)) - redis.pexpiretime(keys.exam(job_id))) < 1000


def test_rejected_questions_leave_the_exports_and_the_order_is_kept(
    client: Client, redis: Redis, exam: dict[str, Any]
) -> None:
    token = tokens.create(redis, "alice")
    job_id = finished(client, redis, token, exam)
    ids = [q["id"] for q in exam["questions"]]
    reject = client.patch(f"/jobs/{job_id}/exam/questions/{ids[0]}", json=REJECT, headers=auth(token))
    assert reject.status_code == 200 and reject.json()["exam"]["questions"][0]["status"] == "rejected"
    order = list(reversed(ids))
    moved = client.post(f"/jobs/{job_id}/exam/order", json={"order": order}, headers=auth(token))
    assert moved.status_code == 200 and moved.json()["revision"] == 2
    served = client.get(f"/jobs/{job_id}/exam", headers=auth(token)).json()
    assert [q["id"] for q in served["questions"]] == order[:-1]
    assert all("status" not in q for q in served["questions"])
    gift = client.get(f"/jobs/{job_id}/exam?format=gift", headers=auth(token)).text
    assert f"::{ids[0]}::" not in gift and f"::{ids[1]}::" in gift
    assert client.get(f"/jobs/{job_id}/exam?revision=1", headers=auth(token)).json()["questions"][0]["id"] == ids[1]
    # The same change again changes nothing: no new revision.
    again = client.post(f"/jobs/{job_id}/exam/order", json={"order": order}, headers=auth(token))
    assert again.json()["revision"] == 2


@pytest.mark.parametrize(
    ("kind", "edit"),
    [
        ("mcq", {"options": ["only one"]}),
        ("mcq", {"options": ["same", "Same", "other"]}),
        ("mcq", {"answer": "not among the options"}),
        ("mcq", {"options": "a, b"}),
        ("mcq", {"prompt": "   "}),
        ("mcq", {"prompt": "x" * 1001}),
        ("mcq", {"prompt": "bell \u0007 in a stem"}),
        ("mcq", {"prompt": 42}),
        ("mcq", {"status": "maybe"}),
        ("mcq", {"colour": "red"}),
        ("mcq", {}),
        ("cloze", {"prompt": "a cloze prompt without its blank"}),
        ("cloze", {"options": ["a", "b"]}),
        ("true_false", {"answer": "true"}),
        ("true_false", {"answer": 1}),
    ],
)
def test_malformed_edits_are_422(
    client: Client, redis: Redis, exam: dict[str, Any], kind: str, edit: dict[str, Any]
) -> None:
    token = tokens.create(redis, "alice")
    job_id = finished(client, redis, token, exam)
    question = first_of(exam, kind)
    assert_error(client.patch(f"/jobs/{job_id}/exam/questions/{question['id']}", json=edit, headers=auth(token)), 422)
    assert client.get(f"/jobs/{job_id}/exam", headers=auth(token)).headers["examgen-revision"] == "0"


def test_a_lone_surrogate_is_refused_by_the_service(exam: dict[str, Any]) -> None:
    # JSON bodies with one are refused by the parser (400); form fields reach the service as text.
    with pytest.raises(revisions.InvalidEdit):
        revisions.edited_question(first_of(exam, "mcq"), {"prompt": "lone \ud800 surrogate _____"})


def test_bad_orders_and_unknown_names_are_refused(client: Client, redis: Redis, exam: dict[str, Any]) -> None:
    token = tokens.create(redis, "alice")
    job_id = finished(client, redis, token, exam)
    ids = [q["id"] for q in exam["questions"]]
    for order in (ids[:-1], [*ids, ids[0]], [*ids[:-1], "q999"], "q1", [1, 2]):
        assert_error(client.post(f"/jobs/{job_id}/exam/order", json={"order": order}, headers=auth(token)), 422)
    assert_error(client.post(f"/jobs/{job_id}/exam/order", content=b"[", headers=auth(token)), 400)
    assert_error(client.patch(f"/jobs/{job_id}/exam/questions/q999", json=ACCEPT, headers=auth(token)), 404)
    assert_error(client.get(f"/jobs/{job_id}/exam?revision=1", headers=auth(token)), 404)
    assert_error(client.get(f"/jobs/{job_id}/exam?revision=-1", headers=auth(token)), 400)


def test_the_last_question_cannot_be_rejected(client: Client, redis: Redis, exam: dict[str, Any]) -> None:
    token = tokens.create(redis, "alice")
    small = {**exam, "questions": exam["questions"][:1]}
    job_id = finished(client, redis, token, small)
    qid = small["questions"][0]["id"]
    assert_error(client.patch(f"/jobs/{job_id}/exam/questions/{qid}", json=REJECT, headers=auth(token)), 422)


def test_only_the_owner_or_an_admin_reviews(client: Client, redis: Redis, exam: dict[str, Any]) -> None:
    alice, bob = tokens.create(redis, "alice"), tokens.create(redis, "bob")
    admin = tokens.create(redis, "ops", admin=True)
    job_id = finished(client, redis, alice, exam)
    qid = exam["questions"][0]["id"]
    assert_error(client.get(f"/jobs/{job_id}/exam/revisions", headers=auth(bob)), 404)
    assert_error(client.patch(f"/jobs/{job_id}/exam/questions/{qid}", json=ACCEPT, headers=auth(bob)), 404)
    assert_error(client.post(f"/jobs/{job_id}/exam/order", json={"order": []}, headers=auth(bob)), 404)
    assert_error(client.patch(f"/jobs/{job_id}/exam/questions/{qid}", json=ACCEPT), 401)
    by_admin = client.patch(f"/jobs/{job_id}/exam/questions/{qid}", json=ACCEPT, headers=auth(admin))
    assert by_admin.status_code == 200 and by_admin.json()["author"] == "ops"


def test_a_job_without_its_exam_yet_is_409(client: Client, redis: Redis) -> None:
    token = tokens.create(redis, "alice")
    job_id = upload(client, token).json()["job_id"]
    assert_error(client.get(f"/jobs/{job_id}/exam/revisions", headers=auth(token)), 409)
    assert_error(client.patch(f"/jobs/{job_id}/exam/questions/q1", json=ACCEPT, headers=auth(token)), 409)


def test_the_review_routes_are_in_the_openapi_document(client: Client) -> None:
    paths = client.get("/schema/openapi.json").json()["paths"]
    edit = paths["/jobs/{job_id}/exam/questions/{question_id}"]["patch"]
    assert {"400", "401", "404", "409", "422", "503"} <= set(edit["responses"])
    assert set(edit["requestBody"]["content"]["application/json"]["schema"]["properties"]) == {
        "prompt",
        "options",
        "answer",
        "explanation",
        "status",
    }
    assert "422" in paths["/jobs/{job_id}/exam/order"]["post"]["responses"]
    assert "404" in paths["/jobs/{job_id}/exam/revisions"]["get"]["responses"]
    assert any(p["name"] == "revision" for p in paths["/jobs/{job_id}/exam"]["get"]["parameters"])
