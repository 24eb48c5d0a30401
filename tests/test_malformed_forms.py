"""Malformed multipart bodies: a 400 with the JSON error shape (the dashboard: its own page), never a 500."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from redis import Redis

from examgen.app import create_app
from examgen.core.enqueue import enqueue
from examgen.services import tokens
from tests.support import PDFS
from tests.test_api import assert_error, auth
from tests.test_dashboard_auth import login, page_csrf

Client = TestClient[Litestar]
BOUNDARY = "examgenboundary"
PDF = (PDFS / "water-cycle-handout.pdf").read_bytes()
NOT_UTF8 = b"\xff\xfe\xc3\x28 caf\xe9"

# Each case is the raw head of one part and its body: what a hand-written or hostile client sends.
PARTS = {
    'file part with filename=""': (b'Content-Disposition: form-data; name="file"; filename=""', PDF),
    "text field not UTF-8": (b'Content-Disposition: form-data; name="title"', NOT_UTF8),
    "unknown charset": (
        b'Content-Disposition: form-data; name="title"\r\nContent-Type: text/plain; charset=no-such-charset',
        b"Week 1",
    ),
    "only filename*=": (b"Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''notes.pdf", PDF),
}


def multipart(*parts: tuple[bytes, bytes]) -> bytes:
    body = b"".join(b"--" + BOUNDARY.encode() + b"\r\n" + head + b"\r\n\r\n" + data + b"\r\n" for head, data in parts)
    return body + b"--" + BOUNDARY.encode() + b"--\r\n"


def post(client: Client, path: str, body: bytes, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    content_type = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    return client.post(path, content=body, headers={**content_type, **(headers or {})}, follow_redirects=False)


@pytest.fixture
def client(redis_url: str) -> Iterator[Client]:
    with TestClient(app=create_app()) as test_client:
        yield test_client


@pytest.mark.parametrize("case", list(PARTS))
def test_generate_answers_400_json(client: Client, redis: Redis, case: str, caplog: pytest.LogCaptureFixture) -> None:
    token = tokens.create(redis, "alice")
    body = multipart(PARTS[case], (b'Content-Disposition: form-data; name="num_questions"', b"5"))
    assert_error(post(client, "/generate", body, auth(token)), 400)
    assert "Traceback" not in caplog.text and "unhandled error" not in caplog.text


@pytest.mark.parametrize("case", list(PARTS))
def test_dashboard_login_answers_its_400_page(client: Client, case: str, caplog: pytest.LogCaptureFixture) -> None:
    response = post(client, "/dashboard/login", multipart(PARTS[case]))
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "could not be read" in response.text and "Traceback" not in response.text
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert "unhandled error" not in caplog.text


@pytest.mark.parametrize("case", list(PARTS))
def test_rerun_form_answers_its_400_page(client: Client, redis: Redis, case: str) -> None:
    job = enqueue(redis, "examgen.worker.task.make_exam", args=({},)).job
    login(client, tokens.create(redis, "root", admin=True))
    body = multipart((b'Content-Disposition: form-data; name="csrf"', page_csrf(client).encode()), PARTS[case])
    response = post(client, f"/dashboard/jobs/{job.id}/rerun", body)
    assert response.status_code == 400, response.text
    assert "could not be read" in response.text


def test_too_many_parts_says_so(client: Client, redis: Redis) -> None:
    token = tokens.create(redis, "alice")
    body = multipart(*[(b'Content-Disposition: form-data; name="x"', b"1")] * 1001)
    detail = assert_error(post(client, "/generate", body, auth(token)), 400)["detail"]
    assert "too many parts" in detail and "1000" in detail
    page = post(client, "/dashboard/login", body)
    assert page.status_code == 400 and "too many parts" in page.text
