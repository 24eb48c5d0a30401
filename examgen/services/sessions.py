"""Dashboard sessions, kept in Redis so every web process shares them, and their CSRF tokens.

The cookie holds a random 256-bit session id; Redis keeps the session under a SHA-256 of that id,
so reading Redis (a backup, `MONITOR`) does not hand out live cookies. CSRF tokens are HMACs of
the session id with the deployment's secret key: nothing to store, and every web process can check
them. The session also remembers the digest of the token that opened it, so revoking that token
ends its dashboard sessions at once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.datastructures import Cookie
from redis import Redis

from examgen.core import keys
from examgen.core.settings import get_settings
from examgen.services.tokens import Caller, caller_from_record, digest

SESSION_COOKIE = "examgen_session"
# Before login there is no session to tie a CSRF token to: a short-lived random nonce in its own
# cookie plays that part for the login form (double-submit, signed with the secret key).
LOGIN_COOKIE = "examgen_login"
LOGIN_TTL_S = 3600
_MAX_COOKIE_CHARS = 128


@dataclass(frozen=True)
class Session:
    caller: Caller
    csrf: str


def secret_key(redis: Redis) -> bytes:
    """EXAMGEN_SECRET_KEY, or a key generated once and shared through Redis by every web process."""
    configured = get_settings().web.secret_key
    if configured:
        return configured.encode()
    stored = redis.get(keys.secret_key)
    if not isinstance(stored, bytes):
        # SET NX, then read back: of two web processes racing here, both end up with the winner's key.
        redis.set(keys.secret_key, secrets.token_hex(32), nx=True)
        stored = redis.get(keys.secret_key)
    if not isinstance(stored, bytes):
        raise RuntimeError("the dashboard secret key vanished from Redis while being created")
    return stored


def _sign(redis: Redis, purpose: str, value: str) -> str:
    return hmac.new(secret_key(redis), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def is_https(request: Request[Any, Any, Any]) -> bool:
    """Behind a TLS-terminating proxy uvicorn (proxy headers on) reports https as the scheme."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def cookie(request: Request[Any, Any, Any], key: str, value: str, max_age: int, path: str = "/") -> Cookie:
    return Cookie(
        key=key,
        value=value,
        max_age=max_age,
        path=path,
        httponly=True,
        samesite="lax",
        secure=is_https(request),
    )


def create_session(redis: Redis, caller: Caller, token: str) -> tuple[str, str]:
    """Start a session; returns (session id for the cookie, CSRF token for forms)."""
    session_id = secrets.token_urlsafe(32)
    record = {"name": caller.name, "admin": caller.admin, "token": digest(token), "created": int(time.time())}
    redis.set(keys.session(digest(session_id)), json.dumps(record), ex=keys.session_ttl_s)
    return session_id, _sign(redis, "csrf", session_id)


def login_cookies(
    request: Request[Any, Any, Any], redis: Redis, caller: Caller, token: str, login_path: str
) -> list[Cookie]:
    """Start a session after a login form: its cookie, and that form's nonce cookie cleared."""
    session_id, _ = create_session(redis, caller, token)
    gone = Cookie(key=LOGIN_COOKIE, value="", max_age=0, path=login_path)
    return [cookie(request, SESSION_COOKIE, session_id, keys.session_ttl_s), gone]


def _session_id(request: Request[Any, Any, Any]) -> str | None:
    session_id = request.cookies.get(SESSION_COOKIE)
    if not session_id or len(session_id) > _MAX_COOKIE_CHARS:
        return None
    return session_id


def _token_still_admin(redis: Redis, token_digest: str) -> bool:
    env_token = get_settings().web.admin_token
    if env_token and hmac.compare_digest(token_digest, digest(env_token)):
        return True
    raw = redis.hget(keys.tokens_by_digest, token_digest)
    return raw is not None and bool(json.loads(raw).get("admin"))


def _live_session(request: Request[Any, Any, Any], redis: Redis) -> tuple[str, Caller] | None:
    """(session id, caller) for a live admin session whose token has not been revoked."""
    session_id = _session_id(request)
    if session_id is None:
        return None
    raw = redis.get(keys.session(digest(session_id)))
    if raw is None:
        return None
    data = json.loads(raw)
    if not data.get("admin") or not _token_still_admin(redis, str(data.get("token", ""))):
        return None
    return session_id, Caller(str(data["name"]), True)


def load_session(request: Request[Any, Any, Any], redis: Redis) -> Session | None:
    """The request's admin session with its CSRF token, for pages and forms."""
    live = _live_session(request, redis)
    if live is None:
        return None
    session_id, caller = live
    return Session(caller, _sign(redis, "csrf", session_id))


def _review_session(request: Request[Any, Any, Any], redis: Redis) -> tuple[str, Caller] | None:
    """(session id, caller) for any live session whose token still works, admin or not: the review
    pages (/review) let every token's owner in. The caller's rights are the token's as of now."""
    session_id = _session_id(request)
    raw = redis.get(keys.session(digest(session_id))) if session_id else None
    if session_id is None or raw is None:
        return None
    data = json.loads(raw)
    token_digest = str(data.get("token", ""))
    env_token = get_settings().web.admin_token
    if env_token and hmac.compare_digest(token_digest, digest(env_token)):
        return session_id, Caller(str(data["name"]), True)
    record = redis.hget(keys.tokens_by_digest, token_digest)
    if record is None:
        return None
    return session_id, caller_from_record(record)


def load_review_session(request: Request[Any, Any, Any], redis: Redis) -> Session | None:
    """The request's session for the review pages (any token's owner) with its CSRF token."""
    live = _review_session(request, redis)
    return Session(live[1], _sign(redis, "csrf", live[0])) if live is not None else None


def caller_from_session(request: Request[Any, Any, Any], redis: Redis) -> Caller | None:
    """Used by examgen.web.auth.resolve_caller when no bearer token comes along (every poll: no signing).
    An owner's review session reads as its own token would (their exports); admin pages still check admin."""
    live = _live_session(request, redis) or _review_session(request, redis)
    return live[1] if live is not None else None


def csrf_ok(session: Session, submitted: object) -> bool:
    return isinstance(submitted, str) and hmac.compare_digest(session.csrf, submitted)


def end_session(request: Request[Any, Any, Any], redis: Redis) -> None:
    session_id = _session_id(request)
    if session_id:
        redis.delete(keys.session(digest(session_id)))


def new_login_nonce() -> str:
    return secrets.token_urlsafe(24)


def login_csrf(redis: Redis, nonce: str) -> str:
    return _sign(redis, "login", nonce)


def login_csrf_ok(request: Request[Any, Any, Any], redis: Redis, submitted: object) -> bool:
    nonce = request.cookies.get(LOGIN_COOKIE)
    if not nonce or len(nonce) > _MAX_COOKIE_CHARS or not isinstance(submitted, str):
        return False
    return hmac.compare_digest(login_csrf(redis, nonce), submitted)
