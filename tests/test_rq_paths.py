"""rq-dashboard's "requeue all" answers GET too: no spelling of its path may reach it by GET.

Sent over a raw socket to a real `examgen web`, because HTTP clients (httpx included) resolve dot
segments before sending, and an attacker's link need not.
"""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest
from redis import Redis
from rq import Queue

from examgen.core import keys
from examgen.core.enqueue import enqueue
from examgen.services import tokens
from examgen.worker import recovery
from tests.support import examgen_env, start_web
from tests.test_dashboard_auth import form_csrf

# Starts examgen processes or servers: in `make test`, not in `make test-fast`.
pytestmark = pytest.mark.procs

VARIANTS = (
    "/rq/requeue/examgen",
    "/rq//requeue/examgen",
    "/rq/requeue//examgen",
    "/rq/./requeue/examgen",
    "/rq/0/../requeue/examgen",
    "/rq/%2Frequeue/examgen",
    "/rq/%2frequeue%2fexamgen",
    "/rq/%72equeue/examgen",
    "/rq/REQUEUE/examgen",
    "/RQ/requeue/examgen",
    "/rq/requeue/examgen/",
    "/rq/.//./requeue/./examgen",
)


def raw_get(port: int, path: str, cookie: str) -> int:
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request.encode())
        head = sock.recv(64)
    return int(head.split(b" ", 2)[1])


def test_no_spelling_of_requeue_all_works_by_get(redis_url: str, redis: Redis, tmp_path: Path) -> None:
    queue = Queue(keys.QUEUE_NAME, connection=redis)
    job = enqueue(redis, "tests.testjobs.tracked", args=(0.1, "failed")).job
    redis.lrem(keys.queue, 0, job.id)
    redis.set(keys.recovery_token(job.id), "parked")  # as slots.reap leaves a job it took over
    assert recovery.fail(redis, job, queue, "parked", "failed for the test")
    assert queue.failed_job_registry.count == 1
    web, base = start_web(examgen_env(redis_url), tmp_path)
    try:
        admin = tokens.create(redis, "root", admin=True)
        with httpx.Client(base_url=base, timeout=10) as client:
            page = client.get("/dashboard/login")
            client.post("/dashboard/login", data={"csrf": form_csrf(page.text), "token": admin})
            session = client.cookies["examgen_session"]
            assert client.get("/rq/").status_code == 200
        port = int(base.rsplit(":", 1)[1])
        answers = {path: raw_get(port, path, f"examgen_session={session}") for path in VARIANTS}
        assert all(status != 200 for status in answers.values()), answers
        assert answers["/rq/requeue/examgen"] == 405 and answers["/rq/%2Frequeue/examgen"] == 405
        assert queue.failed_job_registry.count == 1, answers
        assert job.get_status() == "failed"
        # The normalised path still reaches rq-dashboard's pages.
        assert raw_get(port, "/rq//0/./data/queues.json", f"examgen_session={session}") == 200
    finally:
        web.stop()


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/", "/"), ("//requeue//x", "/requeue/x"), ("/./a/../b/", "/b/"), ("/../../x", "/x"), ("/0/.", "/0/")],
)
def test_normalised(path: str, expected: str) -> None:
    from examgen.dashboard.rq_mount import normalised

    assert normalised(path) == expected
