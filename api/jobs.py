"""The job routes: submit a PDF, look at jobs, cancel one, fetch its exam."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import anyio
from litestar import Controller, Request, Response, delete, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import ClientException, HTTPException, NotFoundException
from litestar.params import FromPath, Parameter
from redis import Redis
from rq.command import send_stop_job_command
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job, JobStatus
from rq.utils import as_text

from api import jobview
from api.jobview import JobView
from api.openapi import UploadOperation, errors
from api.options import clean_filename, parse_options
from api.tokens import Caller
from worker import keys, recovery, slots
from worker.enqueue import enqueue
from worker.settings import get_settings

# RQ's own rule for ids (and ours are uuid4 strings): anything else cannot name a job.
JOB_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
PDF_MAGIC = b"%PDF-"
# The PDF specification lets a header start anywhere in the first 1024 bytes.
PDF_HEADER_WINDOW = 1024
EXPORTS = {"json": "json", "html": "html", "gift": "gift.txt", "moodle": "moodle.xml"}


class TooLarge(HTTPException):
    status_code = 413


class NotPdf(HTTPException):
    status_code = 415


class QuotaExceeded(HTTPException):
    status_code = 429


class NotReady(HTTPException):
    status_code = 409


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
    ended = [j for j, s in zip(job_ids, statuses, strict=True) if s is None or s.decode() in recovery.ENDED]
    if ended:
        redis.srem(keys.owner_open(owner), *ended)
    return len(job_ids) - len(ended)


def submit(redis: Redis, caller: Caller, data: bytes, filename: str, options: dict[str, Any]) -> JobView:
    limit = get_settings().queue.max_queued_per_token
    if open_jobs(redis, caller.name, limit) >= limit:
        raise QuotaExceeded(
            f"This token has {limit} unfinished jobs, the most allowed; wait for some to finish.",
            headers={"Retry-After": "30"},
        )
    job, levels, status_now = enqueue(
        redis,
        "worker.task.make_exam",
        args=(options,),
        meta={"owner": caller.name, "filename": filename, "progress": 0},
        owner=caller.name,
        upload=data,
        read_status=True,  # for the wait estimate, in the same round trip as the enqueue
    )
    # The job was pushed at the tail in the same MULTI that measured the queue, so its position
    # is that length: no LPOS, which scans the whole queue (make bench: flat with 10,000 queued).
    return jobview.view(job, levels.queued, status_now)


def cancel(redis: Redis, job: Job) -> None:
    status = job.get_status()
    if redis.lrem(keys.queue, 0, job.id):
        # Removed from the queue by us, so no worker can have claimed it.
        job.cancel()
        redis.delete(keys.upload(job.id))
        return
    if status in recovery.ENDED:
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
    while time.monotonic() < deadline and job.get_status() not in recovery.ENDED and slots.leased(redis, job.id):
        time.sleep(0.1)


class JobController(Controller):
    tags = ("jobs",)

    @post(
        "/generate",
        status_code=202,
        summary="Upload a PDF; it becomes an exam job",
        operation_class=UploadOperation,
        responses=errors(400, 401, 413, 415, 422, 429, 503),
    )
    async def generate(
        self, request: Request[Any, Any, Any], caller: NamedDependency[Caller], redis: NamedDependency[Redis]
    ) -> Response[JobView]:
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ClientException("Send the PDF as the multipart/form-data field `file`.")
        max_bytes = get_settings().upload.max_upload_bytes
        data = await upload.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise TooLarge(f"The upload is over the limit of {get_settings().upload.max_upload_mb} MB.")
        if PDF_MAGIC not in data[:PDF_HEADER_WINDOW]:
            raise NotPdf("The file is not a PDF (it does not start with %PDF-).")
        options = parse_options(form)
        name = clean_filename(upload.filename)
        job_view = await anyio.to_thread.run_sync(submit, redis, caller, data, name, options)
        return Response(job_view, status_code=202, headers={"Location": f"/jobs/{job_view['job_id']}"})

    @get(
        "/jobs",
        sync_to_thread=True,
        summary="The caller's jobs, newest first (admins: everyone's)",
        responses=errors(400, 401, 503),
    )
    def list_jobs(
        self,
        caller: NamedDependency[Caller],
        redis: NamedDependency[Redis],
        limit: int = Parameter(default=50, ge=1, le=500),
    ) -> list[JobView]:
        index = keys.all_jobs if caller.admin else keys.owner_jobs(caller.name)
        return jobview.views(redis, jobview.newest_jobs(redis, index, limit))

    @get("/jobs/{job_id:str}", sync_to_thread=True, summary="One job", responses=errors(401, 404, 503))
    def get_job(self, job_id: FromPath[str], caller: NamedDependency[Caller], redis: NamedDependency[Redis]) -> JobView:
        return jobview.views(redis, [owned_job(redis, caller, job_id)])[0]

    @delete(
        "/jobs/{job_id:str}",
        status_code=200,
        sync_to_thread=True,
        summary="Cancel a queued or running job",
        responses=errors(401, 404, 409, 503),
    )
    def cancel_job(
        self, job_id: FromPath[str], caller: NamedDependency[Caller], redis: NamedDependency[Redis]
    ) -> JobView:
        job = owned_job(redis, caller, job_id)
        cancel(redis, job)
        job.refresh()
        return jobview.views(redis, [job])[0]

    @get(
        "/jobs/{job_id:str}/exam",
        sync_to_thread=True,
        summary="The exam: json, html, gift or moodle",
        responses=errors(401, 404, 409, 422, 503),
    )
    def get_exam(
        self,
        job_id: FromPath[str],
        caller: NamedDependency[Caller],
        redis: NamedDependency[Redis],
        format: str = Parameter(default="json", description="json | html | gift | moodle"),
    ) -> Response[str]:
        if format not in EXPORTS:
            raise HTTPException(f"`format` must be one of {', '.join(EXPORTS)}.", status_code=422)
        job = owned_job(redis, caller, job_id)
        if job.get_status(refresh=False) != JobStatus.FINISHED:
            raise NotReady(f"The exam is not ready: the job is {jobview.public_status(job)}.")
        raw = redis.get(keys.exam(job.id))
        if raw is None:
            raise NotFoundException("The exam has expired and is no longer stored.")
        from worker.generator import render_exam

        body, media_type = render_exam(json.loads(raw), format)
        disposition = f'inline; filename="exam-{job.id}.{EXPORTS[format]}"'
        return Response(body, media_type=media_type, headers={"Content-Disposition": disposition})
