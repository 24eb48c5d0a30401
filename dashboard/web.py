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

from examgen.dashboard import bulk, fragments, jobs, pages, rerun, review, review_actions, review_regen
from examgen.dashboard.rq_mount import rq_mount
from examgen.web.forms import MalformedForm
from examgen.web.headers import secure_headers

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"
# htmx comes from npm (dashboard/package.json), never from a CDN: a built package carries the copy
# that setup.py put into vendor/ at build time; a checkout serves it from node_modules (`make`).
HTMX_VENDOR = HERE / "vendor"
HTMX_DIST = HERE / "node_modules" / "htmx.org" / "dist"
log = logging.getLogger("examgen.dashboard")


def malformed_form_page(request: Request[Any, Any, Any], exc: MalformedForm) -> Response[Any]:
    """A person's browser gets a page saying what was wrong, not the API's JSON."""
    return secure_headers(Template(template_name="bad_request.html", context={"detail": exc.detail}, status_code=400))


def route_handlers() -> list[Any]:
    """What create_app registers for the dashboard."""
    htmx_dir = HTMX_VENDOR if (HTMX_VENDOR / "htmx.min.js").is_file() else HTMX_DIST
    if not (htmx_dir / "htmx.min.js").is_file():
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
            bulk.bulk_jobs,
            rerun.rerun_page,
            rerun.rerun_job,
            *review.ROUTES,
            *review_actions.ROUTES,
            *review_regen.ROUTES,
        ],
        after_request=secure_headers,
        exception_handlers={RedisError: fragments.unavailable_fragment, MalformedForm: malformed_form_page},
        include_in_schema=False,
    )
    static = create_static_files_router(
        path="/static",
        directories=[STATIC, htmx_dir],
        cache_control=CacheControlHeader(max_age=3600),
    )
    return [dashboard, static, rq_mount()]
