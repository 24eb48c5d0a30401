"""Jobs as both the HTTP API and the dashboard use them: submit, find the caller's own, cancel.

The refusals are Litestar HTTP exceptions carrying their status code: both callers are Litestar
handlers, and the API answers them as the JSON error shape, the dashboard as its own page.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any, NamedTuple

import anyio
from litestar.exceptions import ClientException, HTTPException, NotFoundException
from redis import Redis
from redis.asyncio import Redis as AsyncRedis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq.command import send_stop_job_command
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job
from rq.utils import as_text

from examgen.core import deliveries, fair, keys, slots, storage
from examgen.core.jobstates import ENDED, MAKE_EXAM
from examgen.core.settings import get_settings
from examgen.core.submission import OverQuota, TokenChanged
from examgen.core.submission import submit as write
from examgen.core.submission import submit_async as write_async
from examgen.services import callbacks, jobview, tokens
from examgen.services import status as queue_status
from examgen.services.jobview import JobView
from examgen.services.tokens import Caller

# RQ's own rule for ids (and ours are uuid4 strings): anything else cannot name a job.
JOB_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
PDF_MAGIC = b"%PDF-"
# The PDF specification lets a header start anywhere in the first 1024 bytes.
PDF_HEADER_WINDOW = 1024


class TooLarge(HTTPException):
    status_code = 413


class NotPdf(HTTPException):
    status_code = 415


class QuotaExceeded(HTTPException):
    status_code = 429


class NotReady(HTTPException):
    status_code = 409


class StoreDown(HTTPException):
    status_code = 503


STORE_RETRY_AFTER_S = 10


def check_upload(data: bytes) -> None:
    """413 or 415 for an upload that can never become a job (read at most one byte over the limit)."""
    settings = get_settings().upload
    if len(data) > settings.max_upload_bytes:
        raise TooLarge(f"The upload is over the limit of {settings.max_upload_mb} MB.")
    if PDF_MAGIC not in data[:PDF_HEADER_WINDOW]:
        raise NotPdf("The file is not a PDF (it does not start with %PDF-).")


def owned_job(redis: Redis, caller: Caller, job_id: str) -> Job:
    """The job, if the caller may see it; otherwise 404 alike, so no one learns another's ids."""
    if not JOB_ID.fullmatch(job_id):
        raise NotFoundException("No such job.")
    try:
        job = Job.fetch(job_id, connection=redis)
    except NoSuchJobError:
        raise NotFoundException("No such job.") from None
    if job.origin != keys.QUEUE_NAME or (not caller.admin and job.meta.get("owner") != caller.name):
        raise NotFoundException("No such job.")
    return job


def open_jobs(redis: Redis, owner: str, limit: int | None = None) -> int:
    """How many of the owner's jobs are unfinished, forgetting those that ended.

    With `limit`, a set smaller than it answers at once: it holds every unfinished job (and maybe
    some ended ones), so its size is an upper bound and under the limit needs no pruning. Only a
    token at its limit pays for checking each job's status (make bench: O(1), not O(open jobs)).
    """
    if limit is not None:
        size = int(redis.scard(keys.owner_open(owner)))
        if size < limit:
            return size
    job_ids = [as_text(m) for m in redis.smembers(keys.owner_open(owner))]
    if not job_ids:
        return 0
    with redis.pipeline(transaction=False) as pipe:
        for job_id in job_ids:
            pipe.hget(Job.key_for(job_id), "status")
        statuses = pipe.execute()
    ended = [j for j, s in zip(job_ids, statuses, strict=True) if s is None or s.decode() in ENDED]
    if ended:
        redis.srem(keys.owner_open(owner), *ended)
    return len(job_ids) - len(ended)


class Upload(NamedTuple):
    """What one submission carries: the PDF, its file name, the generator's options, the number
    of variants and any more job meta (e.g. the callback, examgen.services.callbacks)."""

    data: bytes
    filename: str
    options: dict[str, Any]
    variants: int = 1
    meta: dict[str, Any] | None = None

    @property
    def has_callback(self) -> bool:
        return bool(self.meta) and "callback" in (self.meta or {})


def submit(
    redis: Redis,
    caller: Caller,
    data: bytes,
    filename: str,
    options: dict[str, Any],
    variants: int = 1,
    meta: dict[str, Any] | None = None,
) -> JobView:
    """A new job (see `submit_upload`)."""
    return submit_upload(redis, caller, Upload(data, filename, options, variants, meta))


def submit_upload(redis: Redis, caller: Caller, upload: Upload) -> JobView:
    """A new job. The token (`caller.proof`) and the quota are checked by the submission's own
    script, atomically with the write; a caller whose token changed since it was read is read again once."""
    try:
        return _submit(redis, caller, upload)
    except TokenChanged:
        confirmed = tokens.confirm(redis, caller)
        if confirmed is None:
            raise tokens.unknown_token() from None
        return _submit(redis, confirmed, upload)


def _submit(redis: Redis, caller: Caller, upload: Upload) -> JobView:
    limit = get_settings().queue.max_queued_per_token
    if upload.has_callback:
        callbacks.require_secret(redis, caller.name)
    store = storage.store_for(redis)
    # Read first: once the job is written, nothing may fail the answer (a retry would resubmit).
    reading = queue_status.for_estimate(redis)
    if store.external:
        # Checked first too, so a refused upload is never written to the store.
        confirmed = tokens.confirm(redis, caller)
        if confirmed is None:
            raise tokens.unknown_token()
        caller = confirmed
        if open_jobs(redis, caller.name, limit) >= limit:
            raise over_quota(limit)
    job_id = str(uuid.uuid4())
    if store.external:
        # Written before the job exists, so no worker can claim a job whose upload is not there yet.
        try:
            store.put(job_id, upload.data)
        except storage.StoreUnavailable as exc:
            raise StoreDown(
                f"The upload store is unavailable ({exc}); try again shortly.",
                headers={"Retry-After": str(STORE_RETRY_AFTER_S)},
            ) from None
    try:
        done = write(redis, MAKE_EXAM, **_job(caller, upload, store, job_id))
    except (RedisConnectionError, RedisTimeoutError):
        # The script may have run and its reply been lost: the upload stays (the sweeper deletes
        # it if no job has it). Any other error, a refusal included, wrote no job that reads it.
        raise
    except BaseException as exc:
        if store.external:
            storage.discard(redis, job_id)  # no job will read it; if this fails too, the sweeper will
        if isinstance(exc, OverQuota):
            raise over_quota(limit) from None
        raise
    # Its place in the order the claim follows was read by the same script that wrote the job.
    return jobview.view(done.job, done.place, queue_status.at_submission(reading, done.running_elapsed_s))


async def submit_async(redis: Redis, aredis: AsyncRedis, caller: Caller, upload: Upload) -> JobView:
    """`submit_upload` on the event loop (no thread hop), for uploads kept in Redis; an external
    store's writes are blocking calls, so those (and a token that changed meanwhile) take
    `submit_upload` in a thread."""
    store = storage.store_for(redis)
    # A callback's owner needs a signing secret (one more read), and an external store's writes block.
    if not store.external and not upload.has_callback:
        job = _job(caller, upload, store, str(uuid.uuid4()))
        # Read first: once the job is written, nothing may fail the answer (a retry would resubmit).
        reading = await queue_status.for_estimate_async(aredis)
        try:
            done = await write_async(aredis, redis, MAKE_EXAM, **job)
            return jobview.view(done.job, done.place, queue_status.at_submission(reading, done.running_elapsed_s))
        except OverQuota:
            raise over_quota(get_settings().queue.max_queued_per_token) from None
        except TokenChanged:
            # Read the token again before the second try (not with the stale record a third time).
            confirmed = await anyio.to_thread.run_sync(tokens.confirm, redis, caller)
            if confirmed is None:
                raise tokens.unknown_token() from None
            caller = confirmed
    return await anyio.to_thread.run_sync(submit_upload, redis, caller, upload)


def _job(caller: Caller, upload: Upload, store: storage.BlobStore, job_id: str) -> dict[str, Any]:
    """What a submission writes (the keyword arguments of core.submission.submit)."""
    return {
        "args": (upload.options,),
        # Variants change only how the exam is served, so they stay out of the job's arguments.
        "meta": {
            "owner": caller.name,
            "filename": upload.filename,
            "progress": 0,
            "storage": store.kind,
            **({"variants": upload.variants} if upload.variants > 1 else {}),
            **(upload.meta or {}),
        },
        "owner": caller.name,
        "upload": None if store.external else upload.data,
        "job_id": job_id,
        "quota": get_settings().queue.max_queued_per_token,
        "token": caller.proof,
    }


def over_quota(limit: int) -> QuotaExceeded:
    return QuotaExceeded(
        f"This token has {limit} unfinished jobs, the most allowed; wait for some to finish.",
        headers={"Retry-After": "30"},
    )


def cancel(redis: Redis, job: Job) -> None:
    status = job.get_status()
    if redis.lrem(keys.queue, 0, job.id):
        # Removed from the queue by us, so no worker can have claimed it.
        fair.forget(redis, job.id)
        job.cancel()
        storage.discard(redis, job.id)
        deliveries.make_due(redis, job.id)
        return
    if status in ENDED:
        raise ClientException(f"The job has already ended ({jobview.public_status(job)}).", status_code=409)
    # Claimed or running: ask its worker to stop it, waiting briefly for the run to register.
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        try:
            send_stop_job_command(redis, job.id)
        except InvalidJobOperation:
            time.sleep(0.1)
            continue
        break
    while time.monotonic() < deadline and job.get_status() not in ENDED and slots.leased(redis, job.id):
        time.sleep(0.1)
