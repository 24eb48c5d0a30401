"""Re-run a failed job: a new job with the failed one's options and owner (see dashboard.jobs).

Uploads are deleted when a job ends, so the page asks for the PDF again unless it is still stored.
The new job goes through api.jobs.submit, so the owner's quota and the upload checks still apply.
"""

from __future__ import annotations

from typing import Any

import anyio
from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from redis import Redis
from rq.job import Job, JobStatus

from examgen.core import storage
from examgen.core.jobstates import is_exam_job
from examgen.core.settings import get_settings
from examgen.dashboard.jobs import acting_session
from examgen.services import jobview
from examgen.services.jobs import check_upload, owned_job, submit
from examgen.services.options import clean_filename
from examgen.services.sessions import Session, load_session
from examgen.services.tokens import Caller


def _stored(redis: Redis, job_id: str) -> bool:
    try:
        return storage.store_for(redis).exists(job_id)
    except storage.StoreUnavailable:
        return False


def _page(job: Job, redis: Redis, session: Session, message: str = "", status: int = 200) -> Template:
    meta = job.meta or {}
    view = jobview.views(redis, [job])[0]
    options = dict(job.args[0]) if job.args and isinstance(job.args[0], dict) else {}
    context = {
        "job": view,
        "owner": meta.get("owner") or session.caller.name,
        "options": {k: ", ".join(v) if isinstance(v, list | tuple) else v for k, v in options.items()},
        "stored": _stored(redis, job.id),
        "rerunnable": view["status"] == "failed" and is_exam_job(job.func_name),
        "rerun_as": meta.get("rerun_as"),
        "csrf": session.csrf,
        "caller": session.caller,
        "message": message,
        "max_mb": get_settings().upload.max_upload_mb,
    }
    return Template(template_name="rerun.html", context=context, status_code=status)


def _show(request: Request[Any, Any, Any], redis: Redis, job_id: str) -> Response[Any]:
    session = load_session(request, redis)
    if session is None:
        return Redirect(f"/dashboard/login?next=/dashboard/jobs/{job_id}/rerun", status_code=303)
    return _page(owned_job(redis, session.caller, job_id), redis, session)


@get("/dashboard/jobs/{job_id:str}/rerun", include_in_schema=False)
async def rerun_page(
    request: Request[Any, Any, Any], job_id: FromPath[str], redis: NamedDependency[Redis]
) -> Response[Any]:
    """The re-run form of a failed job (asks for the PDF again when it is no longer stored)."""
    return await anyio.to_thread.run_sync(_show, request, redis, job_id)


def _rerun(
    request: Request[Any, Any, Any], redis: Redis, job_id: str, form: dict[str, Any], data: bytes | None
) -> Response[Any]:
    session = acting_session(request, redis, form.get("csrf"))
    job = owned_job(redis, session.caller, job_id)
    if job.get_status() != JobStatus.FAILED or not is_exam_job(job.func_name):
        return _page(job, redis, session, "Only a failed exam job can be re-run.", 409)
    upload = form.get("file")
    filename = clean_filename(upload.filename) if isinstance(upload, UploadFile) and data else None
    if not data:
        try:
            data = storage.store_for(redis).get(job.id)
        except storage.StoreUnavailable:
            data = None  # asks for the file, as when it is no longer stored
        filename = str((job.meta or {}).get("filename") or "upload.pdf")
    if not data:
        return _page(job, redis, session, "Re-run needs the file again: choose the PDF.", 400)
    try:
        check_upload(data)
    except HTTPException as refused:
        return _page(job, redis, session, refused.detail, refused.status_code)
    owner = str((job.meta or {}).get("owner") or session.caller.name)
    options = dict(job.args[0]) if job.args and isinstance(job.args[0], dict) else {}
    try:
        new = submit(redis, Caller(owner, False), data, filename or "upload.pdf", options)
    except HTTPException as refused:  # the owner's quota
        return _page(job, redis, session, refused.detail, refused.status_code)
    job.meta["rerun_as"] = new["job_id"]
    job.save_meta()
    return Redirect("/dashboard#jobs", status_code=303)


@post("/dashboard/jobs/{job_id:str}/rerun", include_in_schema=False)
async def rerun_job(
    request: Request[Any, Any, Any], job_id: FromPath[str], redis: NamedDependency[Redis]
) -> Response[Any]:
    """Enqueue a new job with the failed job's options (multipart: `file` when needed, `csrf`)."""
    form = dict(await request.form())
    upload = form.get("file")
    data = await upload.read(get_settings().upload.max_upload_bytes + 1) if isinstance(upload, UploadFile) else None
    return await anyio.to_thread.run_sync(_rerun, request, redis, job_id, form, data)
