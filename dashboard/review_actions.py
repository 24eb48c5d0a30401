"""The review page's forms: edit, accept or reject one question; move one up or down.

Each is a plain form post (CSRF token inside) that works without script, answered with a redirect
back to the question; with htmx the questions fragment comes back instead. A refused edit is shown
in the page beside its form, with what was typed kept: 422 for the full page, and 200 for htmx,
which swaps only 2xx answers.
"""

from __future__ import annotations

from typing import Any

import anyio
from litestar import Request, Response, post
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from redis import Redis

from examgen.dashboard.review import exam_context, refusal, to_login
from examgen.services import revisions, sessions
from examgen.services.jobs import owned_job
from examgen.services.sessions import Session
from examgen.web.fragments import is_htmx

_MOVES = {"up": -1, "down": 1}


def form_edit(kind: str, form: dict[str, Any]) -> dict[str, Any]:
    """The edit form's fields as the API's edit (revisions.edited_question checks them)."""
    action = form.get("action")
    if action in ("accept", "reject"):
        return {revisions.STATUS: f"{action}ed"}
    edit: dict[str, Any] = {"prompt": form.get("prompt", ""), "explanation": form.get("explanation") or None}
    answer = form.get("answer", "")
    if kind == "true_false":
        # A select gives "true" or "false"; anything else stays text, which the check refuses.
        edit["answer"] = {"true": True, "false": False}.get(str(answer), answer)
    else:
        edit["answer"] = answer
    if kind == "mcq":
        lines = str(form.get("options", "")).splitlines()
        edit["options"] = [line for line in lines if line.strip()]
    return edit


def acting_session(
    request: Request[Any, Any, Any], redis: Redis, form: dict[str, Any]
) -> Session | HTTPException | None:
    session = sessions.load_review_session(request, redis)
    if session is not None and not sessions.csrf_ok(session, form.get("csrf")):
        return HTTPException(status_code=403, detail="The form's security token is missing or stale; reload the page.")
    return session


def _answer(
    request: Request[Any, Any, Any],
    redis: Redis,
    session: Session,
    job_id: str,
    anchor: str,
    refused: HTTPException | None,
    draft: dict[str, Any],
) -> Response[Any]:
    if refused is not None and refused.status_code != 422 and not is_htmx(request):
        return refusal(refused)
    error = refused.detail if refused is not None else ""
    context = {**exam_context(redis, session, job_id, anchor if refused else "", error), "draft": draft}
    if is_htmx(request):
        return Template(template_name="_review_questions.html", context=context)
    if refused is not None:
        return Template(template_name="review_exam.html", context=context, status_code=422)
    return Redirect(f"/review/jobs/{job_id}#q-{anchor}", status_code=303)


def _edit(request: Request[Any, Any, Any], redis: Redis, job_id: str, qid: str, form: dict[str, Any]) -> Response[Any]:
    session = acting_session(request, redis, form)
    if session is None:
        return to_login(request)
    if isinstance(session, HTTPException):
        return refusal(session)
    draft: dict[str, Any] = {}
    try:
        job = owned_job(redis, session.caller, job_id)
        latest = revisions.revision(redis, job).exam.questions
        kind = next((q.type for q in latest if q.id == qid), "")
        edit = form_edit(kind, form)
        draft = {**edit, "options": edit.get("options") or []}
        revisions.edit_question(redis, job, session.caller, qid, edit)
    except HTTPException as refused:
        try:
            return _answer(request, redis, session, job_id, qid, refused, draft)
        except HTTPException as gone:  # the job itself is not the caller's, or not finished
            return refusal(gone)
    return _answer(request, redis, session, job_id, qid, None, {})


@post("/review/jobs/{job_id:str}/questions/{question_id:str}", include_in_schema=False)
async def review_edit(
    request: Request[Any, Any, Any], job_id: FromPath[str], question_id: FromPath[str], redis: NamedDependency[Redis]
) -> Response[Any]:
    """Edit (action=save), accept or reject one question: a new revision."""
    form = dict(await request.form())
    return await anyio.to_thread.run_sync(_edit, request, redis, job_id, question_id, form)


def _move(request: Request[Any, Any, Any], redis: Redis, job_id: str, form: dict[str, Any]) -> Response[Any]:
    session = acting_session(request, redis, form)
    if session is None:
        return to_login(request)
    if isinstance(session, HTTPException):
        return refusal(session)
    qid, step = str(form.get("question", "")), _MOVES.get(str(form.get("move")), 0)
    try:
        job = owned_job(redis, session.caller, job_id)
        order = [q.id for q in revisions.revision(redis, job).exam.questions]
        if qid in order:
            at = order.index(qid)
            other = min(max(at + step, 0), len(order) - 1)
            order[at], order[other] = order[other], order[at]
        revisions.reorder(redis, job, session.caller, order)
    except HTTPException as refused:
        return refusal(refused)
    return _answer(request, redis, session, job_id, qid, None, {})


@post("/review/jobs/{job_id:str}/order", include_in_schema=False)
async def review_move(
    request: Request[Any, Any, Any], job_id: FromPath[str], redis: NamedDependency[Redis]
) -> Response[Any]:
    """Move one question up or down (question=<id>, move=up|down): a new revision."""
    form = dict(await request.form())
    return await anyio.to_thread.run_sync(_move, request, redis, job_id, form)


ROUTES = [review_edit, review_move]
