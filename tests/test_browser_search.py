"""Finding jobs in headless Chromium: filter, page, bulk cancel with its confirmation step.

A web process and a Redis of the test's own, and no worker, so the jobs stay queued.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser
from redis import Redis
from rq.job import Job

from examgen.services import tokens
from tests.support import RedisServer, examgen_env, start_web
from tests.test_browser import Stack, assert_all_local, browser  # noqa: F401 (the fixture)

pytestmark = pytest.mark.procs


def test_filter_page_and_bulk_cancel_in_chromium(browser: Browser, tmp: Path) -> None:  # noqa: F811
    server = RedisServer(tmp / "redis")
    server.start()
    redis = Redis.from_url(server.url)
    web, base = start_web(examgen_env(server.url), tmp)
    users = {name: tokens.create(redis, name) for name in ("alice", "bob")}
    stack = Stack(base, server, redis, tokens.create(redis, "ops", admin=True), users, [web])
    requests: list[str] = []
    try:
        alice_jobs = [stack.submit("alice", "water-cycle-handout.pdf") for _ in range(30)]
        bob_job = stack.submit("bob", "water-cycle-handout.pdf")
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("request", lambda request: requests.append(request.url))
        page.goto(f"{base}/dashboard")
        page.fill("#token", stack.admin)
        page.click("button[type=submit]")
        page.wait_for_selector("#jobs tr[data-job]")

        page.fill("#f-owner", "alice")
        page.select_option("#f-status", "queued")
        page.click("#f-apply")
        page.wait_for_function("() => location.search.includes('owner=alice')")
        assert parse_qs(urlsplit(page.url).query) == {"owner": ["alice"], "status": ["queued"]}
        rows = page.locator("#jobs tr[data-job]")
        assert rows.count() == 25 and bob_job not in page.inner_html("#jobs")

        page.click("#jobs-older")  # the second page: the last 5 of alice's 30, the cursor in the URL
        page.wait_for_function("() => location.search.includes('start=25')")
        page.wait_for_function("() => document.querySelectorAll('#jobs tr[data-job]').length === 5")
        on_page_two = {rows.nth(i).get_attribute("data-job") for i in range(5)}
        assert on_page_two == set(alice_jobs[:5])  # newest first: the oldest five come last
        page.reload()  # the address alone restores filter and page
        page.wait_for_selector("#jobs tr[data-job]")
        assert rows.count() == 5 and page.input_value("#f-owner") == "alice"

        page.click("#bulk-cancel")  # a confirmation page first; nothing is canceled yet
        page.wait_for_selector("#bulk-confirm")
        assert "Cancel 30 jobs?" in page.inner_text("#bulk-h")
        assert Job.fetch(alice_jobs[0], connection=redis).get_status() == "queued"
        page.click("#bulk-confirm")
        page.wait_for_selector("[data-outcome=done]")
        assert page.inner_text("[data-outcome=done]") == "30"
        assert all(Job.fetch(j, connection=redis).get_status() == "canceled" for j in alice_jobs)
        assert Job.fetch(bob_job, connection=redis).get_status() == "queued"
        page.click("text=Back to the jobs >> nth=0")
        page.wait_for_selector("#jobs")
        assert "owner=alice" in page.url
        assert_all_local(requests)
    finally:
        web.stop()
        server.stop()
