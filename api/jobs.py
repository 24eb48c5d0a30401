"""The job routes: submit a PDF, look at jobs, cancel one, fetch its exam."""

from __future__ import annotations

from typing import Any

import anyio
from litestar import Controller, Request, Response, delete, get, post
from litestar.datastructures import State, UploadFile
from litestar.di import NamedDependency, Provide
from litestar.exceptions import ClientException
from litestar.params import FromPath, Parameter
from redis import Redis
from redis.asyncio import Redis as AsyncRedis

from examgen.api.exam_download import Unprocessable, check_request, check_variant, exam_headers
from examgen.api.openapi import REUSED, UploadOperation, errors, one_header
from examgen.core import keys
from examgen.core.settings import get_settings
from examgen.services import jobview, revisions
from examgen.services.callbacks import parse_callback
from examgen.services.idempotency import check_key, submit_once_async
from examgen.services.jobs import Upload, cancel, check_upload, owned_job
from examgen.services.jobview import JobView
from examgen.services.options import EXPORTS, clean_filename, parse_flag, parse_options, parse_variants
from examgen.services.tokens import Caller
from examgen.web.auth import resolve_submitter_async


class JobController(Controller):
    tags = ("jobs",)

    @post(
        "/generate",
        status_code=202,
        dependencies={"caller": Provide(resolve_submitter_async)},
        summary="Upload a PDF; it becomes an exam job",
        operation_class=UploadOperation,
        responses={**errors(400, 401, 409, 413, 415, 422, 429, 503), **REUSED},
    )
    async def generate(
        self, request: Request[Any, Any, Any], caller: NamedDependency[Caller], state: State
    ) -> Response[JobView]:
        # The clients from the state, not as dependencies: see resolve_submitter_async.
        redis: Redis = state.redis
        aredis: AsyncRedis = state.aredis
        idempotency_key = check_key(one_header(request, "idempotency-key"))
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ClientException("Send the PDF as the multipart/form-data field `file`.")
        data = await upload.read(get_settings().upload.max_upload_bytes + 1)
        check_upload(data)
        options = parse_options(form)
        variants = parse_variants(form)
        reuse = parse_flag(form, "reuse")
        # Checking a callback URL resolves its host: off the event loop, so slow DNS stalls only this request.
        callback = await anyio.to_thread.run_sync(parse_callback, form) if "callback_url" in form else None
        name = clean_filename(upload.filename)
        job = Upload(data, name, options, variants, callback)
        answer = await submit_once_async(redis, aredis, caller, job, idempotency_key, reuse)
        headers = {"Location": f"/jobs/{answer.view['job_id']}"}
        if answer.replayed:
            headers["Idempotent-Replayed"] = "true"
        return Response(answer.view, status_code=answer.status_code, headers=headers)

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

    @get("/jobs/{job_id:str}", sync_to_thread=True, summary="One job", responses=errors(400, 401, 404, 503))
    def get_job(self, job_id: FromPath[str], caller: NamedDependency[Caller], redis: NamedDependency[Redis]) -> JobView:
        return jobview.views(redis, [owned_job(redis, caller, job_id)])[0]

    @delete(
        "/jobs/{job_id:str}",
        status_code=200,
        sync_to_thread=True,
        summary="Cancel a queued or running job",
        responses=errors(400, 401, 404, 409, 503),
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
        summary="The exam: json, html, gift, moodle, qti, aiken or docx; a variant; the student copy or the key",
        responses=errors(400, 401, 404, 409, 422, 503),
    )
    def get_exam(
        self,
        job_id: FromPath[str],
        caller: NamedDependency[Caller],
        redis: NamedDependency[Redis],
        format: str = Parameter(default="json", description=" | ".join(EXPORTS)),
        key: str = Parameter(
            default="include", description="html, docx: include (questions + key), none (student copy), only (key)"
        ),
        variant: str | None = Parameter(default=None, description="A–Z, up to the job's `variants` (default A)"),
        revision: int | None = Parameter(
            default=None, ge=0, description="0: as generated; default the latest (GET …/exam/revisions lists them)"
        ),
    ) -> Response[str | bytes]:
        check_request(format, key, variant)
        job = owned_job(redis, caller, job_id)
        check_variant(job.meta, variant)
        chosen = revisions.revision(redis, job, revision)
        # Imported on first download, not at start: the web process does not load the generator.
        from examgen.generator import aiken_skipped, render_exam

        exam = revisions.served(chosen.exam)
        headers = exam_headers(job.id, format, variant, key)
        headers["Examgen-Revision"] = str(chosen.revision)
        if format == "aiken":
            skipped = aiken_skipped(exam)
            if len(skipped) == len(exam.questions):
                raise Unprocessable("Aiken holds multiple-choice questions only, and this exam has none.")
            # Aiken has no comments: the questions it cannot hold are named in a header instead.
            headers["Examgen-Skipped-Questions"] = ",".join(skipped)
        body, media_type = render_exam(exam, format, key=key, variant=variant)
        # Litestar appends "; charset=utf-8" to text/* types itself: pass the bare type.
        return Response(body, media_type=media_type.split(";")[0], headers=headers)
