"""The review page's Regenerate button: a form post (CSRF token inside) that enqueues the small job
(examgen.services.regenerate, the API's code), then a status fragment that htmx polls every 2 s
until the job ends; then the questions fragment comes back in place of the whole list, the new
question in it. Without script the post leads to a page saying the question is being regenerated,
with a link to look again.
"""

from __future__ import annotations

from typing import Any

import anyio
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from redis import Redis

from examgen.dashboard.review import exam_context, refusal, to_login
from examgen.dashboard.review_actions import acting_session
from examgen.services import jobview, regenerate, sessions
from examgen.services.jobs import owned_job
from examgen.web.fragments import is_htmx

FRAGMENT = "_review_regenerating.html"


def _status(job_id: str, qid: str, rid: str, state: str, error: str = "") -> dict[str, Any]:
    return {"jid": job_id, "qid": qid, "rid": rid, "state": state, "error": error}


def _post(request: Request[Any, Any, Any], redis: Redis, job_id: str, qid: str, form: dict[str, Any]) -> Response[Any]:
    session = acting_session(request, redis, form)
    if session is None:
        return to_login(request)
    if isinstance(session, HTTPException):
        return refusal(session)
    try:
        exam_job = owned_job(redis, session.caller, job_id)
        view = regenerate.request(redis, session.caller, exam_job, qid, form.get("type") or None)
    except HTTPException as refused:
        if not is_htmx(request):
            return refusal(refused)
        # 200, as htmx swaps only 2xx answers: the sentence shows where "regenerating…" would.
        return Template(template_name=FRAGMENT, context=_status(job_id, qid, "", "refused", refused.detail))
    rid = view["job_id"]
    if is_htmx(request):
        return Template(template_name=FRAGMENT, context=_status(job_id, qid, rid, view["status"]))
    return Redirect(f"/review/jobs/{job_id}/regenerations/{rid}", status_code=303)


@post("/review/jobs/{job_id:str}/questions/{question_id:str}/regenerate", include_in_schema=False)
async def review_regenerate(
    request: Request[Any, Any, Any], job_id: FromPath[str], question_id: FromPath[str], redis: NamedDependency[Redis]
) -> Response[Any]:
    """Regenerate one question (optional `type`): a small job; answers its status fragment."""
    form = dict(await request.form())
    return await anyio.to_thread.run_sync(_post, request, redis, job_id, question_id, form)


def _poll(request: Request[Any, Any, Any], redis: Redis, job_id: str, rid: str) -> Response[Any]:
    session = sessions.load_review_session(request, redis)
    if session is None:
        return to_login(request)
    try:
        exam_job = owned_job(redis, session.caller, job_id)
        small = regenerate.regeneration(redis, session.caller, exam_job, rid)
        qid = str(small.meta["regenerates"]["question"])
        view = jobview.views(redis, [small])[0]
        state = view["status"]
        if state == "finished":
            context = {**exam_context(redis, session, job_id), "focus": qid}
            if not is_htmx(request):
                return Redirect(f"/review/jobs/{job_id}#q-{qid}", status_code=303)
            headers = {"HX-Retarget": "#questions", "HX-Reswap": "innerHTML"}
            return Template(template_name="_review_questions.html", context=context, headers=headers)
        status = _status(job_id, qid, rid, state, str(view["error"] or "") if state in ("failed", "canceled") else "")
        if is_htmx(request):
            return Template(template_name=FRAGMENT, context=status)
        context = {**exam_context(redis, session, job_id), "pending": {qid: status}}
        return Template(template_name="review_exam.html", context=context)
    except HTTPException as refused:
        return refusal(refused)


@get("/review/jobs/{job_id:str}/regenerations/{regeneration_id:str}", include_in_schema=False)
async def review_regeneration(
    request: Request[Any, Any, Any],
    job_id: FromPath[str],
    regeneration_id: FromPath[str],
    redis: NamedDependency[Redis],
) -> Response[Any]:
    """How a regeneration stands: its fragment (htmx polls it), or the exam once it has finished."""
    return await anyio.to_thread.run_sync(_poll, request, redis, job_id, regeneration_id)


ROUTES = [review_regenerate, review_regeneration]
