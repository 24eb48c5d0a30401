"""The dashboard in headless Chromium against real processes: web, a worker pool, a Redis of its own.

Chromium is required, not optional: a missing /usr/bin/chromium fails these tests (`make test`
installs it). EXAMGEN_SCREENSHOT=docs/dashboard.png also writes the busy-queue screenshot there;
EXAMGEN_SCREENSHOT_WARMUP_S spreads the load over that many seconds first so the charts have a shape.
"""

from __future__ import annotations

import os
import random
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from redis import Redis

from examgen.services import tokens
from tests.support import PDFS, Proc, RedisServer, examgen_env, start_pool, start_web, wait_until

# Starts examgen processes or servers: in `make test`, not in `make test-fast`.
pytestmark = pytest.mark.procs

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
LOCAL_HOSTS = ("127.0.0.1", "localhost")


@dataclass
class Stack:
    base: str
    server: RedisServer
    redis: Redis
    admin: str
    users: dict[str, str]
    procs: list[Proc]

    def submit(self, user: str, name: str, **fields: str) -> str:
        with open(PDFS / name, "rb") as pdf:
            response = httpx.post(
                f"{self.base}/generate",
                files={"file": (name, pdf, "application/pdf")},
                data=fields,
                headers={"Authorization": f"Bearer {self.users[user]}"},
                timeout=30,
            )
        assert response.status_code == 202, response.text
        return str(response.json()["job_id"])


def make_stack(tmp: Path, cap: int) -> Stack:
    server = RedisServer(tmp / "redis", appendonly=True)  # appendonly: sessions survive the outage test
    server.start()
    redis = Redis.from_url(server.url)
    env = examgen_env(server.url, MAX_CONCURRENT_JOBS=str(cap))
    web, base = start_web(env, tmp)
    pool = start_pool(env, tmp, cap)
    users = {name: tokens.create(redis, name) for name in ("alice", "bob", "carol")}
    return Stack(base, server, redis, tokens.create(redis, "ops", admin=True), users, [web, pool])


@pytest.fixture
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), f"Chromium is needed at {CHROMIUM} (apt-get install chromium; `make test` does it)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_dashboard(browser: Browser, stack: Stack, requests: list[str], width: int = 1280) -> Page:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{stack.base}/dashboard")
    assert "/dashboard/login" in page.url  # anonymous: sent to the login page
    page.fill("#token", stack.admin)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-stat=queue_size]")
    return page


def stat(page: Page, key: str) -> str:
    return page.inner_text(f"[data-stat={key}]").strip()


def assert_all_local(requests: list[str]) -> None:
    remote = [u for u in requests if not u.startswith("data:") and urlsplit(u).hostname not in LOCAL_HOSTS]
    assert requests and not remote, remote


def test_live_dashboard_in_chromium(browser: Browser, tmp: Path) -> None:
    stack = make_stack(tmp, cap=2)
    requests: list[str] = []
    try:
        page = open_dashboard(browser, stack, requests)
        numbers = {k: stat(page, k) for k in ("queue_size", "processing", "max_concurrent", "total_processed")}
        assert all(v.isdigit() for v in numbers.values()) and numbers["max_concurrent"] == "2"
        page.evaluate("window.__marker = 'still the same page'")

        stack.submit("alice", "water-cycle-handout.pdf")
        before = int(numbers["total_processed"])
        page.wait_for_function(
            f"() => Number(document.querySelector('[data-stat=total_processed]').textContent) > {before}",
            timeout=90_000,
        )
        assert page.evaluate("window.__marker") == "still the same page"

        stack.server.stop()  # Redis goes away: the page says so, then recovers by itself
        page.wait_for_selector("#status[data-state=unavailable]", timeout=20_000)
        assert "Redis unavailable" in page.inner_text("#status")
        stack.server.start()
        page.wait_for_selector("#status[data-state=ok]", timeout=30_000)
        assert int(stat(page, "total_processed")) > before
        assert page.evaluate("window.__marker") == "still the same page"
        assert page.is_hidden("#banner")

        page.click("text=RQ dashboard")
        page.wait_for_selector("text=examgen", timeout=15_000)
        assert page.url.endswith("/rq/")

        page.go_back()  # the session ends behind the page's back: the polls get 401, the page says so
        page.wait_for_selector("#status[data-state=ok]")
        stack.redis.delete(*stack.redis.keys("examgen:session:*"))
        page.wait_for_selector("#banner:not([hidden])", timeout=10_000)
        assert "session has expired" in page.inner_text("#banner")
        assert page.is_visible("#banner-login")
        assert_all_local(requests)
    finally:
        for proc in stack.procs:
            proc.stop()
        stack.server.stop()


def test_busy_queue_screenshot(browser: Browser, tmp: Path) -> None:
    stack = make_stack(tmp, cap=3)
    requests: list[str] = []
    rng = random.Random(5)
    mix = ["GeoTopo-komprimiert.pdf"] * 4 + ["GeoBase_NHNC1_Data_Model_UML_EN.pdf", "water-cycle-handout.pdf"]
    try:
        warmup_s = float(os.environ.get("EXAMGEN_SCREENSHOT_WARMUP_S", "0"))
        deadline = time.monotonic() + warmup_s
        while time.monotonic() < deadline:  # waves of work, so the history charts have a shape
            for _ in range(rng.randint(2, 9)):
                stack.submit(rng.choice(list(stack.users)), rng.choice([*mix, "imagemagick-images.pdf"]))
            time.sleep(30)
        stack.submit("carol", "imagemagick-images.pdf")
        for i in range(12):
            stack.submit(rng.choice(list(stack.users)), mix[i % len(mix)])
        page = open_dashboard(browser, stack, requests)
        wait_until(
            lambda: stat(page, "processing") == "3" and int(stat(page, "queue_size")) >= 5, 60, 0.5, "busy queue"
        )
        page.wait_for_selector("tr[data-status=started]")
        page.wait_for_timeout(2500)  # one more poll of every fragment
        shot = tmp / "dashboard.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 20_000
        if target := os.environ.get("EXAMGEN_SCREENSHOT"):
            shutil.copyfile(shot, target)
        phone = open_dashboard(browser, stack, requests, width=390)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
        assert_all_local(requests)
    finally:
        for proc in stack.procs:
            proc.stop()
        stack.server.stop()
