"""Guarantee 2 beyond workers: timeouts, Redis outages and restarts, full memory, web restarts."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import httpx
import pytest
from redis import Redis
from rq.job import Job

from examgen.core import keys, stats
from examgen.core.enqueue import enqueue
from examgen.services import tokens
from tests import testjobs
from tests.support import PDFS, RedisServer, examgen_env, start_pool, start_web, wait_until

# Starts examgen processes or servers: in `make test`, not in `make test-fast`.
pytestmark = pytest.mark.procs

SMALL_PDF = (PDFS / "water-cycle-handout.pdf").read_bytes()


def status_of(redis: Redis, job_id: str) -> str:
    return Job.fetch(job_id, connection=redis).get_status().value


def post_pdf(base: str, token: str, data: bytes = SMALL_PDF) -> httpx.Response:
    return httpx.post(
        f"{base}/generate",
        files={"file": ("notes.pdf", data, "application/pdf")},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )


def test_a_job_over_the_timeout_fails_with_a_sentence_and_frees_its_slot(
    redis: Redis, redis_url: str, tmp: Path
) -> None:
    pool = start_pool(examgen_env(redis_url, MAX_CONCURRENT_JOBS="1", EXAMGEN_JOB_TIMEOUT="2"), tmp, 1)
    try:
        # The limit travels with the job: it is set where jobs are enqueued (the web process).
        slow = enqueue(redis, "tests.testjobs.tracked", args=(30.0, "slow"), timeout_s=2)[0]
        quick = enqueue(redis, "tests.testjobs.tracked", args=(0.1, "quick"))[0]
        wait_until(lambda: status_of(redis, quick.id) == "finished", 60, what="the next job")
        assert status_of(redis, slow.id) == "failed"
        error = Job.fetch(slow.id, connection=redis).meta["error"]
        assert "longer than the limit of 2 s" in error
        # RQ marks the job finished a moment before the worker's release script counts its end.
        now = wait_until(lambda: (s := stats.read_status(redis, keys.queue, 1)).total_processed == 2 and s, 10)
        assert (now.processing, now.total_failed, now.total_processed) == (0, 1, 2)
    finally:
        pool.stop()


def test_sigkill_of_the_pool_process_alone(redis: Redis, redis_url: str, tmp: Path) -> None:
    env = examgen_env(redis_url, MAX_CONCURRENT_JOBS="1", EXAMGEN_LEASE_TTL="6")
    pool = start_pool(env, tmp, 1)
    replacement = None
    try:
        job = enqueue(redis, "tests.testjobs.tracked", args=(3.0, "p"))[0]
        wait_until(lambda: redis.llen(testjobs.EVENTS), 30, what="the job to start")
        pool.popen.send_signal(signal.SIGKILL)  # its workers and their horses must follow it
        replacement = start_pool(env, tmp, 1)
        wait_until(lambda: status_of(redis, job.id) == "finished", 60, what="the job to run again")
        assert [e.split()[0] for e in map(bytes.decode, redis.lrange(testjobs.EVENTS, 0, -1))].count("end") == 1
    finally:
        pool.stop()
        if replacement:
            replacement.stop()


def test_redis_restart_with_aof_loses_nothing_and_everything_resumes(tmp: Path) -> None:
    server = RedisServer(tmp / "aof", appendonly=True)
    server.start()
    env = examgen_env(server.url, MAX_CONCURRENT_JOBS="2")
    redis = Redis.from_url(server.url)
    token = tokens.create(redis, "faults")
    web, base = start_web(env, tmp)
    pool = start_pool(env, tmp, 2)
    auth = {"Authorization": f"Bearer {token}"}
    try:
        first = post_pdf(base, token).json()["job_id"]
        wait_until(lambda: httpx.get(f"{base}/jobs/{first}", headers=auth).json()["status"] == "finished", 120)
        exam_before = httpx.get(f"{base}/jobs/{first}/exam", headers=auth).json()

        server.stop()
        started = time.monotonic()
        down = httpx.get(f"{base}/jobs/{first}", headers=auth, timeout=30)
        assert down.status_code == 503 and down.headers["retry-after"]
        assert time.monotonic() - started < 10  # an answer, never a hang
        assert httpx.get(f"{base}/healthz").status_code == 200
        assert httpx.get(f"{base}/readyz").status_code == 503
        time.sleep(3)  # workers are now retrying their connection
        server.start()

        assert httpx.get(f"{base}/jobs/{first}/exam", headers=auth).json() == exam_before
        second = wait_until(lambda: post_pdf(base, token).json().get("job_id"), 30, interval_s=1)
        wait_until(lambda: httpx.get(f"{base}/jobs/{second}", headers=auth).json()["status"] == "finished", 120)
        # RQ marks the job finished a moment before the worker's release script counts its end.
        wait_until(lambda: stats.read_status(redis, keys.queue, 2).total_processed == 2, 10, what="the end counted")
    finally:
        pool.stop()
        web.stop()
        server.stop()


def test_full_redis_memory_is_a_clear_503_and_evicts_nothing(tmp: Path) -> None:
    server = RedisServer(tmp / "full", extra=["--maxmemory", "4mb", "--maxmemory-policy", "noeviction"])
    server.start()
    redis = Redis.from_url(server.url)
    token = tokens.create(redis, "filler")
    web, base = start_web(examgen_env(server.url), tmp)
    try:
        accepted = []
        padded = SMALL_PDF + b"%" + b"x" * 700_000  # still a PDF; trailing comment bytes
        for _ in range(20):
            response = post_pdf(base, token, padded)
            if response.status_code != 202:
                break
            accepted.append(response.json()["job_id"])
        assert accepted, "the first upload should fit"
        assert response.status_code == 503
        assert "storage full" in response.json()["detail"].lower()
        assert all(redis.exists(keys.upload(job_id)) for job_id in accepted)
        assert redis.llen(keys.queue) == len(accepted)
        assert httpx.get(f"{base}/healthz").status_code == 200
    finally:
        web.stop()
        server.stop()


def test_a_web_restart_loses_nothing(redis: Redis, redis_url: str, tmp: Path) -> None:
    token = tokens.create(redis, "restart")
    env = examgen_env(redis_url)
    web, base = start_web(env, tmp)
    job_id = post_pdf(base, token).json()["job_id"]
    web.signal_group(signal.SIGKILL)
    web.stop()
    web, base = start_web(env, tmp)
    pool = start_pool(env, tmp, 1)
    auth = {"Authorization": f"Bearer {token}"}
    try:
        assert httpx.get(f"{base}/jobs/{job_id}", headers=auth).json()["status"] in ("queued", "started", "finished")
        wait_until(lambda: httpx.get(f"{base}/jobs/{job_id}", headers=auth).json()["status"] == "finished", 120)
        assert redis.get(keys.upload(job_id)) is None  # the upload is deleted once its job ends
    finally:
        pool.stop()
        web.stop()


@pytest.mark.parametrize("header_kb", [64])
def test_huge_headers_are_refused_not_crashed(redis_url: str, tmp: Path, header_kb: int) -> None:
    web, base = start_web(examgen_env(redis_url), tmp)
    try:
        try:
            response = httpx.get(f"{base}/jobs", headers={"X-Huge": "a" * header_kb * 1024}, timeout=10)
            assert response.status_code in (400, 401, 431)
        except httpx.RemoteProtocolError:
            pass  # the server may close the connection on an oversize header, which is fine
        assert httpx.get(f"{base}/healthz").status_code == 200
    finally:
        web.stop()


def test_an_oversize_upload_is_refused_before_its_body_is_read(redis: Redis, redis_url: str, tmp: Path) -> None:
    import socket

    token = tokens.create(redis, "big")
    web, base = start_web(examgen_env(redis_url, EXAMGEN_MAX_UPLOAD_MB="1"), tmp)
    port = int(base.rsplit(":", 1)[1])
    try:
        for framing in ("Content-Length: 209715200", "Transfer-Encoding: chunked"):
            with socket.create_connection(("127.0.0.1", port), timeout=20) as conn:
                head = (
                    f"POST /generate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
                    f"Content-Type: multipart/form-data; boundary=B\r\n{framing}\r\n\r\n"
                )
                conn.sendall(head.encode())
                part = b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4\n'
                sent = 0
                conn.settimeout(0.2)
                answer = b""
                # Send at most 3 MB (the announced body is 200 MB): the answer must come first.
                while sent < 3 * 1024 * 1024 and not answer:
                    chunk = part if sent == 0 else b"0" * 65536
                    data = b"%x\r\n%s\r\n" % (len(chunk), chunk) if "chunked" in framing else chunk
                    try:
                        conn.sendall(data)
                        sent += len(chunk)
                        answer = conn.recv(4096)
                    except (TimeoutError, BlockingIOError):
                        continue
                    except (BrokenPipeError, ConnectionResetError):
                        conn.settimeout(5)
                        answer = conn.recv(4096)
                assert answer.startswith(b"HTTP/1.1 413"), (framing, answer[:100])
        assert redis.llen(keys.queue) == 0
    finally:
        web.stop()
