"""Dashboard sessions, kept in Redis so every web process shares them."""

from __future__ import annotations

import json
import secrets
from typing import Any

from litestar import Request
from redis import Redis

from api.tokens import Caller
from worker import keys

SESSION_COOKIE = "examgen_session"


def create_session(redis: Redis, caller: Caller) -> tuple[str, str]:
    """Start a session; returns (session id for the cookie, CSRF token for forms)."""
    session_id = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    redis.set(
        keys.session(session_id),
        json.dumps({"name": caller.name, "admin": caller.admin, "csrf": csrf}),
        ex=keys.session_ttl_s,
    )
    return session_id, csrf


def load_session(request: Request[Any, Any, Any], redis: Redis) -> dict[str, object] | None:
    session_id = request.cookies.get(SESSION_COOKIE)
    if not session_id or len(session_id) > 128:
        return None
    raw = redis.get(keys.session(session_id))
    if raw is None:
        return None
    data: dict[str, object] = json.loads(raw)
    return data


def caller_from_session(request: Request[Any, Any, Any], redis: Redis) -> Caller | None:
    data = load_session(request, redis)
    if data is None or not data.get("admin"):
        return None
    return Caller(str(data["name"]), True)


def end_session(request: Request[Any, Any, Any], redis: Redis) -> None:
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        redis.delete(keys.session(session_id))
