"""The webhook sender end to end: a real web process, real worker pools and a real HTTP receiver
on 127.0.0.1 that checks each delivery's signature with the secret `examgen token secret` printed."""

from __future__ import annotations

import json
import signal
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis import Redis

from examgen.services import callbacks, tokens
from tests.support import EXAMGEN, PDFS, ROOT, examgen_env, start_pool, start_web, wait_until

# Starts examgen processes or servers: in `make test`, not in `make test-fast`.
pytestmark = pytest.mark.procs

OWNER = "hooks"
# Small settings, so retries and give-ups happen within a test; claims last 3 x timeout + 10 s.
SENDER_ENV = {"EXAMGEN_CALLBACK_TIMEOUT_S": "2", "EXAMGEN_CALLBACK_ATTEMPTS": "3", "EXAMGEN_CALLBACK_BACKOFF_S": "1"}
HOLD_S = 60  # a held answer waits at most this long: every test ends, whatever happens


class Receiver:
    """Records every POST; /ok answers 200, /flaky 500 to a delivery's first request then 200,
    /redirect 307 to /ok, /slow answers after the sender's timeout, /hold keeps the first request
    open until released."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.release = threading.Event()
        self.in_flight = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    seen = [r for r in receiver.requests if r["delivery"] == self.headers["X-Examgen-Delivery"]]
                    receiver.requests.append(
                        {"path": self.path, "headers": dict(self.headers), "body": body,
                         "delivery": self.headers["X-Examgen-Delivery"]}
                    )  # fmt: skip
                    receiver.in_flight += 1
                try:
                    code = 200
                    if self.path == "/flaky" and not seen:
                        code = 500
                    elif self.path == "/redirect":
                        code = 307
                    elif self.path == "/slow":
                        receiver.release.wait(5)
                    elif self.path == "/hold" and not seen:
                        receiver.release.wait(HOLD_S)
                    self.send_response(code)
                    if code == 307:
                        self.send_header("Location", "/ok")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass  # the sender went away (killed, or timed out)
                finally:
                    with receiver.lock:
                        receiver.in_flight -= 1

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def of(self, job_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return [r for r in self.requests if json.loads(r["body"])["job_id"] == job_id]

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


class Hooks:
    def __init__(self, base: str, token: str, secret: str, env: dict[str, str], tmp: Path, receiver: Receiver):
        self.http = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        self.secret, self.env, self.tmp, self.receiver = secret, env, tmp, receiver
        self.pools: list[Any] = []

    def pool(self, **overrides: str) -> Any:
        pool = start_pool({**self.env, **SENDER_ENV, **overrides}, self.tmp, 1, name=f"pool{len(self.pools)}")
        self.pools.append(pool)
        return pool

    def submit(self, path: str | None, name: str = "water-cycle-handout.pdf") -> str:
        fields = {"num_questions": "3", **({"callback_url": self.receiver.base + path} if path else {})}
        files = {"file": (name, (PDFS / name).read_bytes(), "application/pdf")}
        answer = self.http.post("/generate", files=files, data=fields)
        assert answer.status_code == 202, answer.text
        return str(answer.json()["job_id"])

    def view(self, job_id: str) -> dict[str, Any]:
        return self.http.get(f"/jobs/{job_id}").json()  # type: ignore[no-any-return]

    def callback_in(self, job_id: str, *states: str, timeout_s: float = 90) -> dict[str, Any]:
        def reached() -> dict[str, Any] | None:
            shown = self.view(job_id)
            return shown if shown["callback"]["state"] in states else None

        return wait_until(reached, timeout_s, interval_s=0.2, what=f"callback of {job_id} {states}")  # type: ignore[no-any-return]


@pytest.fixture
def hooks(redis_url: str, redis: Redis, tmp: Path) -> Iterator[Hooks]:
    env = examgen_env(redis_url, MAX_CONCURRENT_JOBS="1", EXAMGEN_CALLBACK_ALLOW="127.0.0.1")
    token = tokens.create(redis, OWNER)
    printed = subprocess.run(
        [EXAMGEN, "token", "secret", OWNER], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    web, base = start_web(env, tmp)
    receiver = Receiver()
    made = Hooks(base, token, printed.stdout.strip().splitlines()[-1], env, tmp, receiver)
    try:
        yield made
    finally:
        receiver.close()
        for pool in made.pools:
            pool.stop()
        web.stop()


def test_a_finished_job_is_delivered_once_signed_with_its_view(hooks: Hooks) -> None:
    hooks.pool()
    job_id = hooks.submit("/ok")
    shown = hooks.callback_in(job_id, "delivered")
    [sent] = hooks.receiver.of(job_id)
    headers = sent["headers"]
    assert callbacks.verify(hooks.secret, sent["body"], headers["X-Examgen-Signature"])
    assert headers["Content-Type"] == "application/json" and headers["X-Examgen-Event"] == "job.ended"
    assert headers["X-Examgen-Delivery"] == shown["callback"]["delivery_id"] == f"{job_id}.ended"
    assert headers["User-Agent"].startswith("examgen")
    body = json.loads(sent["body"])
    assert body["status"] == shown["status"] == "finished" and set(body) == set(shown)
    assert {k: v for k, v in body.items() if k != "callback"} == {k: v for k, v in shown.items() if k != "callback"}
    [attempt] = shown["callback"]["attempts"]
    assert attempt["status_code"] == 200 and attempt["error"] is None and attempt["at"].endswith("Z")


def test_a_500_is_retried_and_both_attempts_are_recorded(hooks: Hooks) -> None:
    hooks.pool()
    job_id = hooks.submit("/flaky")
    shown = hooks.callback_in(job_id, "delivered")
    assert [a["status_code"] for a in shown["callback"]["attempts"]] == [500, 200]
    assert shown["callback"]["attempts"][0]["error"] == "answered 500"
    sent = hooks.receiver.of(job_id)
    assert len(sent) == 2 and sent[0]["delivery"] == sent[1]["delivery"]
    assert all(callbacks.verify(hooks.secret, s["body"], s["headers"]["X-Examgen-Signature"]) for s in sent)


def test_a_receiver_that_times_out_fails_after_the_attempt_limit(hooks: Hooks) -> None:
    hooks.pool()
    job_id = hooks.submit("/slow")

    def retrying() -> dict[str, Any] | None:
        shown = hooks.view(job_id)["callback"]
        return shown if shown["attempts"] and shown["state"] == "pending" else None

    between = wait_until(retrying, 90, interval_s=0.1, what="a retry to be scheduled")
    assert between["next_attempt_at"].endswith("Z")
    shown = hooks.callback_in(job_id, "failed")
    attempts = shown["callback"]["attempts"]
    assert len(attempts) == 3 and len(hooks.receiver.of(job_id)) == 3
    assert all(a["status_code"] is None and "timed out" in a["error"] for a in attempts)
    assert shown["callback"]["next_attempt_at"] is None


def test_a_canceled_job_is_delivered_even_when_it_ended_with_no_pool_running(hooks: Hooks) -> None:
    job_id = hooks.submit("/ok")
    assert hooks.http.delete(f"/jobs/{job_id}").json()["status"] == "canceled"
    hooks.pool()
    hooks.callback_in(job_id, "delivered")
    [sent] = hooks.receiver.of(job_id)
    assert json.loads(sent["body"])["status"] == "canceled"


def test_a_delivery_claimed_by_a_killed_pool_is_sent_by_another(hooks: Hooks) -> None:
    first = hooks.pool(EXAMGEN_CALLBACK_TIMEOUT_S="4")
    job_id = hooks.submit("/hold")
    wait_until(lambda: hooks.receiver.of(job_id), 90, what="the first delivery to arrive")
    first.signal_group(signal.SIGKILL)  # mid-delivery: sent, never recorded
    hooks.pool()
    shown = hooks.callback_in(job_id, "delivered")
    sent = hooks.receiver.of(job_id)
    assert len(sent) == 2 and sent[0]["delivery"] == sent[1]["delivery"]
    assert [a["status_code"] for a in shown["callback"]["attempts"]] == [200]


def test_a_hanging_delivery_holds_no_slot(hooks: Hooks) -> None:
    hooks.pool(EXAMGEN_CALLBACK_TIMEOUT_S="30")  # one worker, MAX_CONCURRENT_JOBS=1
    held = hooks.submit("/hold")
    wait_until(lambda: hooks.receiver.of(held), 90, what="the delivery to hang")
    other = hooks.submit(None)
    wait_until(lambda: hooks.view(other)["status"] in ("finished", "failed"), 90, what="the next job")
    assert hooks.receiver.in_flight == 1 and hooks.view(held)["callback"]["attempts"] == []
    hooks.receiver.release.set()
    hooks.callback_in(held, "delivered")


def test_a_redirect_is_not_followed(hooks: Hooks) -> None:
    hooks.pool()
    job_id = hooks.submit("/redirect")
    shown = hooks.callback_in(job_id, "failed")
    assert [a["status_code"] for a in shown["callback"]["attempts"]] == [307, 307, 307]
    assert [r["path"] for r in hooks.receiver.of(job_id)] == ["/redirect"] * 3


def test_a_url_refused_at_send_time_fails_at_once_without_sending(hooks: Hooks) -> None:
    hooks.pool(EXAMGEN_CALLBACK_ALLOW="hooks.example.invalid")  # the allow-list changed since the upload
    job_id = hooks.submit("/ok")
    shown = hooks.callback_in(job_id, "failed")
    [attempt] = shown["callback"]["attempts"]
    assert attempt["status_code"] is None and "EXAMGEN_CALLBACK_ALLOW" in attempt["error"]
    assert hooks.receiver.of(job_id) == []
