"""rq-dashboard (a Flask app) mounted at /rq/ behind the dashboard's admin session.

rq-dashboard has no authentication of its own and changes state on plain requests (it even
requeues every failed job on a GET), so every request passes our guard first:
- an admin dashboard session is required (anonymous browsers are sent to the login page);
- a request that changes something (any method but GET/HEAD) must come from our own origin,
  which is what protects it from cross-site forgery: its jQuery posts carry no CSRF token, so
  no token-based CSRF middleware may sit in front of it;
- a GET or HEAD is refused when the route it reaches also takes POST: rq-dashboard's "requeue all"
  answers GET as well, and a cross-site link carries the SameSite=Lax cookie. The route is looked
  up in rq-dashboard's own URL map, so no spelling of the path (`//`, `/./`, `%2F`) slips past a
  string comparison.

Litestar hands a mount the path below the mount point (with a trailing slash added), while Flask
builds its links from SCRIPT_NAME: the scope is rebuilt with root_path=/rq so a2wsgi sets
SCRIPT_NAME=/rq and every link rq-dashboard draws keeps the prefix. The path is normalised once
(percent-decoded, empty and dot segments resolved) and that very path is what both the guard
checks and Flask routes, so the two can never disagree about where a request goes.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

import anyio
from a2wsgi import WSGIMiddleware
from litestar import Request, asgi
from litestar.types import Receive, Scope, Send
from redis import Redis
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RoutingException

from examgen.core.connection import connect
from examgen.core.settings import get_settings
from examgen.services.sessions import load_session

MOUNT = "/rq"
SAFE_METHODS = ("GET", "HEAD")


def make_rq_app() -> Any:
    """A Flask app serving rq-dashboard's blueprint at its root, reading REDIS_URL."""
    from rq_dashboard.cli import make_flask_app
    from rq_dashboard.web import setup_rq_connection

    app = make_flask_app(None, None, None, "")
    app.config["RQ_DASHBOARD_REDIS_URL"] = get_settings().redis.url
    # Polls every 2.5 s by default; the examgen dashboard is the live view, this is for digging in.
    app.config.setdefault("RQ_DASHBOARD_POLL_INTERVAL", 5000)
    # rq-dashboard makes its connections itself (redis_sentinel_url, at start and again on every
    # request for an /<instance>/ route), knowing neither our timeouts nor our Sentinel form:
    # hand it examgen's one client instead, so connection.py stays the only place that connects.
    import rq_dashboard.web as rq_web

    shared = connect()
    rq_web.from_url = lambda *args, **kwargs: (None, shared)
    setup_rq_connection(app)
    return app


async def _plain(send: Send, status: int, body: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    all_headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"cache-control", b"no-store"), *(headers or [])]
    await send({"type": "http.response.start", "status": status, "headers": all_headers})
    await send({"type": "http.response.body", "body": body.encode(), "more_body": False})


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return ""


def same_origin(scope: Scope) -> bool:
    """The request was sent by a page of this very host (Origin, else Referer, must match Host)."""
    host = _header(scope, b"host")
    source = _header(scope, b"origin") or _header(scope, b"referer")
    return bool(host) and bool(source) and source != "null" and urlsplit(source).netloc == host


def normalised(path: str) -> str:
    """The path with empty and dot segments resolved (never above the root); a trailing slash kept,
    because rq-dashboard's routes tell `/0/` from `/0`."""
    segments: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if segments:
                segments.pop()
        elif segment not in ("", "."):
            segments.append(segment)
    trailing = "/" if segments and path.endswith(("/", "/.", "/..")) else ""
    return "/" + "/".join(segments) + trailing


def mounted_scope(scope: Scope) -> Scope:
    """The scope as a WSGI app mounted at /rq expects it: root_path /rq and the full, normalised path."""
    root = str(scope.get("root_path", ""))
    raw = scope.get("raw_path")
    full = unquote(bytes(raw).decode("latin-1")) if raw else root + MOUNT + str(scope["path"])
    if root and full.startswith(root):
        full = full[len(root) :]
    rest = normalised(full[len(MOUNT) :])
    return {**scope, "root_path": root + MOUNT, "path": root + MOUNT + rest}  # type: ignore[return-value]


def route_changes_state(url_map: Any, path_info: str) -> bool:
    """True when a GET of path_info reaches a route that also answers POST (one that acts)."""
    try:
        rule, _ = url_map.bind("localhost").match(path_info, method="GET", return_rule=True)
    except (HTTPException, RoutingException):
        # 404, 405 or a redirect: Flask acts on none of them, and a redirect's target comes back here.
        return False
    return "POST" in (rule.methods or ())


def rq_mount() -> Any:
    flask_app = make_rq_app()
    wsgi = WSGIMiddleware(flask_app)

    @asgi(MOUNT, is_mount=True, include_in_schema=False, copy_scope=True)
    async def rq_dashboard(scope: Scope, receive: Receive, send: Send) -> None:
        fixed = mounted_scope(scope)
        method = str(scope.get("method", "GET"))
        request: Request[Any, Any, Any] = Request(scope, receive)
        redis: Redis = request.app.state.redis
        session = await anyio.to_thread.run_sync(load_session, request, redis)
        if session is None:
            if method in SAFE_METHODS:
                location = f"/dashboard/login?next={MOUNT}/".encode()
                await _plain(send, 303, "Log in to the dashboard first.", [(b"location", location)])
            else:
                await _plain(send, 401, "Your dashboard session has expired; log in again.")
            return
        path_info = str(fixed["path"])[len(str(fixed["root_path"])) :]
        if method not in SAFE_METHODS and not same_origin(scope):
            await _plain(send, 403, "Refused: this request did not come from the dashboard's own pages.")
            return
        if method in SAFE_METHODS and route_changes_state(flask_app.url_map, path_info):
            await _plain(
                send, 405, "This action needs POST (rq-dashboard's own buttons), not GET.", [(b"allow", b"POST")]
            )
            return
        await wsgi(fixed, receive, send)  # type: ignore[arg-type]

    return rq_dashboard
