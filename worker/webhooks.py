"""The webhook sender: a process of each `examgen worker` pool, apart from its workers.

It holds no slot and runs inside no job, so a receiver that hangs delays only other deliveries,
never an exam. A few threads each claim a due delivery (examgen.core.deliveries), POST the job view
signed with the owner's secret, and record the attempt under their claim. Delivery is at least
once: a sender that dies after the POST but before recording it leaves the delivery to be sent
again when its claim runs out, with the same X-Examgen-Delivery id.
"""

from __future__ import annotations

import json
import logging
import random
import signal
import threading
import time
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from types import FrameType

from redis import Redis
from redis.exceptions import RedisError
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.utils import as_text

from examgen.core import deliveries, keys
from examgen.core.connection import connect
from examgen.core.settings import get_settings
from examgen.services import callbacks, jobview
from examgen.worker import webhook_http

log = logging.getLogger("examgen.webhooks")

EVENT = "job.ended"
THREADS = 4
# An idle sender looks for due deliveries this often.
POLL_S = 1.0
# The longest wait between two attempts, however many came before.
MAX_BACKOFF_S = 6 * 3600


def _user_agent() -> str:
    try:
        return f"examgen-webhook/{version('examgen')}"
    except PackageNotFoundError:
        return "examgen-webhook"


def backoff_ms(tries: int, first_s: int) -> int:
    """Before retry number `tries` (1 = the first): first_s, doubling, within ±20 % so the retries
    of many jobs that failed together do not arrive together."""
    delay_s = min(first_s * 2 ** (tries - 1), MAX_BACKOFF_S)
    return int(delay_s * random.uniform(0.8, 1.2) * 1000)


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _send(connection: Redis, claimed: deliveries.Claimed) -> webhook_http.Outcome:
    """The POST of one attempt, or why there was none."""
    settings = get_settings().callback
    try:
        job = Job.fetch(claimed.job_id, connection=connection)
    except NoSuchJobError:
        job = None
    url = str(((job.meta or {}).get("callback") or {}).get("url") or "") if job else ""
    secret = connection.hget(keys.callback_secrets, str(job.meta.get("owner"))) if job else None
    if job is None or not url:
        return webhook_http.Outcome(None, "the job is gone", refused=True)
    if secret is None:
        owner = job.meta.get("owner")
        return webhook_http.Outcome(None, f"no signing secret: run `examgen token secret {owner}`", refused=True)
    body = json.dumps(jobview.views(connection, [job])[0]).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": _user_agent(),
        "X-Examgen-Event": EVENT,
        "X-Examgen-Delivery": deliveries.delivery_id(job.id),
        callbacks.SIGNATURE_HEADER: callbacks.signature(as_text(secret), body),
    }
    return webhook_http.post(url, body, headers, settings.timeout_s, settings.attempt_s)


def deliver(connection: Redis, claimed: deliveries.Claimed) -> str:
    """One attempt of a claimed delivery; the state it left (pending, delivered or failed)."""
    settings = get_settings().callback
    try:
        outcome = _send(connection, claimed)
    except RedisError:
        raise  # nothing can be recorded either: the claim runs out and the delivery is due again
    except Exception as exc:
        # A surprise (a URL httpx will not take, a host IDNA cannot encode, a job whose view
        # cannot be built) is a failed attempt like any other: counted, retried, given up at the
        # limit. Left to the claim's expiry it would be re-claimed forever, its tries never
        # counted. Its type only: a message may quote the body or the URL's query.
        log.exception("callback of job %s: attempt %d failed unexpectedly", claimed.job_id, claimed.tries + 1)
        outcome = webhook_http.Outcome(None, f"internal error ({type(exc).__name__})")
    tries = claimed.tries + 1
    attempt = {
        "attempt": tries,
        "at": _now_iso(),
        "status_code": outcome.status_code,
        "error": outcome.error,
        "duration_ms": outcome.duration_ms,
    }
    retry = None
    if not outcome.delivered and not outcome.refused and tries < settings.attempts:
        retry = backoff_ms(tries, settings.backoff_s)
    final = deliveries.DELIVERED if outcome.delivered else deliveries.FAILED
    state = deliveries.record(connection, claimed, attempt, retry, final)
    if state is None:
        log.warning("callback of job %s: attempt %d sent, but its claim was taken over", claimed.job_id, tries)
        return deliveries.PENDING
    log.info("callback of job %s: attempt %d %s; %s", claimed.job_id, tries, outcome.error or "delivered", state)
    return state


def _loop(connection: Redis, stop: threading.Event) -> None:
    claim_s = get_settings().callback.claim_s
    while not stop.is_set():
        try:
            claimed = deliveries.claim(connection, claim_s)
            if claimed is None:
                stop.wait(POLL_S)
                continue
            deliver(connection, claimed)
        except RedisError as exc:
            log.error("webhook sender: Redis unreachable (%s)", exc)
            stop.wait(5)
        except Exception:
            # A surprise outside an attempt (deliver records those) must not stop the sender: the
            # claim, if one was taken, runs out and the delivery is due again.
            log.exception("webhook sender: unexpected error")
            stop.wait(POLL_S)


# How soon the sender notices SIGTERM.
STOP_POLL_S = 0.2


def serve(threads: int = THREADS) -> int:
    """Run until SIGTERM; a delivery under way finishes (its deadline bounds it) before the exit."""
    stop = threading.Event()
    # The handler only flips a flag: it runs in the main thread between two bytecodes, possibly
    # while that thread holds the Event's lock (inside a wait), and Event.set there would deadlock.
    stopping = [False]

    def on_stop(signum: int, frame: FrameType | None) -> None:
        stopping[0] = True

    signal.signal(signal.SIGTERM, on_stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A re-sent claim whose first reply was lost holds one delivery for nothing until its claim
    # runs out: late, never lost. A re-sent record finds its claim ended and writes nothing.
    connection = connect()
    workers = [threading.Thread(target=_loop, args=(connection, stop), daemon=True) for _ in range(threads)]
    for thread in workers:
        thread.start()
    while not stopping[0]:
        time.sleep(STOP_POLL_S)
    stop.set()
    for thread in workers:
        thread.join(timeout=get_settings().callback.claim_s)
    return 0
