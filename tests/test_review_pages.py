"""The review pages (/review) in-process: owners' sessions, their forms, what those sessions may not
open; through Litestar's test client against the suite's real Redis."""

# The fixtures `client` and `exam` come from test_api_exports; pytest passes them by name.
# ruff: noqa: F811

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from redis import Redis

from examgen.services import tokens
from tests.test_api_exports import client, exam, finished  # noqa: F401
from tests.test_dashboard_auth import form_csrf

Client = TestClient[Litestar]
HX = {"HX-Request": "true"}


def review_login(client: Client, token: str) -> Any:
    page = client.get("/review/login")
    data = {"csrf": form_csrf(page.text), "token": token, "next": "/review"}
    return client.post("/review/login", data=data, follow_redirects=False)


def mcq_of(exam: dict[str, Any]) -> dict[str, Any]:
    question: dict[str, Any] = next(q for q in exam["questions"] if q["type"] == "mcq")
    return question


def test_an_owner_logs_in_and_sees_only_their_jobs(client: Client, redis: Redis, exam: dict[str, Any]) -> None:
    alice, bob = tokens.create(redis, "alice"), tokens.create(redis, "bob")
    mine, theirs = finished(client, redis, alice, exam), finished(client, redis, bob, exam)
    assert client.get("/review", follow_redirects=False).headers["location"] == "/review/login?next=/review"
    assert review_login(client, "eg_unknown").status_code == 401
    done = review_login(client, alice)
    assert done.status_code == 303 and done.headers["location"] == "/review"
    listing = client.get("/review")
    assert mine in listing.text and theirs not in listing.text
    assert client.get(f"/review/jobs/{theirs}").status_code == 404
    page = client.get(f"/review/jobs/{mine}")
    assert page.status_code == 200 and mcq_of(exam)["prompt"] in page.text


@pytest.mark.parametrize("path", ["/dashboard", "/dashboard/jobs", "/rq/", "/rq/0/data/queues.json", "/metrics"])
def test_an_owners_session_opens_no_admin_page(client: Client, redis: Redis, path: str) -> None:
    review_login(client, tokens.create(redis, "alice"))
    for headers in ({}, HX):
        response = client.get(path, headers=headers, follow_redirects=False)
        assert response.status_code in (303, 401, 403), (path, response.status_code)
        assert 'data-stat="' not in response.text and "RQ" not in response.text


def test_edits_in_the_form_make_revisions_the_exports_serve(client: Client, redis: Redis, exam: dict[str, Any]) -> None:
    alice = tokens.create(redis, "alice")
    job_id = finished(client, redis, alice, exam)
    review_login(client, alice)
    csrf = form_csrf(client.get(f"/review/jobs/{job_id}").text)
    qid = mcq_of(exam)["id"]
    form = {
        "csrf": csrf,
        "action": "save",
        "prompt": "The reviewer asks _____ now",
        "options": "Tarragona\r\nValparaíso\r\n\r\nWinnipeg",
        "answer": "Winnipeg",
        "explanation": "",
    }
    saved = client.post(f"/review/jobs/{job_id}/questions/{qid}", data=form, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == f"/review/jobs/{job_id}#q-{qid}"
    page = client.get(f"/review/jobs/{job_id}").text
    assert "Valparaíso" in page and 'data-revision="1"' in page
    # The session reads the exports as the owner's token would.
    assert "Valparaíso" in client.get(f"/jobs/{job_id}/exam?format=moodle").text
    rejected = client.post(
        f"/review/jobs/{job_id}/questions/{qid}", data={"csrf": csrf, "action": "reject"}, headers=HX
    )
    assert rejected.status_code == 200 and f'data-question="{qid}" data-status="rejected"' in rejected.text
    assert "Valparaíso" not in client.get(f"/jobs/{job_id}/exam?format=gift").text
    moved = client.post(
        f"/review/jobs/{job_id}/order", data={"csrf": csrf, "question": exam["questions"][1]["id"], "move": "up"}
    )
    assert moved.status_code == 200  # followed the redirect back to the page
    order = [q["id"] for q in client.get(f"/jobs/{job_id}/exam?revision=3").json()["questions"]]
    assert order[0] == exam["questions"][1]["id"]


def test_a_malformed_edit_is_shown_in_the_page(client: Client, redis: Redis, exam: dict[str, Any]) -> None:
    alice = tokens.create(redis, "alice")
    job_id = finished(client, redis, alice, exam)
    review_login(client, alice)
    csrf = form_csrf(client.get(f"/review/jobs/{job_id}").text)
    qid = mcq_of(exam)["id"]
    form = {"csrf": csrf, "action": "save", "prompt": "Kept _____ text", "options": "one\ntwo", "answer": "three"}
    full = client.post(f"/review/jobs/{job_id}/questions/{qid}", data=form)
    assert full.status_code == 422 and "must be one of its options" in full.text and "Kept _____ text" in full.text
    fragment = client.post(f"/review/jobs/{job_id}/questions/{qid}", data=form, headers=HX)
    assert fragment.status_code == 200 and 'role="alert"' in fragment.text and "<html" not in fragment.text
    assert 'data-revision="0"' in client.get(f"/review/jobs/{job_id}").text


def test_review_forms_need_the_session_csrf_token(client: Client, redis: Redis, exam: dict[str, Any]) -> None:
    alice = tokens.create(redis, "alice")
    job_id = finished(client, redis, alice, exam)
    qid = mcq_of(exam)["id"]
    anonymous = client.post(f"/review/jobs/{job_id}/questions/{qid}", data={"action": "reject"}, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/review/login")
    review_login(client, alice)
    forged = client.post(f"/review/jobs/{job_id}/questions/{qid}", data={"csrf": "forged", "action": "reject"})
    assert forged.status_code == 403
    assert client.get(f"/jobs/{job_id}/exam").headers["examgen-revision"] == "0"
    # Every form on the page carries the token.
    page = client.get(f"/review/jobs/{job_id}").text
    assert page.count("<form") == len(re.findall(r'name="csrf" value="[0-9a-f]{64}"', page))


def test_revoking_the_token_ends_the_review_session(client: Client, redis: Redis) -> None:
    review_login(client, tokens.create(redis, "alice"))
    assert client.get("/review").status_code == 200
    tokens.revoke(redis, "alice")
    assert client.get("/review", follow_redirects=False).status_code == 303
