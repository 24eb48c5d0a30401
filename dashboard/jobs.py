"""The recent-jobs table and its admin actions: cancel a queued or running job, re-run a failed one.

Re-run: a job's upload is deleted the moment the job ends (so PDFs do not linger in Redis), which
means a failed job's PDF is normally gone. Re-running therefore asks for the file again and
enqueues a new job with the failed job's options, owner and the new file; if the upload happens
to still be stored, it is reused without asking.
"""

from __future__ import annotations

import time
from typing import Any

import anyio
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException, NotAuthorizedException, PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from redis import Redis
from rq.job import Job

from examgen.core import keys
from examgen.core.jobstates import is_exam_job
from examgen.dashboard import format, search
from examgen.services import jobview
from examgen.services.jobs import cancel, owned_job
from examgen.services.sessions import Session, csrf_ok, load_session
from examgen.services.tokens import Caller
from examgen.web.auth import require_admin
from examgen.web.fragments import is_htmx

RECENT_JOBS = 20
CANCELABLE = ("queued", "started")


def recent_rows(redis: Redis, limit: int = RECENT_JOBS) -> list[dict[str, Any]]:
    """The newest jobs of every owner, as the table shows them."""
    return rows_for(redis, jobview.newest_jobs(redis, keys.all_jobs, limit))


def rows_for(redis: Redis, jobs: list[Job]) -> list[dict[str, Any]]:
    """Jobs as the table shows them."""
    now = time.time()
    rows = []
    for job, view in zip(jobs, jobview.views(redis, jobs), strict=True):
        meta = job.meta or {}
        seconds = format.between(view["started_at"], view["ended_at"], now)
        rows.append(
            {
                **view,
                "owner": meta.get("owner") or "—",
                "duration": format.duration(seconds) if seconds is not None else "",
                "created": format.clock(view["created_at"]),
                "wait": format.duration(view["estimated_wait_time"]),
                "rerun_as": meta.get("rerun_as"),
                "can_cancel": view["status"] in CANCELABLE,
                "can_rerun": view["status"] == "failed" and is_exam_job(job.func_name),
            }
        )
    return rows


def jobs_context(
    redis: Redis,
    session: Session | None,
    message: str = "",
    error: bool = False,
    job_filter: search.JobFilter | None = None,
) -> dict[str, Any]:
    """The table's context: the recent jobs, or the page the filter selects (dashboard/search.py)."""
    job_filter = job_filter or search.JobFilter()
    found = search.find(redis, job_filter)
    return {
        "jobs": rows_for(redis, found.jobs),
        "limit": search.PAGE_SIZE,
        "found": found,
        "filter": job_filter,
        "statuses": search.STATUSES,
        "window": search.SCAN_WINDOW,
        "csrf": session.csrf if session else None,
        "message": message,
        "error": error,
    }


def filter_of(request: Request[Any, Any, Any]) -> search.JobFilter:
    return search.parse_filter(dict(request.query_params))


@get("/dashboard/jobs", sync_to_thread=True, include_in_schema=False)
def jobs_fragment(
    request: Request[Any, Any, Any], caller: NamedDependency[Caller], redis: NamedDependency[Redis]
) -> Template:
    """The recent-jobs table (admins only; action buttons need a dashboard session)."""
    require_admin(caller)
    try:
        job_filter = filter_of(request)
    except search.BadFilter as bad:
        if not is_htmx(request):
            return Template(template_name="bad_request.html", context={"detail": bad.detail}, status_code=400)
        # htmx swaps only 2xx answers: the fragment itself says what is wrong with the filter.
        return Template(template_name="_jobs.html", context={"jobs": [], "message": bad.detail, "error": True})
    context = jobs_context(redis, load_session(request, redis), job_filter=job_filter)
    headers = {}
    if is_htmx(request) and request.headers.get("HX-Trigger") != "jobs":
        # A search or a page link (not the 5 s poll of #jobs): the address bar keeps the filter.
        query = job_filter.query()
        headers["HX-Push-Url"] = "/dashboard" + (f"?{query}" if query else "") + "#jobs"
    return Template(template_name="_jobs.html", context=context, headers=headers)


def acting_session(request: Request[Any, Any, Any], redis: Redis, submitted: object) -> Session:
    """The admin session behind a dashboard form, whose CSRF token must match."""
    session = load_session(request, redis)
    if session is None:
        raise NotAuthorizedException("Your dashboard session has expired; log in again.")
    if not csrf_ok(session, submitted):
        raise PermissionDeniedException("The form's security token is missing or stale; reload the page.")
    return session


def after_action(
    request: Request[Any, Any, Any], redis: Redis, session: Session, message: str, error: bool
) -> Response[Any]:
    if is_htmx(request):
        return Template(template_name="_jobs.html", context=jobs_context(redis, session, message, error))
    return Redirect("/dashboard#jobs", status_code=303)


def _cancel(request: Request[Any, Any, Any], redis: Redis, job_id: str, submitted: object) -> Response[Any]:
    session = acting_session(request, redis, submitted)
    job = owned_job(redis, session.caller, job_id)
    try:
        cancel(redis, job)
    except HTTPException as refused:
        return after_action(request, redis, session, refused.detail, error=True)
    return after_action(request, redis, session, f"Job {job.id[:8]} canceled.", error=False)


@post("/dashboard/jobs/{job_id:str}/cancel", include_in_schema=False)
async def cancel_job(
    request: Request[Any, Any, Any], job_id: FromPath[str], redis: NamedDependency[Redis]
) -> Response[Any]:
    """Cancel a queued or running job (same as DELETE /jobs/{id}); a form post with the CSRF token."""
    form = await request.form()
    return await anyio.to_thread.run_sync(_cancel, request, redis, job_id, form.get("csrf"))
