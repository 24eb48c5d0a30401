"""The review page's Regenerate button in-process: the form (CSRF), the "regenerating…" fragment that
polls, refusals shown in place; tests/test_review_browser.py runs the whole round with a worker."""

# The fixtures `client` and `exam` come from test_api_exports; pytest passes them by name.
# ruff: noqa: F811

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import TestClient
from redis import Redis

from examgen.core import keys
from examgen.services import tokens
from tests.test_api_exports import client, exam, finished  # noqa: F401
from tests.test_api_regenerate import with_source
from tests.test_dashboard_auth import form_csrf
from tests.test_review_pages import HX, review_login

Client = TestClient[Litestar]


def test_regenerate_form_enqueues_and_polls(client: Client, redis: Redis, exam: dict[str, Any]) -> None:
    alice = tokens.create(redis, "alice")
    job_id = finished(client, redis, alice, exam)
    review_login(client, alice)
    page = client.get(f"/review/jobs/{job_id}").text
    assert 'id="regenerate-q1"' in page and 'id="regen-q1"' in page
    csrf = form_csrf(page)
    url = f"/review/jobs/{job_id}/questions/q1/regenerate"

    # An exam from before regeneration existed: the reason, in place of "regenerating…".
    old = client.post(url, data={"csrf": csrf}, headers=HX)
    assert old.status_code == 200 and 'role="alert"' in old.text and "after this release" in old.text
    assert "hx-trigger" not in old.text

    with_source(redis, job_id)
    forged = client.post(url, data={"csrf": "forged"}, headers=HX)
    assert forged.status_code == 403 and redis.llen(keys.queue) == 0
    answer = client.post(url, data={"csrf": csrf, "type": "true_false"}, headers=HX)
    assert answer.status_code == 200 and "<html" not in answer.text
    assert 'hx-trigger="every 2s"' in answer.text and "Regenerating q1" in answer.text
    rid = answer.text.split('data-regenerating="')[1].split('"')[0]
    assert redis.lpos(keys.queue, rid) is not None
    poll = client.get(f"/review/jobs/{job_id}/regenerations/{rid}", headers=HX)
    assert poll.status_code == 200 and 'data-state="queued"' in poll.text and "every 2s" in poll.text

    # Without script: a redirect to a page that says so, with a link to look again.
    plain = client.post(url, data={"csrf": csrf}, follow_redirects=False)
    assert plain.status_code == 303 and "/regenerations/" in plain.headers["location"]
    shown = client.get(plain.headers["location"])
    assert shown.status_code == 200 and "Regenerating q1" in shown.text and "Look again" in shown.text

    # Another owner's exam, or a regeneration of another exam: 404.
    review_login(client, tokens.create(redis, "bob"))
    assert client.get(f"/review/jobs/{job_id}/regenerations/{rid}").status_code == 404
