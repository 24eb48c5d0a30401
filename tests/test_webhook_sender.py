"""The webhook sender in-process (worker.webhooks.deliver) against the suite's Redis and real
receivers on 127.0.0.1: the end it sends, its total deadline, the errors it records."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from redis import Redis
from rq.job import Job, JobStatus

from examgen.core import deliveries, keys, slots
from examgen.core.enqueue import enqueue, queue_for
from examgen.core.jobstates import MAKE_EXAM
from examgen.core.settings import get_settings
from examgen.services import callbacks
from examgen.worker import webhooks
from examgen.worker.examworker import ExamWorker
from examgen.worker.recovery import requeue_front

# Runs HTTP receivers: in `make test`, not in `make test-fast`.
pytestmark = pytest.mark.procs


class Receiver:
    """Answers every POST 200 and keeps its body."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                receiver.bodies.append(json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0")))))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def sender_env(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Small settings: a 1 s timeout per phase, so an attempt's whole deadline is a few seconds.
    for name, value in {
        "EXAMGEN_CALLBACK_ALLOW": "127.0.0.1,hooks.examgen-test.invalid",
        "EXAMGEN_CALLBACK_TIMEOUT_S": "1",
        "EXAMGEN_CALLBACK_ATTEMPTS": "3",
        "EXAMGEN_CALLBACK_BACKOFF_S": "1",
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def receiver(sender_env: None) -> Iterator[Receiver]:
    made = Receiver()
    yield made
    made.close()


def submitted(redis: Redis, url: str) -> Job:
    callbacks.new_secret(redis, "alice")
    meta = {"owner": "alice", "callback": {"url": url, "attempts": []}}
    return enqueue(redis, MAKE_EXAM, args=({},), meta=meta, owner="alice").job


def ended(redis: Redis, url: str) -> deliveries.Claimed:
    """A job with a callback to `url` that ended; its delivery claimed."""
    job = submitted(redis, url)
    job.set_status(JobStatus.FINISHED)
    assert deliveries.make_due(redis, job.id)
    claimed = deliveries.claim(redis, get_settings().callback.claim_s)
    assert claimed is not None and claimed.job_id == job.id
    return claimed


def shown(redis: Redis, job_id: str) -> deliveries.State:
    with redis.pipeline(transaction=False) as pipe:
        deliveries.read_in(pipe, job_id)
        return deliveries.state_from(pipe.execute())


def test_a_failed_status_set_during_recovery_is_not_sent_and_the_rerun_end_is(redis: Redis, receiver: Receiver) -> None:
    job = submitted(redis, receiver.url)
    queue = queue_for(redis)
    assert slots.claim(redis, keys.queue, 1, 60).job_id == job.id  # ... and its worker stalls
    redis.zadd(keys.leases, {job.id: 0})  # its lease runs out
    [(reaped, recovery)] = slots.reap(redis)
    assert reaped == job.id and redis.zscore(keys.recovering, job.id) is not None
    job.set_status(JobStatus.FAILED)  # RQ's registry cleanup, before examgen's recovery requeues it
    redis.zadd(keys.deliveries, {job.id: 0})  # the periodic check comes round
    assert deliveries.claim(redis, 30) is None
    assert requeue_front(redis, Job.fetch(job.id, connection=redis), queue, recovery)
    worker = ExamWorker([queue], connection=redis, name="rerun-test")
    again = slots.claim(redis, keys.queue, 1, 60)
    assert again.job_id == job.id and again.token
    worker._token = again.token
    rerun = Job.fetch(job.id, connection=redis)
    rerun.set_status(JobStatus.FINISHED)
    assert worker._release(rerun, queue).held
    claimed = deliveries.claim(redis, 30)
    assert claimed is not None and claimed.job_id == job.id and claimed.tries == 0
    assert webhooks.deliver(redis, claimed) == deliveries.DELIVERED
    assert [body["status"] for body in receiver.bodies] == ["finished"]
