"""Finding jobs on the dashboard: filters, pages, bulk cancel and re-run, against a real Redis."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from redis import Redis
from rq.job import Job

from examgen.core import keys
from examgen.dashboard import search
from examgen.services import tokens
from tests import test_dashboard
from tests.support import examgen_env, run_burst
from tests.test_dashboard import SCANNED_PDF, SMALL_PDF, upload
from tests.test_dashboard_auth import HX, Client, page_csrf

client = test_dashboard.client  # the logged-in admin's test client, as in test_dashboard.py

# Runs a burst worker for the failed jobs: in `make test`, not in `make test-fast`.
pytestmark = pytest.mark.procs


def shown(html: str) -> list[str]:
    return re.findall(r'<tr data-job="([^"]+)"', html)


def test_filters_select_by_owner_status_name_and_id(client: Client, redis: Redis) -> None:
    alice, bob = tokens.create(redis, "alice"), tokens.create(redis, "bob")
    a1 = upload(client, alice, name="biology-week1.pdf")
    a2 = upload(client, alice, name="chemistry.pdf")
    b1 = upload(client, bob, name="Biology-week2.pdf")
    Job.fetch(a2, connection=redis).cancel()
    assert set(shown(client.get("/dashboard/jobs?owner=alice", headers=HX).text)) == {a1, a2}
    assert shown(client.get("/dashboard/jobs?status=canceled", headers=HX).text) == [a2]
    assert shown(client.get("/dashboard/jobs?name=BIOLOGY", headers=HX).text) == [b1, a1]  # newest first
    assert shown(client.get("/dashboard/jobs?name=biology&owner=bob", headers=HX).text) == [b1]
    assert shown(client.get(f"/dashboard/jobs?job={a1}", headers=HX).text) == [a1]
    assert shown(client.get(f"/dashboard/jobs?job={b1[:8]}", headers=HX).text) == [b1]
    assert shown(client.get("/dashboard/jobs?until=2000-01-01", headers=HX).text) == []
    assert len(shown(client.get("/dashboard/jobs?since=2000-01-01T00:00", headers=HX).text)) == 3
    # A search (not the poll of #jobs) puts the filter into the address bar; the full page reads it.
    pushed = client.get("/dashboard/jobs?status=queued&owner=alice", headers={**HX, "HX-Trigger": "jobs-filter"})
    assert pushed.headers["HX-Push-Url"] == "/dashboard?status=queued&owner=alice#jobs"
    polled = client.get("/dashboard/jobs?status=queued", headers={**HX, "HX-Trigger": "jobs"})
    assert "HX-Push-Url" not in polled.headers
    page = client.get("/dashboard?status=queued&owner=alice")
    assert page.status_code == 200 and shown(page.text) == [a1]
    assert '<option value="queued" selected>' in page.text and 'value="alice"' in page.text


def test_pages_follow_the_index_newest_first(client: Client, redis: Redis, monkeypatch: pytest.MonkeyPatch) -> None:
    alice = tokens.create(redis, "alice")
    monkeypatch.setattr(search, "PAGE_SIZE", 2)
    ids = [upload(client, alice, name=f"n{i}.pdf") for i in range(5)][::-1]
    seen: list[str] = []
    url = "/dashboard/jobs?owner=alice"
    for _ in range(5):  # bounded: 3 pages of 2
        html = client.get(url, headers=HX).text
        seen += shown(html)
        older = re.search(r'id="jobs-older" href="([^"]+)"', html)
        if not older:
            break
        query = urlsplit(older.group(1).replace("&amp;", "&")).query
        assert parse_qs(query)["owner"] == ["alice"]
        url = f"/dashboard/jobs?{query}"
    assert seen == ids


def test_scan_window_is_bounded_and_says_so(redis_url: str, redis: Redis) -> None:
    redis.zadd(keys.all_jobs, {f"gone-{i}": i for i in range(30)})  # index entries RQ has forgotten
    found = search.find(redis, search.parse_filter({"status": "failed"}), window=10)
    assert found.jobs == [] and found.bounded and found.scanned == 10 and found.next_start == 10
    last = search.find(redis, search.parse_filter({"status": "failed", "start": "20"}), window=50)
    assert not last.bounded and last.next_start is None and last.scanned == 10


@pytest.mark.parametrize(
    "query",
    [
        "status=bogus",
        "owner=%3Cscript%3E",
        "since=yesterday",
        "until=2025-13-40",
        "since=2025-02-01&until=2025-01-01",
        "start=-3",
        "job=a%2Fb",
        "name=" + "x" * 300,
    ],
)
def test_bad_filters_get_a_clear_400_page(client: Client, query: str) -> None:
    page = client.get(f"/dashboard?{query}")
    assert page.status_code == 400 and "text/html" in page.headers["content-type"]
    assert 'role="alert"' in page.text
    fragment = client.get(f"/dashboard/jobs?{query}")
    assert fragment.status_code == 400
    swapped = client.get(f"/dashboard/jobs?{query}", headers=HX)  # htmx swaps only 2xx: the table says it
    assert swapped.status_code == 200 and 'class="notice error"' in swapped.text


def test_bulk_cancel_confirms_then_cancels_what_was_listed(client: Client, redis: Redis) -> None:
    alice, bob = tokens.create(redis, "alice"), tokens.create(redis, "bob")
    mine = [upload(client, alice, name=f"a{i}.pdf") for i in range(3)]
    other = upload(client, bob, name="b.pdf")
    csrf = page_csrf(client)
    forged = client.post("/dashboard/jobs/bulk", data={"csrf": "nope", "action": "cancel", "owner": "alice"})
    assert forged.status_code == 403
    bad = client.post("/dashboard/jobs/bulk", data={"csrf": csrf, "action": "explode"})
    assert bad.status_code == 400
    bad_filter = client.post("/dashboard/jobs/bulk", data={"csrf": csrf, "action": "cancel", "status": "x"})
    assert bad_filter.status_code == 400
    confirm = client.post("/dashboard/jobs/bulk", data={"csrf": csrf, "action": "cancel", "owner": "alice"})
    assert confirm.status_code == 200 and "Cancel 3 jobs?" in confirm.text
    assert set(shown(confirm.text)) == set(mine)
    assert all(Job.fetch(j, connection=redis).get_status() == "queued" for j in mine)  # nothing done yet
    late = upload(client, alice, name="late.pdf")  # not on the confirmed list: left alone
    ids = re.findall(r'name="job" value="([^"]+)"', confirm.text)
    done = client.post(
        "/dashboard/jobs/bulk",
        data={"csrf": csrf, "action": "cancel", "owner": "alice", "confirm": "yes", "job": ids},
    )
    assert done.status_code == 200 and '<span data-outcome="done">3</span>' in done.text
    assert all(Job.fetch(j, connection=redis).get_status() == "canceled" for j in mine)
    assert Job.fetch(late, connection=redis).get_status() == "queued"
    assert Job.fetch(other, connection=redis).get_status() == "queued"
    too_many = client.post(
        "/dashboard/jobs/bulk",
        data={"csrf": csrf, "action": "cancel", "confirm": "yes", "job": [f"j{i}" for i in range(501)]},
    )
    assert too_many.status_code == 400


def test_bulk_rerun_only_reruns_failed_jobs_whose_upload_is_stored(
    client: Client, redis: Redis, redis_url: str
) -> None:
    alice = tokens.create(redis, "alice")
    failed = [upload(client, alice, SCANNED_PDF, f"scan{i}.pdf", num_questions="4") for i in range(2)]
    assert run_burst(examgen_env(redis_url), n=1).returncode == 0
    assert all(Job.fetch(j, connection=redis).get_status() == "failed" for j in failed)
    redis.set(keys.upload(failed[0]), SMALL_PDF)  # as if its upload were still stored
    csrf = page_csrf(client)
    confirm = client.post("/dashboard/jobs/bulk", data={"csrf": csrf, "action": "rerun", "status": "failed"})
    assert confirm.status_code == 200 and "Re-run 2 jobs?" in confirm.text and "gone: skipped" in confirm.text
    ids = re.findall(r'name="job" value="([^"]+)"', confirm.text)
    done = client.post(
        "/dashboard/jobs/bulk",
        data={"csrf": csrf, "action": "rerun", "status": "failed", "confirm": "yes", "job": ids},
    )
    assert '<span data-outcome="done">1</span>' in done.text and '<span data-outcome="no-upload">1</span>' in done.text
    new_id = Job.fetch(failed[0], connection=redis).meta["rerun_as"]
    new = Job.fetch(new_id, connection=redis)
    assert new.meta["owner"] == "alice" and new.args[0]["num_questions"] == 4
    assert "rerun_as" not in Job.fetch(failed[1], connection=redis).meta
