"""The dashboard's pages and fragments through Litestar's test client, against a real Redis."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient
from redis import Redis
from rq.job import Job

from examgen.app import create_app
from examgen.core.settings import get_settings
from examgen.core.stats import MinutePoint
from examgen.dashboard import charts
from examgen.services import tokens
from tests.support import PDFS, RedisServer, examgen_env, run_burst
from tests.test_dashboard_auth import HX, SEED_KEYS, Client, auth, login, page_csrf, stats_in

# Starts examgen processes or servers: in `make test`, not in `make test-fast`.
pytestmark = pytest.mark.procs

SMALL_PDF = (PDFS / "water-cycle-handout.pdf").read_bytes()
SCANNED_PDF = (PDFS / "imagemagick-images.pdf").read_bytes()


@pytest.fixture
def client(redis_url: str, redis: Redis) -> Iterator[Client]:
    with TestClient(app=create_app()) as test_client:
        login(test_client, tokens.create(redis, "root", admin=True))
        yield test_client


@pytest.fixture
def alice(redis: Redis) -> str:
    return tokens.create(redis, "alice")


def upload(client: Client, token: str, data: bytes = SMALL_PDF, name: str = "notes.pdf", **fields: str) -> str:
    files = {"file": (name, data, "application/pdf")}
    response = client.post("/generate", files=files, data=fields, headers=auth(token))
    assert response.status_code == 202, response.text
    return str(response.json()["job_id"])


def test_status_fragment_holds_every_number_in_data_stat(client: Client, alice: str) -> None:
    for _ in range(3):
        upload(client, alice)
    numbers = client.get("/queue/status", headers=auth(alice)).json()
    fragment = client.get("/queue/status", headers=HX)
    assert fragment.status_code == 200 and fragment.headers["content-type"].startswith("text/html")
    shown = stats_in(fragment.text)
    for key in SEED_KEYS:
        assert shown[key] == str(numbers[key]), key
    assert shown["queue_size"] == "3" and shown["max_queue_size"] == "3"
    assert re.search(r'<time data-stat="max_queue_size_at" datetime="[0-9T:.-]+Z"', fragment.text)
    assert {"live_workers", "oldest_waiting_seconds", "throughput_per_minute"} <= set(shown)


def test_fragments_show_redis_unavailable_and_recover(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = RedisServer(tmp / "redis", appendonly=True)  # a Redis of this test's own, to stop and restart
    server.start()
    monkeypatch.setenv("REDIS_URL", server.url)
    get_settings.cache_clear()
    try:
        with TestClient(app=create_app()) as client:
            login(client, tokens.create(Redis.from_url(server.url), "root", admin=True))
            assert "data-stat" in client.get("/queue/status", headers=HX).text
            server.stop()
            for path in ("/queue/status", "/dashboard/jobs", "/dashboard/charts?range=day"):
                down = client.get(path, headers=HX)
                assert down.status_code == 200, path  # htmx swaps only 2xx
                assert "Redis unavailable" in down.text and 'data-stat="' not in down.text
            api = client.get("/queue/status")
            assert api.status_code == 503 and set(api.json()) == {"status_code", "detail"}
            page = client.get("/dashboard")
            assert page.status_code == 503 and "Redis unavailable" in page.text and 'http-equiv="refresh"' in page.text
            server.start()
            back = client.get("/queue/status", headers=HX)
            assert back.status_code == 200 and stats_in(back.text)["queue_size"] == "0"
    finally:
        server.stop()
        get_settings.cache_clear()


def test_charts_are_inline_svg_of_the_hour_and_the_day(client: Client, alice: str, redis_url: str) -> None:
    upload(client, alice)
    upload(client, alice, SCANNED_PDF, "scan.pdf")
    assert run_burst(examgen_env(redis_url), n=2).returncode == 0
    for range_name in ("hour", "day"):
        fragment = client.get(f"/dashboard/charts?range={range_name}", headers=HX)
        assert fragment.status_code == 200
        html = fragment.text
        assert html.count("<svg") == 4 and html.count('role="img"') == 4
        assert html.count('class="bar"') >= 2  # one finished, one failed
        assert "<script" not in html and "http" not in html.replace("http-equiv", "")
        assert f'aria-pressed="true">Last {range_name}' in html
    hour = client.get("/dashboard/charts?range=hour", headers=HX).text
    assert "Finished per minute: 1 in all" in hour and "Failed per minute: 1 in all" in hour


def test_chart_geometry() -> None:
    assert [charts.nice_max(v) for v in (0, 1, 3, 7, 11, 120)] == [1, 1, 5, 10, 20, 200]
    points = [MinutePoint(f"2025-01-01T10:{m:02d}:00Z", m % 7, m % 3, m % 2, 0) for m in range(60)]
    day = charts.bucket(points, 10)
    assert len(day) == 6 and day[0].queue_size == 6 and day[0].finished == 5
    queue, running, finished, failed = charts.build(points, "hour", cap=5)
    assert running.cap_y is not None and running.y_max == 5
    xs = [float(p.split(",")[0]) for p in queue.line.split()]
    ys = [float(p.split(",")[1]) for p in queue.line.split()]
    assert len(xs) == 60 and xs == sorted(xs) and min(xs) >= charts.LEFT and max(xs) <= charts.WIDTH
    assert all(charts.TOP <= y <= charts.HEIGHT - charts.BOTTOM for y in ys)
    assert len(finished.bars) == 30 and failed.bars == [] and "none" in failed.summary


def test_jobs_table_escapes_names_and_cancels(client: Client, alice: str, redis: Redis) -> None:
    job_id = upload(client, alice, name="<img src=x onerror=alert(1)>.pdf")
    table = client.get("/dashboard/jobs", headers=HX)
    assert table.status_code == 200
    assert "<img" not in table.text and "&lt;img src=x onerror=alert(1)&gt;.pdf" in table.text
    row = re.search(rf'<tr data-job="{job_id}" data-status="queued">.*?</tr>', table.text, re.S)
    assert row and ">alice<" in row.group(0) and "/cancel" in row.group(0)
    done = client.post(f"/dashboard/jobs/{job_id}/cancel", data={"csrf": page_csrf(client)}, headers=HX)
    assert done.status_code == 200 and "canceled" in done.text
    assert Job.fetch(job_id, connection=redis).get_status() == "canceled"
    again = client.post(f"/dashboard/jobs/{job_id}/cancel", data={"csrf": page_csrf(client)}, headers=HX)
    assert again.status_code == 200 and "already ended" in again.text
    plain = client.post(f"/dashboard/jobs/{job_id}/cancel", data={"csrf": page_csrf(client)}, follow_redirects=False)
    assert plain.status_code == 303  # without htmx: back to the page


def test_rerun_of_a_failed_job_needs_the_file_again(client: Client, alice: str, redis: Redis, redis_url: str) -> None:
    failed_id = upload(client, alice, SCANNED_PDF, "scan.pdf", num_questions="4", types="mcq")
    assert run_burst(examgen_env(redis_url), n=1).returncode == 0
    table = client.get("/dashboard/jobs", headers=HX).text
    assert f"/dashboard/jobs/{failed_id}/rerun" in table
    page = client.get(f"/dashboard/jobs/{failed_id}/rerun")
    assert page.status_code == 200 and "re-run needs the file again" in page.text
    assert "num_questions: 4" in page.text and "types: mcq" in page.text
    csrf = page_csrf(client)
    without = client.post(f"/dashboard/jobs/{failed_id}/rerun", data={"csrf": csrf}, files={"x": ("", b"")})
    assert without.status_code == 400 and "Re-run needs the file again" in without.text
    not_pdf = client.post(
        f"/dashboard/jobs/{failed_id}/rerun",
        data={"csrf": csrf},
        files={"file": ("a.pdf", b"hello", "application/pdf")},
    )
    assert not_pdf.status_code == 415
    forged = client.post(
        f"/dashboard/jobs/{failed_id}/rerun",
        data={"csrf": "x"},
        files={"file": ("fixed.pdf", SMALL_PDF, "application/pdf")},
    )
    assert forged.status_code == 403
    done = client.post(
        f"/dashboard/jobs/{failed_id}/rerun",
        data={"csrf": csrf},
        files={"file": ("fixed.pdf", SMALL_PDF, "application/pdf")},
        follow_redirects=False,
    )
    assert done.status_code == 303
    new_id = Job.fetch(failed_id, connection=redis).meta["rerun_as"]
    new = Job.fetch(new_id, connection=redis)
    assert new.meta["owner"] == "alice" and new.meta["filename"] == "fixed.pdf"
    assert new.args[0]["num_questions"] == 4 and tuple(new.args[0]["types"]) == ("mcq",)
    assert client.get(f"/jobs/{new_id}", headers=auth(alice)).json()["status"] == "queued"
    assert f"re-run as {new_id[:8]}" in client.get("/dashboard/jobs", headers=HX).text


def test_htmx_is_served_from_static_and_pages_name_no_other_host(client: Client) -> None:
    htmx = client.get("/static/htmx.min.js")
    assert htmx.status_code == 200 and "2.0.11" in htmx.text
    assert client.get("/static/dashboard.css").status_code == 200
    page = client.get("/dashboard")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    refs = re.findall(r'(?:src|href|action|hx-get|hx-post)="([^"]*)"', page.text)
    assert refs and all(ref.startswith(("/", "#")) for ref in refs), refs
    assert '<script src="/static/htmx.min.js"' in page.text
    assert 'hx-get="/queue/status" hx-trigger="every 2s"' in page.text
    assert 'name="viewport"' in page.text and 'lang="en"' in page.text


def test_the_owners_table_shows_each_owners_waiting_and_running_jobs(client: Client, alice: str, redis: Redis) -> None:
    from examgen.core import keys, slots

    bob = tokens.create(redis, "bob")
    for _ in range(3):
        upload(client, alice)
    upload(client, bob)
    assert slots.claim(redis, keys.queue, 5, 60).job_id is not None  # alice's turn first
    fragment = client.get("/queue/status", headers=HX).text
    row = (
        r'<tr data-owner="(\w+)"><td>\w+</td><td data-owner-stat="waiting">(\d+)</td>'
        r'<td data-owner-stat="running">(\d+)</td>'
    )
    rows = {owner: (waiting, running) for owner, waiting, running in re.findall(row, fragment)}
    assert rows == {"alice": ("2", "1"), "bob": ("1", "0")}, fragment
