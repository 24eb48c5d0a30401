"""Uploads in a blob store (EXAMGEN_STORAGE_URL): the filesystem and a real S3 API server.

The S3 server is moto's standalone server started by the suite on 127.0.0.1; the filesystem store
writes to a temporary directory. Faults are real too: a stopped server, a missing directory, a
Redis that refuses writes.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from litestar.testing import TestClient
from redis import Redis
from rq.job import Job

from examgen.app import create_app
from examgen.core import keys, storage
from examgen.core.settings import get_settings
from examgen.core.storage import sweep
from examgen.core.storage.files import TMP_PREFIX
from examgen.services import tokens
from examgen.services.jobs import submit
from examgen.services.tokens import Caller
from examgen.testing import S3Server, free_port
from tests.support import PDFS, examgen_env, run_burst

pytestmark = pytest.mark.procs

SMALL_PDF = (PDFS / "water-cycle-handout.pdf").read_bytes()
OPTIONS = {"num_questions": 3, "types": ["mcq"]}


@pytest.fixture(scope="module")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    server = S3Server(tmp_path_factory.mktemp("s3") / "moto.log")
    server.start()
    yield server
    server.stop()


def _use(monkeypatch: pytest.MonkeyPatch, url: str, env: dict[str, str] | None = None) -> storage.BlobStore:
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("EXAMGEN_STORAGE_URL", url)
    get_settings.cache_clear()
    storage.reset()
    return storage.store_for(Redis())  # the connection is used only by the redis store


@pytest.fixture
def s3_url(s3_server: S3Server, redis_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    bucket = f"exams-{uuid.uuid4().hex[:8]}"
    boto3.session.Session().client("s3", **_client_args(s3_server)).create_bucket(Bucket=bucket)
    url = f"s3://{bucket}/site-a"
    _use(monkeypatch, url, s3_server.env())
    yield url
    storage.reset()


def _client_args(server: S3Server) -> dict[str, str]:
    env = server.env()
    return {
        "endpoint_url": env["AWS_ENDPOINT_URL"],
        "aws_access_key_id": env["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": env["AWS_SECRET_ACCESS_KEY"],
        "region_name": env["AWS_DEFAULT_REGION"],
    }


@pytest.fixture
def file_url(tmp_path: Path, redis_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    root = tmp_path / "store"
    root.mkdir()
    url = f"file://{root}"
    _use(monkeypatch, url)
    yield url
    storage.reset()


@pytest.fixture(params=["file", "s3"])
def store_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"{request.param}_url"))


def _post(token: str) -> Any:
    with TestClient(app=create_app()) as client:
        return client.post(
            "/generate",
            files={"file": ("notes.pdf", SMALL_PDF, "application/pdf")},
            headers={"Authorization": f"Bearer {token}"},
        )


def _store(redis: Redis) -> storage.BlobStore:
    return storage.store_for(redis)


def test_store_keeps_gets_and_deletes_and_walks_in_bounded_bites(store_url: str, redis: Redis) -> None:
    store = _store(redis)
    names = [str(uuid.uuid4()) for _ in range(7)]
    for name in names:
        store.put(name, name.encode())
    assert store.get(names[0]) == names[0].encode() and store.exists(names[0])
    store.delete(names[0])
    assert store.get(names[0]) is None and not store.exists(names[0])
    seen: list[str] = []
    for _ in range(6):  # bites of 2 walk through all six, then start over
        bite = store.older_than(0, 2)
        assert len(bite) <= 2
        seen += bite
    assert set(seen) == set(names[1:])
    assert store.older_than(3600, 100) == []  # all younger than an hour


def test_file_store_writes_atomically_and_sweeps_torn_writes(file_url: str, redis: Redis) -> None:
    store = _store(redis)
    folder = Path(file_url.removeprefix("file://")) / "uploads"
    store.put("job-1", b"%PDF-1.4 whole")
    assert sorted(os.listdir(folder)) == ["job-1"]  # no temporary file stays behind
    torn = folder / f"{TMP_PREFIX}crashed"
    torn.write_bytes(b"%PDF-half")
    os.utime(torn, (1, 1))
    assert store.older_than(60, 100) == []
    assert not torn.exists()
    with pytest.raises(ValueError):
        store.put("../escape", b"x")


def test_upload_lives_in_the_store_and_redis_keeps_only_the_job(store_url: str, redis: Redis) -> None:
    token = tokens.create(redis, "alice")
    response = _post(token)
    assert response.status_code == 202, response.text
    job_id = response.json()["job_id"]
    assert redis.exists(keys.upload(job_id)) == 0
    assert _store(redis).get(job_id) == SMALL_PDF
    assert Job.fetch(job_id, connection=redis).meta["storage"] == store_url.split(":")[0]


def _bytes_per_waiting_job(redis: Redis, jobs: int, size: int) -> float:
    data = b"%PDF-1.4\n" + os.urandom(size)
    caller = Caller("meter", False)
    redis.memory_purge()
    before = int(redis.info("memory")["used_memory"])
    for _ in range(jobs):
        submit(redis, caller, data, "big.pdf", OPTIONS)
    redis.memory_purge()
    return (int(redis.info("memory")["used_memory"]) - before) / jobs


def test_redis_holds_under_4_kb_per_waiting_job_with_an_external_store(
    s3_url: str, redis: Redis, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EXAMGEN_MAX_QUEUED_PER_TOKEN", "1000")
    get_settings.cache_clear()
    external = _bytes_per_waiting_job(redis, 50, 2**20)
    _use(monkeypatch, "redis")
    redis.flushall()
    inside = _bytes_per_waiting_job(redis, 10, 2**20)
    with capsys.disabled():
        print(f"\nRedis bytes per waiting 1 MiB job: redis store {inside:,.0f}, s3 store {external:,.0f}")
    assert external <= 4096
    assert inside > 2**20  # the measurement sees the upload when it is in Redis


@pytest.mark.parametrize("kind", ["file", "s3"])
def test_store_down_at_upload_is_a_503_and_no_job(
    kind: str, redis_url: str, redis: Redis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if kind == "file":
        _use(monkeypatch, f"file://{tmp_path}/not-mounted")
    else:
        dead = {"AWS_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}", "AWS_EC2_METADATA_DISABLED": "true"}
        _use(monkeypatch, "s3://exams/x", {**dead, "AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s"})
    token = tokens.create(redis, "alice")
    response = _post(token)
    assert response.status_code == 503, response.text
    assert set(response.json()) == {"status_code", "detail"} and "upload store" in response.json()["detail"]
    assert int(response.headers["Retry-After"]) > 0
    assert redis.llen(keys.queue) == 0 and redis.zcard(keys.all_jobs) == 0


def test_an_enqueue_that_fails_deletes_its_stored_upload(store_url: str, redis: Redis) -> None:
    token = tokens.create(redis, "alice")
    redis.config_set("maxmemory", 1)  # the suite's own server: every write is refused (OOM)
    try:
        response = _post(token)
    finally:
        redis.config_set("maxmemory", 0)
    assert response.status_code == 503, response.text
    assert _store(redis).older_than(0, 100) == []  # nothing left in the store


def test_sweeper_deletes_only_uploads_without_a_live_job_in_bounded_rounds(store_url: str, redis: Redis) -> None:
    store = _store(redis)
    caller = Caller("alice", False)
    waiting = submit(redis, caller, SMALL_PDF, "a.pdf", OPTIONS)["job_id"]
    ended = submit(redis, caller, SMALL_PDF, "b.pdf", OPTIONS)["job_id"]
    Job.fetch(ended, connection=redis).cancel()
    orphans = [str(uuid.uuid4()) for _ in range(5)]  # enqueues that failed after the write
    for name in orphans:
        store.put(name, SMALL_PDF)
    assert sweep.sweep(redis, store, grace_s=3600) == []  # all within the grace period
    swept: list[str] = []
    for _ in range(6):
        bite = sweep.sweep(redis, store, grace_s=0, limit=3)
        assert len(bite) <= 3
        swept += bite
    assert set(swept) == {*orphans, ended}
    assert store.get(waiting) == SMALL_PDF


def _worker_env(redis_url: str, url: str, extra: dict[str, str]) -> dict[str, str]:
    return examgen_env(redis_url, EXAMGEN_STORAGE_URL=url, **extra)


def test_a_job_reads_its_upload_from_the_store_and_deletes_it_when_done(
    s3_url: str, s3_server: S3Server, redis_url: str, redis: Redis
) -> None:
    job_id = submit(redis, Caller("alice", False), SMALL_PDF, "a.pdf", OPTIONS)["job_id"]
    result = run_burst(_worker_env(redis_url, s3_url, s3_server.env()), n=1)
    assert result.returncode == 0, result.stderr
    job = Job.fetch(job_id, connection=redis)
    assert job.get_status() == "finished", job.meta
    assert redis.exists(keys.exam(job_id)) and _store(redis).get(job_id) is None


@pytest.mark.parametrize("kind", ["file", "s3"])
def test_store_down_at_job_start_fails_the_job_with_a_sentence(
    kind: str, request: pytest.FixtureRequest, redis_url: str, redis: Redis, tmp_path: Path
) -> None:
    url = str(request.getfixturevalue(f"{kind}_url"))
    job_id = submit(redis, Caller("alice", False), SMALL_PDF, "a.pdf", OPTIONS)["job_id"]
    if kind == "file":
        extra: dict[str, str] = {}
        os.rename(url.removeprefix("file://"), tmp_path / "unmounted")
    else:
        extra = {"AWS_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}", "AWS_EC2_METADATA_DISABLED": "true"}
        extra |= {"AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s", "AWS_DEFAULT_REGION": "us-east-1"}
    result = run_burst(_worker_env(redis_url, url, extra), n=1)
    assert result.returncode == 0, result.stderr
    job = Job.fetch(job_id, connection=redis)
    assert job.get_status() == "failed"
    assert "upload store could not be reached" in job.meta["error"]
