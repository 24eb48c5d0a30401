"""Idempotent submission: a retried upload gets its first job, and a finished exam can be reused.

`Idempotency-Key` (as in the IETF httpapi draft "The Idempotency-Key HTTP Header Field"): the first
request with a key claims it with one SET NX (atomic, so of two concurrent retries exactly one
enqueues); the others wait, boundedly, for the job id it records and answer that job. The same key
with a different upload (another file, other options) is 422; a first request still enqueuing after
the wait is 409. A key lives as long as results do, per owner: two tokens' keys never meet.

`reuse=true`: an upload of the same bytes with the same options and variants from the same owner
whose earlier job finished, with its exam still stored, is answered with that job (200) instead of
a new one, so it takes no slot. Only uploads that asked for reuse are remembered.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from typing import Any, NamedTuple

import anyio
from litestar.exceptions import HTTPException
from redis import Redis
from redis.asyncio import Redis as AsyncRedis
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.utils import as_text

from examgen.core import keys
from examgen.core.settings import get_settings
from examgen.services import jobview, tokens
from examgen.services.jobs import Upload, submit_async, submit_upload
from examgen.services.jobview import JobView
from examgen.services.tokens import Caller

# Visible ASCII, as the draft's sf-string allows, up to a length any client stays under.
KEY_FORMAT = re.compile(r"[\x21-\x7e]{1,255}")
WAIT_FOR_FIRST_S = 10.0
_POLL_S = 0.05
_RETRY = {"Retry-After": "1"}


class MalformedKey(HTTPException):
    status_code = 400


class KeyReused(HTTPException):
    status_code = 422


class StillInProgress(HTTPException):
    status_code = 409


class Answer(NamedTuple):
    view: JobView
    status_code: int
    replayed: bool


def check_key(raw: str | None) -> str | None:
    if raw is None:
        return None
    if not KEY_FORMAT.fullmatch(raw):
        raise MalformedKey("`Idempotency-Key` must be 1 to 255 visible ASCII characters (no spaces).")
    return raw


def fingerprint(data: bytes, options: dict[str, Any], variants: int) -> str:
    """Same PDF bytes, same options, same variants: the same fingerprint."""
    digest = hashlib.sha256(data)
    digest.update(json.dumps({"options": options, "variants": variants}, sort_keys=True).encode())
    return digest.hexdigest()


def _view(redis: Redis, job_id: str) -> JobView | None:
    try:
        job = Job.fetch(job_id, connection=redis)
    except NoSuchJobError:
        return None
    return jobview.views(redis, [job])[0]


def reusable(redis: Redis, caller: Caller, print_: str) -> JobView | None:
    """The owner's finished job for this fingerprint, while its exam is still stored."""
    job_id = redis.get(keys.reuse(caller.name, print_))
    if job_id is None:
        return None
    job_id = as_text(job_id)
    try:
        job = Job.fetch(job_id, connection=redis)
    except NoSuchJobError:
        return None
    if job.get_status() != JobStatus.FINISHED or not redis.exists(keys.exam(job_id)):
        return None
    return jobview.views(redis, [job])[0]


def remember(redis: Redis, caller: Caller, print_: str, job_id: str) -> None:
    redis.set(keys.reuse(caller.name, print_), job_id, ex=get_settings().queue.result_ttl_s)


def once(redis: Redis, caller: Caller, key: str | None, print_: str, first: Callable[[], Answer]) -> Answer:
    """`first()` for the first request with `key`; that same job for every retry of it."""
    if key is None:
        return first()
    name = keys.idempotency(caller.name, hashlib.sha256(key.encode()).hexdigest())
    # Bounded: the key is claimed, or found, or found gone (its first request failed) a few times.
    for _ in range(3):
        pending = json.dumps({"fingerprint": print_, "job_id": None})
        if redis.set(name, pending, nx=True, ex=keys.idempotency_pending_s):
            try:
                answer = first()
            except BaseException:
                if redis.get(name) == pending.encode():  # refused or failed: a retry may try again
                    redis.delete(name)
                raise
            record = {"fingerprint": print_, "job_id": answer.view["job_id"], "status_code": answer.status_code}
            redis.set(name, json.dumps(record), ex=get_settings().queue.result_ttl_s)
            return answer
        replay = _wait_for_first(redis, name, print_)
        if replay is not None:
            return replay
    raise StillInProgress(
        "A request with this Idempotency-Key keeps failing; retry later.", headers={"Retry-After": "1"}
    )


def _wait_for_first(redis: Redis, name: str, print_: str) -> Answer | None:
    deadline = time.monotonic() + WAIT_FOR_FIRST_S
    while True:
        raw = redis.get(name)
        if raw is None:
            return None
        record = json.loads(raw)
        if record["fingerprint"] != print_:
            raise KeyReused("This Idempotency-Key was used with another upload (file or options); use a new key.")
        if record["job_id"] is not None:
            view = _view(redis, record["job_id"])
            if view is None:  # the job outlived by its key: forget the key, submit anew
                redis.delete(name)
                return None
            return Answer(view, int(record["status_code"]), replayed=True)
        if time.monotonic() > deadline:
            raise StillInProgress(
                "The first request with this Idempotency-Key is still being processed; retry shortly.",
                headers=_RETRY,
            )
        time.sleep(_POLL_S)


def submit_once(redis: Redis, caller: Caller, upload: Upload, key: str | None, reuse: bool) -> Answer:
    """POST /generate after its checks: a replay, a reused finished job (200) or a new job (202)."""
    if key is None and not reuse:
        return Answer(submit_upload(redis, caller, upload), 202, replayed=False)
    # A replay or a reuse answers without the submission script: the token is read first.
    confirmed = tokens.confirm(redis, caller)
    if confirmed is None:
        raise tokens.unknown_token()
    caller = confirmed
    print_ = fingerprint(upload.data, upload.options, upload.variants)

    def first() -> Answer:
        if reuse:
            found = reusable(redis, caller, print_)
            if found is not None:
                return Answer(found, 200, replayed=False)
        view = submit_upload(redis, caller, upload)
        if reuse:
            remember(redis, caller, print_, view["job_id"])
        return Answer(view, 202, replayed=False)

    return once(redis, caller, key, print_, first)


async def submit_once_async(
    redis: Redis, aredis: AsyncRedis, caller: Caller, upload: Upload, key: str | None, reuse: bool
) -> Answer:
    """`submit_once` from the event loop: a plain submission stays on it (`submit_async`); a
    replay or a reuse reads and writes beside the submission, through the sync client in a thread."""
    if key is None and not reuse:
        return Answer(await submit_async(redis, aredis, caller, upload), 202, replayed=False)
    return await anyio.to_thread.run_sync(submit_once, redis, caller, upload, key, reuse)
