"""Everything the dashboard adds to the app: its routes, /static/ (with htmx from npm) and /rq/."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from litestar import Request, Response, Router
from litestar.datastructures import CacheControlHeader
from litestar.response import Template
from litestar.static_files import create_static_files_router
from redis.exceptions import RedisError

from api.forms import MalformedForm
from dashboard import fragments, jobs, pages, rerun
from dashboard.rq_mount import rq_mount

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
# htmx comes from npm (dashboard/package.json, installed by `make`), never from a CDN.
HTMX_DIST = HERE / "node_modules" / "htmx.org" / "dist"
log = logging.getLogger("examgen.dashboard")

# Only this host's scripts, styles and requests: no inline script, no CDN, no framing.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    # Pages carry CSRF tokens and live numbers: never cached, never replayed from a shared cache.
    "Cache-Control": "no-store",
}


def secure_headers(response: Response[Any]) -> Response[Any]:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def malformed_form_page(request: Request[Any, Any, Any], exc: MalformedForm) -> Response[Any]:
    """A person's browser gets a page saying what was wrong, not the API's JSON."""
    return secure_headers(Template(template_name="bad_request.html", context={"detail": exc.detail}, status_code=400))


def route_handlers() -> list[Any]:
    """What create_app registers for the dashboard."""
    if not (HTMX_DIST / "htmx.min.js").is_file():
        log.warning("htmx is not installed (run `make` or `cd dashboard && npm ci`): the dashboard will not refresh")
    dashboard = Router(
        path="/",
        route_handlers=[
            pages.dashboard,
            pages.login_form,
            pages.login,
            pages.logout,
            fragments.charts_fragment,
            jobs.jobs_fragment,
            jobs.cancel_job,
            rerun.rerun_page,
            rerun.rerun_job,
        ],
        after_request=secure_headers,
        exception_handlers={RedisError: fragments.unavailable_fragment, MalformedForm: malformed_form_page},
        include_in_schema=False,
    )
    static = create_static_files_router(
        path="/static",
        directories=[STATIC, HTMX_DIST],
        cache_control=CacheControlHeader(max_age=3600),
    )
    return [dashboard, static, rq_mount()]
