"""The webhook sender in-process (worker.webhooks.deliver) against the suite's Redis and real
receivers on 127.0.0.1: the end it sends, its total deadline, the errors it records."""

from __future__ import annotations

import json
import socket
import threading
import time
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
from tests.support import wait_until

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


class Trickler:
    """A raw socket server that reads a request, then sends its answer's status line one byte
    every 0.3 s: each read comes within httpx's 1 s read timeout, so only a total deadline ends
    the attempt. After TRICKLE_S it answers the rest at once (200), so a sender without a total
    deadline reports a delivery instead of hanging the test."""

    TRICKLE_S = 12

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/hook"
        self.accepted = 0
        self.dropped = threading.Event()  # the sender closed the connection mid-answer
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            status = b"HTTP/1.1 200 OK\r\n"
            padding = b"X-Slow: " + b"a" * 1000
            started = time.monotonic()
            try:
                for byte in status + padding:
                    if time.monotonic() - started > self.TRICKLE_S:
                        break
                    conn.sendall(bytes([byte]))
                    time.sleep(0.3)
                conn.sendall(b"\r\nContent-Length: 0\r\n\r\n")
                conn.settimeout(self.TRICKLE_S)
                if conn.recv(1) == b"":
                    self.dropped.set()
            except OSError:
                self.dropped.set()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def sender_env(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Small settings: a 1 s timeout per phase, so an attempt's whole deadline is a few seconds.
    for name, value in {
        "EXAMGEN_CALLBACK_ALLOW": "127.0.0.1,hooks.examgen-test.invalid," + "a" * 64 + ".invalid",
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


def test_a_receiver_trickling_its_answer_is_cut_off_at_the_attempts_deadline(redis: Redis, sender_env: None) -> None:
    trickler = Trickler()
    try:
        claimed = ended(redis, trickler.url)
        assert webhooks.deliver(redis, claimed) == deliveries.PENDING
        state = shown(redis, claimed.job_id)
        [attempt] = state.attempts
        assert attempt["status_code"] is None and "deadline" in attempt["error"]
        assert state.state == deliveries.PENDING and state.next_ms is not None
        assert redis.hget(keys.delivery(claimed.job_id), "tries") == b"1"
        assert trickler.accepted == 1 and trickler.dropped.wait(10)  # the connection is closed, not left
    finally:
        trickler.close()


def test_a_host_that_does_not_resolve_now_is_retried_not_refused(redis: Redis, sender_env: None) -> None:
    claimed = ended(redis, "http://hooks.examgen-test.invalid/hook")  # allowed by name; no DNS answer
    assert webhooks.deliver(redis, claimed) == deliveries.PENDING
    state = shown(redis, claimed.job_id)
    [attempt] = state.attempts
    assert attempt["status_code"] is None and "does not resolve now" in attempt["error"]
    assert state.state == deliveries.PENDING and state.next_ms is not None
    assert redis.hget(keys.delivery(claimed.job_id), "tries") == b"1"


def test_a_job_whose_view_cannot_be_built_is_counted_retried_and_given_up(redis: Redis, receiver: Receiver) -> None:
    job = submitted(redis, receiver.url)
    job.meta["progress"] = "half"  # a meta the view cannot read: int("half")
    job.save_meta()
    job.set_status(JobStatus.FAILED)
    deliveries.make_due(redis, job.id)
    states = []
    for _ in range(get_settings().callback.attempts):
        redis.zadd(keys.deliveries, {job.id: 0})  # due now, whatever its backoff
        claimed = deliveries.claim(redis, 30)
        assert claimed is not None
        states.append(webhooks.deliver(redis, claimed))
    assert states == [deliveries.PENDING, deliveries.PENDING, deliveries.FAILED]
    state = shown(redis, job.id)
    assert [a["error"] for a in state.attempts] == ["internal error (ValueError)"] * 3
    assert redis.zscore(keys.deliveries, job.id) is None and receiver.bodies == []


def test_a_host_idna_cannot_encode_is_counted_as_a_failed_attempt(redis: Redis, sender_env: None) -> None:
    host = "a" * 64 + ".invalid"  # a label over 63 characters: getaddrinfo raises UnicodeError
    claimed = ended(redis, f"http://{host}/hook")
    assert webhooks.deliver(redis, claimed) == deliveries.PENDING
    [attempt] = shown(redis, claimed.job_id).attempts
    assert attempt["error"] == "internal error (UnicodeError)"


def test_a_sender_thread_stuck_on_a_trickling_receiver_holds_back_no_other(redis: Redis, receiver: Receiver) -> None:
    trickler = Trickler()
    try:
        stuck = ended(redis, trickler.url)
        results: list[str] = []
        thread = threading.Thread(target=lambda: results.append(webhooks.deliver(redis, stuck)), daemon=True)
        thread.start()
        wait_until(lambda: trickler.accepted, 10, what="the stuck attempt to connect")
        other = ended(redis, receiver.url)
        assert webhooks.deliver(redis, other) == deliveries.DELIVERED
        assert results == [] and thread.is_alive()  # delivered while the other was still stuck
        thread.join(get_settings().callback.claim_s)
        assert results == [deliveries.PENDING]  # and the stuck one ended by its deadline
    finally:
        trickler.close()


def test_the_sender_stops_on_sigterm_also_when_it_comes_twice(redis_url: str, tmp_path: Any) -> None:
    """SIGTERM ends the sender within a few seconds, also when it comes twice, as it does in a pool
    (the pool forwards one, and honcho, systemd or a PaaS signal the whole group). Its handler once
    called Event.set: the second signal could run it while the main thread, woken by the first,
    held that Event's lock, a deadlock that ended with the SIGKILL of the process manager."""
    import os
    import random
    import signal
    import subprocess
    import sys

    env = {**os.environ, "REDIS_URL": redis_url}
    code = "from examgen.worker import webhooks; raise SystemExit(webhooks.serve())"
    for _ in range(10):
        sender = subprocess.Popen([sys.executable, "-c", code], env=env)
        try:
            time.sleep(random.uniform(1.0, 1.6))  # past its start-up, somewhere in its loop
            sender.send_signal(signal.SIGTERM)
            time.sleep(random.uniform(0, 0.002))
            sender.send_signal(signal.SIGTERM)
            assert sender.wait(timeout=10) == 0
        finally:
            if sender.poll() is None:
                sender.kill()
                sender.wait()
