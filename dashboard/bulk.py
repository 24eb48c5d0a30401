"""Bulk cancel and re-run of what the jobs filter selects, in two steps: confirm, then act.

The first POST (the filter's fields, `action`, CSRF) lists what would be done; the confirmation
form carries those job ids, so the action applies to exactly what the operator saw, not to
whatever the filter selects a moment later. Both steps are bounded by `BULK_MAX` jobs.

Re-run in bulk only re-runs failed jobs whose upload is still stored (a job's upload is deleted
when it ends, so that is rare); the others are listed as skipped, to be re-run one by one with
the file (dashboard/rerun.py).
"""

from __future__ import annotations

from typing import Any

import anyio
from litestar import Request, Response, post
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException
from litestar.response import Template
from redis import Redis
from rq.job import Job

from examgen.core import storage
from examgen.core.jobstates import is_exam_job
from examgen.dashboard import search
from examgen.dashboard.jobs import CANCELABLE, acting_session, rows_for
from examgen.services import jobview
from examgen.services.jobs import JOB_ID, cancel, owned_job, submit
from examgen.services.tokens import Caller

BULK_MAX = 500
ACTIONS = ("cancel", "rerun")


def _eligible(redis: Redis, action: str, job: Job) -> bool:
    status = jobview.public_status(job)
    if action == "cancel":
        return status in CANCELABLE
    return status == "failed" and is_exam_job(job.func_name) and not (job.meta or {}).get("rerun_as")


def _stored_upload(redis: Redis, job_id: str) -> bytes | None:
    try:
        return storage.store_for(redis).get(job_id)
    except storage.StoreUnavailable:
        return None


def _rerun_one(redis: Redis, job: Job) -> str:
    """Re-run a failed job from its stored upload; the outcome, as one word for the summary."""
    data = _stored_upload(redis, job.id)
    if not data:
        return "no upload"
    meta = job.meta or {}
    options = dict(job.args[0]) if job.args and isinstance(job.args[0], dict) else {}
    owner = str(meta.get("owner") or "-")
    try:
        new = submit(redis, Caller(owner, False), data, str(meta.get("filename") or "upload.pdf"), options)
    except HTTPException:  # the owner's quota: counted as refused, never a 5xx
        return "refused"
    job.meta["rerun_as"] = new["job_id"]
    job.save_meta()
    return "done"


def _act(redis: Redis, caller: Caller, action: str, job_ids: list[str]) -> dict[str, int]:
    outcome = {"done": 0, "ended": 0, "no upload": 0, "refused": 0, "gone": 0}
    for job_id in job_ids:
        try:
            job = owned_job(redis, caller, job_id)
        except HTTPException:
            outcome["gone"] += 1  # forgotten since the confirmation
            continue
        if not _eligible(redis, action, job):
            outcome["ended"] += 1
            continue
        if action == "cancel":
            try:
                cancel(redis, job)
            except HTTPException:
                outcome["ended"] += 1
                continue
            outcome["done"] += 1
        else:
            outcome[_rerun_one(redis, job)] += 1
    return outcome


def _bulk(request: Request[Any, Any, Any], redis: Redis, form: dict[str, Any], job_ids: list[str]) -> Response[Any]:
    session = acting_session(request, redis, form.get("csrf"))
    action = form.get("action")

    def refuse(detail: str) -> Template:
        return Template(template_name="bad_request.html", context={"detail": detail}, status_code=400)

    if action not in ACTIONS:
        return refuse("The bulk action must be cancel or rerun.")
    try:
        job_filter = search.parse_filter(form)
    except search.BadFilter as bad:
        return refuse(bad.detail)
    context: dict[str, Any] = {
        "action": action,
        "filter": job_filter,
        "csrf": session.csrf,
        "caller": session.caller,
        "most": BULK_MAX,
        "window": search.SCAN_WINDOW,
    }
    if form.get("confirm") == "yes":
        if len(job_ids) > BULK_MAX or not all(JOB_ID.fullmatch(j) for j in job_ids):
            return refuse(f"A bulk action takes at most {BULK_MAX} job ids.")
        context["outcome"] = _act(redis, session.caller, action, job_ids)
        return Template(template_name="bulk.html", context=context)
    found = search.find(redis, job_filter, limit=BULK_MAX)
    chosen = [job for job in found.jobs if _eligible(redis, action, job)]
    rows = rows_for(redis, chosen)
    if action == "rerun":
        for row in rows:
            row["stored"] = _stored_upload(redis, row["job_id"]) is not None
    context.update(rows=rows, found=found)
    return Template(template_name="bulk.html", context=context)


@post("/dashboard/jobs/bulk", include_in_schema=False)
async def bulk_jobs(request: Request[Any, Any, Any], redis: NamedDependency[Redis]) -> Response[Any]:
    """Bulk cancel / re-run: the filter's fields, `action`, `csrf`; then `confirm=yes` with `job` ids."""
    form = await request.form()
    job_ids = [str(j) for j in form.getall("job")] if "job" in form else []
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    return await anyio.to_thread.run_sync(_bulk, request, redis, fields, job_ids)
