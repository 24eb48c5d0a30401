"""Who gets into the dashboard, its fragments and /rq/: logging in, sessions, CSRF, refusals."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from redis import Redis

from examgen.app import create_app
from examgen.core import keys
from examgen.core.enqueue import enqueue
from examgen.services import tokens

SEED_KEYS = (
    "queue_size",
    "max_queue_size",
    "processing",
    "max_processing",
    "max_concurrent",
    "total_processed",
    "total_failed",
    "estimated_wait_time",
)
HX = {"HX-Request": "true"}
Client = TestClient[Litestar]


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def form_csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF field in the page"
    return match.group(1)


def login(client: Client, token: str, headers: dict[str, str] | None = None, next_url: str = "/dashboard") -> Any:
    page = client.get("/dashboard/login", headers=headers or {})
    assert page.status_code == 200
    data = {"csrf": form_csrf(page.text), "token": token, "next": next_url}
    return client.post("/dashboard/login", data=data, headers=headers or {}, follow_redirects=False)


def page_csrf(client: Client) -> str:
    page = client.get("/dashboard")
    assert page.status_code == 200, page.text
    return form_csrf(page.text)


def stats_in(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-stat="([a-z_]+)"[^>]*>([^<]*)<', html))


@pytest.fixture
def client(redis_url: str) -> Iterator[Client]:
    with TestClient(app=create_app()) as test_client:
        yield test_client


@pytest.fixture
def admin(redis: Redis) -> str:
    return tokens.create(redis, "root", admin=True)


@pytest.fixture
def user(redis: Redis) -> str:
    return tokens.create(redis, "alice")


def test_admin_logs_in_with_a_safe_cookie_and_logs_out(client: Client, admin: str) -> None:
    first = client.get("/dashboard", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"].startswith("/dashboard/login")
    response = login(client, admin)
    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("examgen_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax") and "Path=/" in cookie
    assert "Secure" not in cookie  # plain HTTP: a Secure cookie would never come back
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert set(SEED_KEYS) <= set(stats_in(page.text))
    assert 'href="/rq/"' in page.text
    assert client.post("/dashboard/logout", data={}, follow_redirects=False).status_code == 403
    out = client.post("/dashboard/logout", data={"csrf": page_csrf(client)}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/dashboard", follow_redirects=False).status_code == 303
    assert client.get("/queue/status", headers=HX).status_code == 401


def test_cookies_are_secure_over_https_and_behind_a_proxy(redis_url: str, client: Client, admin: str) -> None:
    proxied = client.get("/dashboard/login", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in proxied.headers["set-cookie"]
    with TestClient(app=create_app(), base_url="https://testserver.local") as https:
        response = login(https, admin)
        assert response.status_code == 303
        cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("examgen_session="))
        assert "Secure" in cookie and "HttpOnly" in cookie
        assert https.get("/dashboard").status_code == 200


def test_non_admin_and_unknown_tokens_cannot_log_in(client: Client, user: str) -> None:
    refused = login(client, user)
    assert refused.status_code == 403
    assert "not an admin token" in refused.text
    unknown = login(client, "eg_not-a-token")
    assert unknown.status_code == 401 and "unknown" in unknown.text
    for response in (refused, unknown):
        assert not any(c.startswith("examgen_session=") for c in response.headers.get_list("set-cookie"))
    assert client.get("/dashboard", follow_redirects=False).status_code == 303


def test_login_form_needs_its_own_csrf_token(client: Client, admin: str) -> None:
    client.get("/dashboard/login")
    missing = client.post("/dashboard/login", data={"token": admin}, follow_redirects=False)
    assert missing.status_code == 403
    forged = client.post("/dashboard/login", data={"token": admin, "csrf": "0" * 64}, follow_redirects=False)
    assert forged.status_code == 403
    assert client.get("/dashboard", follow_redirects=False).status_code == 303


def test_next_never_leaves_the_site(client: Client, admin: str) -> None:
    for evil in ("https://evil.example/", "//evil.example/dashboard", "/dashboard/../../x"):
        response = login(client, admin, next_url=evil)
        assert response.headers["location"] == "/dashboard"
    assert login(client, admin, next_url="/rq/").headers["location"] == "/rq/"


@pytest.mark.parametrize(
    "path",
    ["/dashboard", "/dashboard/jobs", "/dashboard/charts", "/rq/", "/rq/0/data/queues.json", "/rq/0/view/workers"],
)
def test_anonymous_and_non_admin_callers_are_refused(client: Client, user: str, path: str) -> None:
    login(client, user)  # refused: leaves no session behind
    for headers in ({}, HX, auth(user), {**auth(user), **HX}):
        response = client.get(path, headers=headers, follow_redirects=False)
        assert response.status_code in (303, 401, 403), (path, headers, response.status_code)
        assert 'data-stat="' not in response.text and "RQ" not in response.text
        if response.status_code == 303:
            assert response.headers["location"].startswith("/dashboard/login")
    # htmx fragments answer 401 (not a redirect) so the page can say "session expired".
    assert client.get("/queue/status", headers=HX).status_code == 401
    assert client.get("/dashboard/jobs", headers=HX).status_code == 401


def test_revoking_the_token_ends_its_sessions(client: Client, redis: Redis) -> None:
    token = tokens.create(redis, "ops", admin=True)
    login(client, token)
    assert client.get("/dashboard").status_code == 200
    tokens.revoke(redis, "ops")
    assert client.get("/dashboard", follow_redirects=False).status_code == 303
    assert client.get("/queue/status", headers=HX).status_code == 401


def test_sessions_are_shared_by_every_web_process(redis_url: str, admin: str) -> None:
    with TestClient(app=create_app()) as one, TestClient(app=create_app()) as two:
        login(one, admin)
        two.cookies.set("examgen_session", one.cookies["examgen_session"])
        assert two.get("/dashboard").status_code == 200
        # The CSRF token made by one process is accepted by the other (same secret key, in Redis).
        out = two.post("/dashboard/logout", data={"csrf": page_csrf(one)}, follow_redirects=False)
        assert out.status_code == 303
        assert one.get("/dashboard", follow_redirects=False).status_code == 303


def test_rq_dashboard_keeps_its_prefix_and_is_guarded(client: Client, admin: str, redis: Redis) -> None:
    job = enqueue(redis, "tests.testjobs.tracked", args=(0.1, "rq")).job
    login(client, admin)
    page = client.get("/rq/")
    assert page.status_code == 200
    links = re.findall(r'(?:href|src)="(/[^"]*)"', page.text)
    assert links and all(link.startswith("/rq/") for link in links), links
    queues = client.get("/rq/0/data/queues.json").json()["queues"]
    assert [q["name"] for q in queues] == ["examgen"] and queues[0]["count"] == 1
    assert queues[0]["queued_url"].startswith("/rq/")
    assert client.get(f"/rq/0/data/job/{job.id}.json").json()["id"] == job.id
    # State changes: only POSTs from the site's own pages; the GET "requeue all" never.
    assert client.get("/rq/requeue/examgen", follow_redirects=False).status_code == 405
    assert client.post("/rq/requeue/examgen").status_code == 403
    cross = client.post("/rq/requeue/examgen", headers={"Origin": "https://evil.example"})
    assert cross.status_code == 403
    same = client.post("/rq/requeue/examgen", headers={"Origin": str(client.base_url).rstrip("/")})
    assert same.status_code == 200
    client.cookies.clear()
    assert client.post("/rq/requeue/examgen", headers={"Origin": str(client.base_url)}).status_code == 401


def test_actions_need_the_session_csrf_token(client: Client, admin: str, redis: Redis) -> None:
    job = enqueue(redis, "tests.testjobs.tracked", args=(0.1, "keep")).job
    login(client, admin)
    refused = client.post(f"/dashboard/jobs/{job.id}/cancel", data={"csrf": "forged"}, headers=HX)
    assert refused.status_code == 403
    assert job.get_status() == "queued"
    done = client.post(f"/dashboard/jobs/{job.id}/cancel", data={"csrf": page_csrf(client)}, headers=HX)
    assert done.status_code == 200 and "canceled" in done.text
    assert job.get_status() == "canceled"


def test_a_session_cookie_opens_reads_but_no_api_change(client: Client, admin: str, redis: Redis) -> None:
    # The cookie rides along with whatever a page of another site makes the browser send; only the
    # dashboard's own forms, each with its CSRF token, may change anything.
    login(client, admin)
    assert client.get("/queue/status").status_code == 200
    assert client.get("/jobs").status_code == 200
    assert client.post("/queue/stats/reset").status_code == 401
    assert client.delete("/jobs/abc").status_code == 401
    pdf = {"file": ("x.pdf", b"%PDF-1.4\n", "application/pdf")}
    assert client.post("/generate", files=pdf).status_code == 401
    assert redis.zcard(keys.all_jobs) == 0
