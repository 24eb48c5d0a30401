"""The HTTP API through Litestar's test client, against the suite's real Redis."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar.testing import TestClient
from redis import Redis

from examgen.app import create_app
from examgen.core import keys
from examgen.services import tokens
from tests.support import PDFS

SMALL_PDF = (PDFS / "water-cycle-handout.pdf").read_bytes()


@pytest.fixture
def client(redis_url: str) -> Iterator[TestClient]:  # type: ignore[type-arg]
    with TestClient(app=create_app()) as test_client:
        yield test_client


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def alice(redis: Redis) -> str:
    return tokens.create(redis, "alice")


@pytest.fixture
def bob(redis: Redis) -> str:
    return tokens.create(redis, "bob")


def upload(client: TestClient, token: str, data: bytes = SMALL_PDF, name: str = "notes.pdf", **fields: str):  # type: ignore[no-untyped-def,type-arg]
    return client.post("/generate", files={"file": (name, data, "application/pdf")}, data=fields, headers=auth(token))


def assert_error(response, status: int) -> dict:  # type: ignore[no-untyped-def,type-arg]
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"status_code", "detail"}
    assert body["status_code"] == status
    assert "Traceback" not in body["detail"] and "examgen:" not in body["detail"]
    return body  # type: ignore[no-any-return]


def test_health_and_readiness(client: TestClient) -> None:  # type: ignore[type-arg]
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/schema/openapi.json").json()["info"]["title"] == "examgen"


def test_upload_is_accepted_with_a_job_view_and_location(client: TestClient, alice: str, redis: Redis) -> None:  # type: ignore[type-arg]
    response = upload(client, alice, num_questions="5", types="mcq,cloze", title="Week 1", language="en")
    assert response.status_code == 202, response.text
    view = response.json()
    assert response.headers["location"] == f"/jobs/{view['job_id']}"
    assert view["status"] == "queued" and view["position"] == 1 and view["progress"] == 0
    assert view["filename"] == "notes.pdf" and view["error"] is None
    assert view["created_at"].endswith("Z") and view["started_at"] is None and view["ended_at"] is None
    assert set(view) >= {
        "job_id",
        "status",
        "position",
        "progress",
        "estimated_wait_time",
        "created_at",
        "started_at",
        "ended_at",
        "filename",
        "error",
    }
    assert redis.get(keys.upload(view["job_id"])) == SMALL_PDF
    again = client.get(f"/jobs/{view['job_id']}", headers=auth(alice)).json()
    assert again == view


def test_missing_or_unknown_token_is_401(client: TestClient) -> None:  # type: ignore[type-arg]
    assert_error(client.post("/generate", files={"file": ("a.pdf", SMALL_PDF)}), 401)
    assert_error(upload(client, "eg_not-a-token"), 401)
    assert_error(client.get("/jobs", headers={"Authorization": "Basic abc"}), 401)


def test_revoked_token_stops_at_once(client: TestClient, redis: Redis, alice: str) -> None:  # type: ignore[type-arg]
    assert client.get("/jobs", headers=auth(alice)).status_code == 200
    assert tokens.revoke(redis, "alice")
    assert_error(client.get("/jobs", headers=auth(alice)), 401)


def test_another_tokens_job_is_404_everywhere(client: TestClient, alice: str, bob: str) -> None:  # type: ignore[type-arg]
    job_id = upload(client, alice).json()["job_id"]
    for response in (
        client.get(f"/jobs/{job_id}", headers=auth(bob)),
        client.delete(f"/jobs/{job_id}", headers=auth(bob)),
        client.get(f"/jobs/{job_id}/exam", headers=auth(bob)),
    ):
        assert_error(response, 404)
    unknown = assert_error(client.get("/jobs/does-not-exist", headers=auth(bob)), 404)
    other = assert_error(client.get(f"/jobs/{job_id}", headers=auth(bob)), 404)
    assert unknown == other  # nothing tells an unknown id from another token's
    assert client.get("/jobs", headers=auth(bob)).json() == []


def test_admin_sees_every_job(client: TestClient, redis: Redis, alice: str) -> None:  # type: ignore[type-arg]
    admin = tokens.create(redis, "root", admin=True)
    job_id = upload(client, alice).json()["job_id"]
    assert client.get(f"/jobs/{job_id}", headers=auth(admin)).status_code == 200
    assert [j["job_id"] for j in client.get("/jobs", headers=auth(admin)).json()] == [job_id]


def test_env_admin_token(client: TestClient, monkeypatch: pytest.MonkeyPatch, alice: str) -> None:  # type: ignore[type-arg]
    from examgen.core.settings import get_settings

    monkeypatch.setenv("EXAMGEN_ADMIN_TOKEN", "s3cret-admin-token-for-tests")
    get_settings.cache_clear()
    job_id = upload(client, alice).json()["job_id"]
    listed = client.get("/jobs", headers=auth("s3cret-admin-token-for-tests")).json()
    assert [j["job_id"] for j in listed] == [job_id]


def test_jobs_are_listed_newest_first(client: TestClient, alice: str) -> None:  # type: ignore[type-arg]
    ids = [upload(client, alice).json()["job_id"] for _ in range(3)]
    listed = client.get("/jobs", headers=auth(alice)).json()
    assert [j["job_id"] for j in listed] == ids[::-1]
    assert [j["position"] for j in listed] == [3, 2, 1]
    assert [j["job_id"] for j in client.get("/jobs?limit=1", headers=auth(alice)).json()] == ids[-1:]


@pytest.mark.parametrize(
    "data",
    [b"", b"hello, I am text", b"<html><body>not a pdf</body></html>", b"PK\x03\x04zipfile" + b"\0" * 100],
)
def test_non_pdf_is_415(client: TestClient, alice: str, redis: Redis, data: bytes) -> None:  # type: ignore[type-arg]
    assert_error(upload(client, alice, data, "fake.pdf"), 415)
    assert redis.llen(keys.queue) == 0


def test_over_the_size_limit_is_413(client: TestClient, alice: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[type-arg]
    from examgen.core.settings import get_settings

    monkeypatch.setenv("EXAMGEN_MAX_UPLOAD_MB", "1")
    get_settings.cache_clear()
    with TestClient(app=create_app()) as small:
        just_over = b"%PDF-1.4\n" + b"0" * (1024 * 1024)
        assert_error(upload(small, alice, just_over), 413)
        far_over = b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024)
        assert_error(upload(small, alice, far_over), 413)
        assert upload(small, alice).status_code == 202


def test_malformed_requests_are_400(client: TestClient, alice: str) -> None:  # type: ignore[type-arg]
    assert_error(client.post("/generate", data={"title": "no file"}, headers=auth(alice)), 400)
    assert_error(
        client.post("/generate", content=b"{}", headers={**auth(alice), "content-type": "application/json"}), 400
    )
    broken = b'--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4 trunc'
    response = client.post(
        "/generate", content=broken, headers={**auth(alice), "content-type": "multipart/form-data; boundary=XYZ"}
    )
    assert_error(response, 400)


@pytest.mark.parametrize(
    "fields",
    [
        {"num_questions": "0"},
        {"num_questions": "101"},
        {"num_questions": "abc"},
        {"types": "mcq,essay"},
        {"types": ","},
        {"language": "fr"},
        {"title": "x" * 201},
    ],
)
def test_invalid_options_are_422(client: TestClient, alice: str, redis: Redis, fields: dict[str, str]) -> None:  # type: ignore[type-arg]
    body = assert_error(upload(client, alice, **fields), 422)
    assert next(iter(fields)) in body["detail"]
    assert redis.llen(keys.queue) == 0


def test_unknown_export_format_is_422(client: TestClient, alice: str) -> None:  # type: ignore[type-arg]
    job_id = upload(client, alice).json()["job_id"]
    assert_error(client.get(f"/jobs/{job_id}/exam?format=pdf", headers=auth(alice)), 422)


def test_exam_is_409_until_the_job_finishes(client: TestClient, alice: str) -> None:  # type: ignore[type-arg]
    job_id = upload(client, alice).json()["job_id"]
    assert_error(client.get(f"/jobs/{job_id}/exam", headers=auth(alice)), 409)


def test_per_token_quota_is_429(client: TestClient, alice: str, bob: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[type-arg]
    from examgen.core.settings import get_settings

    monkeypatch.setenv("EXAMGEN_MAX_QUEUED_PER_TOKEN", "2")
    get_settings.cache_clear()
    assert upload(client, alice).status_code == 202
    first_two = upload(client, alice)
    assert first_two.status_code == 202
    response = upload(client, alice)
    assert_error(response, 429)
    assert int(response.headers["retry-after"]) > 0
    assert upload(client, bob).status_code == 202  # one client cannot starve the others
    client.delete(f"/jobs/{first_two.json()['job_id']}", headers=auth(alice))
    assert upload(client, alice).status_code == 202  # an ended job frees quota


def test_a_refused_submission_leaves_nothing_behind(
    client: TestClient,  # type: ignore[type-arg]
    alice: str,
    redis: Redis,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The quota is checked inside the enqueue's transaction, after RQ's own commands: a 429 must
    take all of them back (no hash, no queue entry, no upload, no index, no count)."""
    from examgen.core.settings import get_settings

    monkeypatch.setenv("EXAMGEN_MAX_QUEUED_PER_TOKEN", "1")
    get_settings.cache_clear()
    assert upload(client, alice).status_code == 202

    def stored() -> list[bytes]:  # the request counter's flush may land at any time: not the job's
        return sorted(k for k in redis.keys("*") if k != keys.http_requests.encode())

    before = stored()
    queued = redis.llen(keys.queue)
    assert_error(upload(client, alice), 429)
    assert stored() == before
    assert redis.llen(keys.queue) == queued
    assert redis.zcard(keys.all_jobs) == 1
    assert redis.scard(keys.owner_open("alice")) == 1


def test_concurrent_submissions_never_overrun_the_quota(redis: Redis, monkeypatch: pytest.MonkeyPatch) -> None:
    """Checked and written in one transaction, the quota holds against submissions racing for it."""
    from concurrent.futures import ThreadPoolExecutor

    from examgen.core.settings import get_settings
    from examgen.services.jobs import QuotaExceeded, submit
    from examgen.services.tokens import Caller

    monkeypatch.setenv("EXAMGEN_MAX_QUEUED_PER_TOKEN", "3")
    get_settings.cache_clear()

    def one(_: int) -> bool:
        try:
            submit(redis, Caller("alice", False), SMALL_PDF, "notes.pdf", {})
        except QuotaExceeded:
            return False
        return True

    with ThreadPoolExecutor(8) as pool:
        accepted = sum(pool.map(one, range(24)))
    assert accepted == 3
    assert redis.scard(keys.owner_open("alice")) == 3
    assert redis.llen(keys.queue) == 3


def test_cancel_a_queued_job(client: TestClient, alice: str, redis: Redis) -> None:  # type: ignore[type-arg]
    first = upload(client, alice).json()["job_id"]
    second = upload(client, alice).json()["job_id"]
    response = client.delete(f"/jobs/{first}", headers=auth(alice))
    assert response.status_code == 200
    assert response.json()["status"] == "canceled"
    assert redis.get(keys.upload(first)) is None
    assert client.get(f"/jobs/{second}", headers=auth(alice)).json()["position"] == 1
    assert_error(client.delete(f"/jobs/{first}", headers=auth(alice)), 409)


def test_filenames_are_reduced_to_a_safe_name(client: TestClient, alice: str) -> None:  # type: ignore[type-arg]
    view = upload(client, alice, name="../../etc/<script>x.pdf").json()
    assert view["filename"] == "<script>x.pdf"  # escaped where shown; never a path


def test_redis_down_is_503_with_retry_after(redis_server, alice: str) -> None:  # type: ignore[no-untyped-def]
    with TestClient(app=create_app()) as client:
        redis_server.stop()
        try:
            response = client.get("/jobs", headers=auth(alice))
            assert_error(response, 503)
            assert response.headers["retry-after"]
            assert client.get("/healthz").status_code == 200
            assert_error(client.get("/readyz"), 503)
        finally:
            redis_server.start()


def test_clean_filename_and_options() -> None:
    from examgen.services.options import clean_filename, parse_options

    assert clean_filename("..\\..\\a\x00b\x1b.pdf") == "ab.pdf"
    assert clean_filename("") == "upload.pdf"
    assert parse_options({"types": "cloze, mcq,cloze", "title": "T\x07itle"}) == {
        "types": ("cloze", "mcq"),
        "title": "Title",
    }


def test_job_listings_forget_jobs_past_their_lifetime(client: TestClient, alice: str, redis: Redis) -> None:  # type: ignore[type-arg]
    redis.zadd(keys.all_jobs, {"long-gone": 1})
    redis.zadd(keys.owner_jobs("alice"), {"long-gone": 1})
    upload(client, alice)
    assert redis.zscore(keys.all_jobs, "long-gone") is None
    assert redis.zscore(keys.owner_jobs("alice"), "long-gone") is None
    assert redis.zcard(keys.owner_jobs("alice")) == 1


def test_queue_status_checks_the_token_in_its_single_read(
    client: TestClient,  # type: ignore[type-arg]
    alice: str,
    redis: Redis,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from examgen.core.settings import get_settings

    upload(client, alice)
    status = client.get("/queue/status", headers=auth(alice)).json()
    assert status["queue_size"] == 1 and status["max_queue_size"] == 1
    assert_error(client.get("/queue/status"), 401)
    assert_error(client.get("/queue/status", headers=auth("eg_unknown")), 401)
    monkeypatch.setenv("EXAMGEN_ADMIN_TOKEN", "env-admin-token-for-status")
    get_settings.cache_clear()
    assert client.get("/queue/status", headers=auth("env-admin-token-for-status")).status_code == 200
    tokens.revoke(redis, "alice")
    assert_error(client.get("/queue/status", headers=auth(alice)), 401)


def test_stats_reset_is_admin_only(client: TestClient, alice: str, redis: Redis) -> None:  # type: ignore[type-arg]
    upload(client, alice)
    assert_error(client.post("/queue/stats/reset"), 401)
    assert_error(client.post("/queue/stats/reset", headers=auth(alice)), 403)
    admin = tokens.create(redis, "root", admin=True)
    reset = client.post("/queue/stats/reset", headers=auth(admin))
    assert reset.status_code == 200 and reset.json()["stats_reset_at"]
    assert reset.json()["max_queue_size"] == 1  # marks restart from the current levels
