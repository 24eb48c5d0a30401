"""The review pages at /review: any token's owner logs in, sees their own jobs (admins: everyone's)
and reviews an exam question by question. The revision logic is examgen.services.revisions, the
same code the API's PATCH and POST use; these handlers only turn forms into its edits.

An owner's session opens these pages only: /dashboard, its fragments and /rq/ check for an admin
session (examgen.services.sessions.load_session), which an owner's session never is.
"""

from __future__ import annotations

import re
from typing import Any

import anyio
from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from redis import Redis

from examgen.core import keys
from examgen.dashboard import format
from examgen.services import jobview, revisions, sessions, tokens
from examgen.services.jobs import owned_job
from examgen.services.sessions import Session
from examgen.web.fragments import is_htmx

LOGIN = "/review/login"
LISTED_JOBS = 50
_SAFE_NEXT = re.compile(r"^/review(/[A-Za-z0-9_/-]*)?$")


def _safe_next(value: object) -> str:
    return value if isinstance(value, str) and _SAFE_NEXT.match(value) and "//" not in value else "/review"


def to_login(request: Request[Any, Any, Any]) -> Response[Any]:
    target = f"{LOGIN}?next={request.url.path}"
    if is_htmx(request):  # htmx swaps no 3xx page: it follows this header instead
        return Response("", status_code=200, headers={"HX-Redirect": target})
    return Redirect(target, status_code=303)


def refusal(refused: HTTPException) -> Template:
    return Template(
        template_name="review_error.html", context={"detail": refused.detail}, status_code=refused.status_code
    )


def _login_page(request: Request[Any, Any, Any], redis: Redis, message: str, status: int, next_url: str) -> Template:
    nonce = sessions.new_login_nonce()
    context: dict[str, Any] = {"csrf": sessions.login_csrf(redis, nonce), "message": message, "next": next_url}
    context.update(review=True, layout="review_base.html")
    cookie = sessions.cookie(request, sessions.LOGIN_COOKIE, nonce, sessions.LOGIN_TTL_S, path=LOGIN)
    return Template(template_name="login.html", context=context, status_code=status, cookies=[cookie])


@get(LOGIN, sync_to_thread=True, include_in_schema=False)
def review_login_form(
    request: Request[Any, Any, Any], redis: NamedDependency[Redis], next: FromQuery[str] = "/review"
) -> Template:
    """The owners' login form: paste your own API token."""
    return _login_page(request, redis, "", 200, _safe_next(next))


def _login(request: Request[Any, Any, Any], redis: Redis, form: dict[str, Any]) -> Response[Any]:
    next_url = _safe_next(form.get("next"))
    if not sessions.login_csrf_ok(request, redis, form.get("csrf")):
        return _login_page(request, redis, "The form expired or was not sent from this page; try again.", 403, next_url)
    token = form.get("token")
    caller = tokens.verify(redis, token.strip()) if isinstance(token, str) else None
    if caller is None:
        return _login_page(request, redis, "That token is unknown or has been revoked.", 401, next_url)
    cookies = sessions.login_cookies(request, redis, caller, str(token).strip(), LOGIN)
    return Redirect(next_url, status_code=303, cookies=cookies)


@post(LOGIN, include_in_schema=False)
async def review_login(request: Request[Any, Any, Any], redis: NamedDependency[Redis]) -> Response[Any]:
    """Check the token (any valid one) and start a session."""
    form = dict(await request.form())
    return await anyio.to_thread.run_sync(_login, request, redis, form)


def _logout(request: Request[Any, Any, Any], redis: Redis, form: dict[str, Any]) -> Response[Any]:
    session = sessions.load_review_session(request, redis)
    if session is not None and sessions.csrf_ok(session, form.get("csrf")):
        sessions.end_session(request, redis)
    gone = Cookie(key=sessions.SESSION_COOKIE, value="", max_age=0, path="/", httponly=True, samesite="lax")
    return Redirect(LOGIN, status_code=303, cookies=[gone])


@post("/review/logout", include_in_schema=False)
async def review_logout(request: Request[Any, Any, Any], redis: NamedDependency[Redis]) -> Response[Any]:
    """End the session (a form post with the CSRF token)."""
    form = dict(await request.form())
    return await anyio.to_thread.run_sync(_logout, request, redis, form)


def _jobs(request: Request[Any, Any, Any], redis: Redis) -> Response[Any]:
    session = sessions.load_review_session(request, redis)
    if session is None:
        return to_login(request)
    caller = session.caller
    index = keys.all_jobs if caller.admin else keys.owner_jobs(caller.name)
    jobs = jobview.newest_jobs(redis, index, LISTED_JOBS)
    rows = [
        {**view, "owner": (job.meta or {}).get("owner") or "—", "created": format.clock(view["created_at"])}
        for job, view in zip(jobs, jobview.views(redis, jobs), strict=True)
    ]
    context = {"jobs": rows, "caller": caller, "csrf": session.csrf, "limit": LISTED_JOBS}
    return Template(template_name="review_jobs.html", context=context)


@get("/review", include_in_schema=False)
async def review_jobs(request: Request[Any, Any, Any], redis: NamedDependency[Redis]) -> Response[Any]:
    """The caller's jobs (admins: everyone's), newest first, each finished one with a Review link."""
    return await anyio.to_thread.run_sync(_jobs, request, redis)


def exam_context(redis: Redis, session: Session, job_id: str, error_for: str = "", error: str = "") -> dict[str, Any]:
    """Everything the exam page and its questions fragment show: the latest revision, its history."""
    job = owned_job(redis, session.caller, job_id)
    latest = revisions.revision(redis, job)
    return {
        "job": jobview.views(redis, [job])[0],
        "revision": latest,
        "history": revisions.history(redis, job),
        "questions": latest.exam.questions,
        "csrf": session.csrf,
        "caller": session.caller,
        "error_for": error_for,
        "error": error,
        "draft": {},
    }


def _exam(request: Request[Any, Any, Any], redis: Redis, job_id: str) -> Response[Any]:
    session = sessions.load_review_session(request, redis)
    if session is None:
        return to_login(request)
    try:
        return Template(template_name="review_exam.html", context=exam_context(redis, session, job_id))
    except HTTPException as refused:
        return refusal(refused)


@get("/review/jobs/{job_id:str}", include_in_schema=False)
async def review_exam(
    request: Request[Any, Any, Any], job_id: FromPath[str], redis: NamedDependency[Redis]
) -> Response[Any]:
    """One exam, question by question: accept, reject, edit, move (review_actions.py)."""
    return await anyio.to_thread.run_sync(_exam, request, redis, job_id)


ROUTES = [review_login_form, review_login, review_logout, review_jobs, review_exam]
