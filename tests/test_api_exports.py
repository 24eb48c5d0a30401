"""GET /jobs/{id}/exam with the formats that import everywhere, the two copies and the variants,
through Litestar's test client against the suite's real Redis."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import docx
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from redis import Redis
from rq.job import Job, JobStatus

from examgen.app import create_app
from examgen.core import keys
from examgen.generator import FILE_SUFFIXES
from examgen.generator import KEY_MODES as GENERATOR_KEY_MODES
from examgen.generator import PRINTABLE as GENERATOR_PRINTABLE
from examgen.generator.exam import to_builtins
from examgen.services import tokens
from examgen.services.options import EXPORTS, KEY_MODES, PRINTABLE
from tests.support import sample_exam
from tests.test_api import assert_error, auth, upload

Client = TestClient[Litestar]


@pytest.fixture(scope="module")
def exam() -> dict[str, Any]:
    # Every question type, enough questions for three different orders, as the JSON a worker stores.
    return to_builtins(sample_exam())


@pytest.fixture
def client(redis_url: str) -> Iterator[Client]:
    with TestClient(app=create_app()) as test_client:
        yield test_client


def finished(client: Client, redis: Redis, token: str, exam: dict[str, Any], **fields: str) -> str:
    """A job accepted by the API whose exam is stored as a worker stores it."""
    response = upload(client, token, **fields)
    assert response.status_code == 202, response.text
    job_id: str = response.json()["job_id"]
    redis.lrem(keys.queue, 0, job_id)  # no worker runs in this module: the job ends here instead
    Job.fetch(job_id, connection=redis).set_status(JobStatus.FINISHED)
    redis.set(keys.exam(job_id), json.dumps(exam))
    return job_id


def test_the_api_knows_the_generators_formats_and_copies() -> None:
    assert EXPORTS == FILE_SUFFIXES and KEY_MODES == GENERATOR_KEY_MODES and PRINTABLE == GENERATOR_PRINTABLE


def test_qti_and_docx_are_attachments_with_their_media_types(
    client: Client, redis: Redis, exam: dict[str, Any]
) -> None:
    token = tokens.create(redis, "alice")
    job_id = finished(client, redis, token, exam)
    qti = client.get(f"/jobs/{job_id}/exam?format=qti", headers=auth(token))
    assert qti.status_code == 200 and qti.headers["content-type"] == "application/zip"
    assert qti.headers["content-disposition"] == f'attachment; filename="exam-{job_id}.qti.zip"'
    assert "imsmanifest.xml" in zipfile.ZipFile(io.BytesIO(qti.content)).namelist()
    word = client.get(f"/jobs/{job_id}/exam?format=docx", headers=auth(token))
    assert word.headers["content-type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert word.headers["content-disposition"] == f'attachment; filename="exam-{job_id}.docx"'
    assert word.headers["x-content-type-options"] == "nosniff"
    assert docx.Document(io.BytesIO(word.content)).paragraphs[0].text == exam["title"]


def test_aiken_names_the_questions_it_leaves_out(client: Client, redis: Redis, exam: dict[str, Any]) -> None:
    token = tokens.create(redis, "alice")
    job_id = finished(client, redis, token, exam)
    aiken = client.get(f"/jobs/{job_id}/exam?format=aiken", headers=auth(token))
    assert aiken.status_code == 200 and aiken.headers["content-type"] == "text/plain; charset=utf-8"
    others = [q["id"] for q in exam["questions"] if q["type"] != "mcq"]
    assert aiken.headers["examgen-skipped-questions"] == ",".join(others)
    assert aiken.text.count("ANSWER: ") == len(exam["questions"]) - len(others)
    no_mcq = {**exam, "questions": [q for q in exam["questions"] if q["type"] != "mcq"]}
    body = assert_error(
        client.get(f"/jobs/{finished(client, redis, token, no_mcq)}/exam?format=aiken", headers=auth(token)), 422
    )
    assert "multiple-choice" in body["detail"]


def test_student_copy_and_answer_key(client: Client, redis: Redis, exam: dict[str, Any]) -> None:
    token = tokens.create(redis, "alice")
    job_id = finished(client, redis, token, exam)
    student = client.get(f"/jobs/{job_id}/exam?format=html&key=none", headers=auth(token))
    key = client.get(f"/jobs/{job_id}/exam?format=html&key=only", headers=auth(token))
    assert student.status_code == key.status_code == 200
    assert 'class="answer-key"' not in student.text and 'class="exam"' in student.text
    assert 'class="answer-key"' in key.text and 'class="exam"' not in key.text
    assert key.headers["content-disposition"] == f'inline; filename="exam-{job_id}-key-only.html"'
    assert "style-src 'sha256-" in key.headers["content-security-policy"]


def test_variants_each_with_its_own_key(client: Client, redis: Redis, exam: dict[str, Any]) -> None:
    token = tokens.create(redis, "alice")
    job_id = finished(client, redis, token, exam, variants="3")
    versions = {}
    for letter in "ABC":
        response = client.get(f"/jobs/{job_id}/exam?variant={letter}", headers=auth(token))
        assert response.status_code == 200, response.text
        versions[letter] = response.json()
        assert versions[letter]["variant"] == letter
    assert client.get(f"/jobs/{job_id}/exam?variant=B", headers=auth(token)).json() == versions["B"]
    assert len({tuple(q["id"] for q in v["questions"]) for v in versions.values()}) == 3
    assert [q["id"] for q in versions["A"]["questions"]] == [q["id"] for q in exam["questions"]]
    assert client.get(f"/jobs/{job_id}/exam", headers=auth(token)).json() == exam  # no variant asked: as generated
    key_b = client.get(f"/jobs/{job_id}/exam?format=html&key=only&variant=B", headers=auth(token))
    assert "Variant B" in key_b.text
    assert key_b.headers["content-disposition"] == f'inline; filename="exam-{job_id}-B-key-only.html"'
    body = assert_error(client.get(f"/jobs/{job_id}/exam?variant=D", headers=auth(token)), 404)
    assert "no variant D" in body["detail"] and "3" in body["detail"]
    single = finished(client, redis, token, exam)
    assert_error(client.get(f"/jobs/{single}/exam?variant=B", headers=auth(token)), 404)
    assert client.get(f"/jobs/{single}/exam?variant=A", headers=auth(token)).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "format=pdf",
        "format=html&key=all",
        "format=gift&key=only",
        "variant=b",
        "variant=AA",
        "variant=1",
        "variant=%C3%84",
    ],
)
def test_bad_format_key_or_variant_is_422(client: Client, redis: Redis, exam: dict[str, Any], query: str) -> None:
    token = tokens.create(redis, "alice")
    job_id = finished(client, redis, token, exam)
    assert_error(client.get(f"/jobs/{job_id}/exam?{query}", headers=auth(token)), 422)


@pytest.mark.parametrize("variants", ["0", "27", "two", "1.5", "٣"])
def test_bad_variants_field_is_422(client: Client, redis: Redis, variants: str) -> None:
    body = assert_error(upload(client, tokens.create(redis, "alice"), variants=variants), 422)
    assert "variants" in body["detail"]
    assert redis.llen(keys.queue) == 0


def test_variants_field_is_in_the_openapi_document(client: Client) -> None:
    document = client.get("/schema/openapi.json").json()
    form = document["paths"]["/generate"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form["properties"]["variants"]["maximum"] == 26
    names = {p["name"] for p in document["paths"]["/jobs/{job_id}/exam"]["get"]["parameters"]}
    assert {"format", "key", "variant"} <= names
