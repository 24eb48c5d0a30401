"""Smaller HTTP edges: repeated credentials, look-alike digits, and the exam download's headers."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from redis import Redis
from rq.job import Job, JobStatus

from examgen.app import create_app
from examgen.core import keys
from examgen.services import tokens
from tests.test_api import assert_error, auth, upload

Client = TestClient[Litestar]
EXAM = {
    "title": "<script>alert(1)</script>",
    "language": "en",
    "generator": "builtin",
    "source": {"filename": "notes.pdf", "pages": 1, "sha256": "0" * 64},
    "questions": [
        {
            "id": "q1",
            "type": "mcq",
            "prompt": "Water is _____.",
            "options": ["wet", "dry"],
            "answer": "wet",
            "source_page": 1,
            "source_text": "Water is wet.",
        },
    ],
}


@pytest.fixture
def client(redis_url: str) -> Iterator[Client]:
    with TestClient(app=create_app()) as test_client:
        yield test_client


def test_two_authorization_headers_are_400(client: Client, redis: Redis) -> None:
    alice, bob = tokens.create(redis, "alice"), tokens.create(redis, "bob")
    headers = [("Authorization", f"Bearer {alice}"), ("Authorization", f"Bearer {bob}")]
    body = assert_error(client.get("/jobs", headers=headers), 400)
    assert "one Authorization header" in body["detail"]
    assert client.get("/jobs", headers=auth(alice)).status_code == 200


@pytest.mark.parametrize("digits", ["٣", "１０", "۵", "३"])
def test_num_questions_in_other_scripts_is_422(client: Client, redis: Redis, digits: str) -> None:
    body = assert_error(upload(client, tokens.create(redis, "alice"), num_questions=digits), 422)
    assert "num_questions" in body["detail"]
    assert redis.llen(keys.queue) == 0


def finished_job(client: Client, token: str, redis: Redis) -> str:
    job_id: str = upload(client, token).json()["job_id"]
    Job.fetch(job_id, connection=redis).set_status(JobStatus.FINISHED)
    redis.set(keys.exam(job_id), json.dumps(EXAM))
    return job_id


@pytest.mark.parametrize("fmt", ["json", "html", "gift", "moodle"])
def test_exam_download_has_one_charset_and_nosniff(client: Client, redis: Redis, fmt: str) -> None:
    token = tokens.create(redis, "alice")
    response = client.get(f"/jobs/{finished_job(client, token, redis)}/exam?format={fmt}", headers=auth(token))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].count("charset") <= 1, response.headers["content-type"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_html_exam_has_the_dashboards_policy_with_its_own_style_hash(client: Client, redis: Redis) -> None:
    token = tokens.create(redis, "alice")
    response = client.get(f"/jobs/{finished_job(client, token, redis)}/exam?format=html", headers=auth(token))
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    style = re.search(r"<style>(.*?)</style>", response.text, re.DOTALL)
    assert style is not None and "&lt;script&gt;" in response.text
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in policy and "unsafe-inline" not in policy
