"""The full pages: the dashboard itself, logging in with an admin token, logging out."""

from __future__ import annotations

import re
from typing import Any

import anyio
from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from redis import Redis

from examgen.dashboard.charts import RANGES
from examgen.dashboard.fragments import charts_context, status_context
from examgen.dashboard.jobs import acting_session, filter_of, jobs_context
from examgen.dashboard.search import BadFilter
from examgen.services import sessions, tokens
from examgen.services import status as queue_status

# Where a login may send the browser next: our own pages only, never another host.
_SAFE_NEXT = re.compile(r"^/(dashboard|rq)(/[A-Za-z0-9_./?=&#%-]*)?$")


def safe_next(value: object) -> str:
    if isinstance(value, str) and _SAFE_NEXT.match(value) and "//" not in value and ".." not in value:
        return value
    return "/dashboard"


def login_redirect(request: Request[Any, Any, Any]) -> Redirect:
    return Redirect(f"/dashboard/login?next={request.url.path}", status_code=303)


def _dashboard(request: Request[Any, Any, Any], redis: Redis) -> Response[Any]:
    session = sessions.load_session(request, redis)
    if session is None:
        return login_redirect(request)
    try:
        job_filter = filter_of(request)
    except BadFilter as bad:  # a hand-edited or stale address: say what is wrong, never a 500
        return Template(template_name="bad_request.html", context={"detail": bad.detail}, status_code=400)
    status = queue_status.read(redis)
    context = {
        **status_context(redis, status),
        **charts_context(redis, "hour"),
        **jobs_context(redis, session, job_filter=job_filter),
        "caller": session.caller,
        "ranges": list(RANGES),
    }
    return Template(template_name="dashboard.html", context=context)


@get("/dashboard", include_in_schema=False)
async def dashboard(request: Request[Any, Any, Any], redis: NamedDependency[Redis]) -> Response[Any]:
    """The live dashboard (admin session); anyone else is sent to the login page."""
    return await anyio.to_thread.run_sync(_dashboard, request, redis)


def _login_page(
    request: Request[Any, Any, Any], redis: Redis, message: str = "", status: int = 200, next_url: str = "/dashboard"
) -> Template:
    nonce = sessions.new_login_nonce()
    context = {"csrf": sessions.login_csrf(redis, nonce), "message": message, "next": next_url}
    cookie = sessions.cookie(request, sessions.LOGIN_COOKIE, nonce, sessions.LOGIN_TTL_S, path="/dashboard/login")
    return Template(template_name="login.html", context=context, status_code=status, cookies=[cookie])


@get("/dashboard/login", sync_to_thread=True, include_in_schema=False)
def login_form(
    request: Request[Any, Any, Any], redis: NamedDependency[Redis], next: FromQuery[str] = "/dashboard"
) -> Template:
    """The login form: paste an admin token."""
    return _login_page(request, redis, next_url=safe_next(next))


def _login(request: Request[Any, Any, Any], redis: Redis, form: dict[str, Any]) -> Response[Any]:
    next_url = safe_next(form.get("next"))
    if not sessions.login_csrf_ok(request, redis, form.get("csrf")):
        return _login_page(request, redis, "The form expired or was not sent from this page; try again.", 403, next_url)
    token = form.get("token")
    caller = tokens.verify(redis, token.strip()) if isinstance(token, str) else None
    if caller is None:
        return _login_page(request, redis, "That token is unknown or has been revoked.", 401, next_url)
    if not caller.admin:
        message = "That token is not an admin token: the dashboard is for admins (examgen token create NAME --admin)."
        return _login_page(request, redis, message, 403, next_url)
    cookies = sessions.login_cookies(request, redis, caller, str(token).strip(), "/dashboard/login")
    return Redirect(next_url, status_code=303, cookies=cookies)


@post("/dashboard/login", include_in_schema=False)
async def login(request: Request[Any, Any, Any], redis: NamedDependency[Redis]) -> Response[Any]:
    """Check the admin token and start a session (cookie: HttpOnly, SameSite=Lax, Secure over HTTPS)."""
    form = dict(await request.form())
    return await anyio.to_thread.run_sync(_login, request, redis, form)


def _logout(request: Request[Any, Any, Any], redis: Redis, form: dict[str, Any]) -> Response[Any]:
    acting_session(request, redis, form.get("csrf"))
    sessions.end_session(request, redis)
    gone = Cookie(key=sessions.SESSION_COOKIE, value="", max_age=0, path="/", httponly=True, samesite="lax")
    return Redirect("/dashboard/login", status_code=303, cookies=[gone])


@post("/dashboard/logout", include_in_schema=False)
async def logout(request: Request[Any, Any, Any], redis: NamedDependency[Redis]) -> Response[Any]:
    """End the session (a form post with the CSRF token)."""
    form = dict(await request.form())
    return await anyio.to_thread.run_sync(_logout, request, redis, form)
