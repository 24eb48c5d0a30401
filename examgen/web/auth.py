"""Who is calling: a bearer token, or (for the dashboard's fragments) an admin's session."""

from __future__ import annotations

from typing import Any

import anyio
from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.exceptions import ClientException, NotAuthorizedException, PermissionDeniedException
from redis import Redis
from redis.asyncio import Redis as AsyncRedis

from examgen.core import keys
from examgen.services import tokens
from examgen.services.sessions import caller_from_session
from examgen.services.tokens import Caller, unknown_token

SAFE_METHODS = frozenset({"GET", "HEAD"})


def bearer_token(request: Request[Any, Any, Any]) -> str | None:
    values = request.headers.getall("authorization", [])
    # Proxies and servers disagree on which of several to use, so guessing could act as the wrong
    # caller. Some join repeated headers with commas, which no credential contains (RFC 9110 token68).
    if len(values) > 1 or any("," in value for value in values):
        raise ClientException("Send one Authorization header, not several.")
    header = values[0] if values else ""
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def resolve_caller(request: Request[Any, Any, Any], redis: NamedDependency[Redis]) -> Caller:
    """The `caller` dependency: 401 unless a valid token (or dashboard session) comes along."""
    token = bearer_token(request)
    if token is not None:
        caller = tokens.verify(redis, token)
        if caller is None:
            raise unknown_token()
        return caller
    # A session cookie rides along with any request the browser makes, so it only opens reads: every
    # change the dashboard makes is a form of its own with a CSRF token (dashboard/jobs.py).
    session_caller = caller_from_session(request, redis) if request.method in SAFE_METHODS else None
    if session_caller is not None:
        return session_caller
    raise NotAuthorizedException(
        "Missing bearer token: send `Authorization: Bearer <token>`.", headers={"WWW-Authenticate": "Bearer"}
    )


async def resolve_caller_async(
    request: Request[Any, Any, Any], redis: NamedDependency[Redis], aredis: NamedDependency[AsyncRedis]
) -> Caller:
    """The `caller` dependency. A bearer token (every API call) is checked on the event loop; only
    the dashboard's session path, a few requests a minute, goes through a worker thread."""
    token = bearer_token(request)
    if token is None:
        return await anyio.to_thread.run_sync(resolve_caller, request, redis)
    if tokens.is_env_admin(token):
        return Caller(tokens.ENV_ADMIN_NAME, True)
    token_digest = tokens.digest(token)
    raw = await aredis.hget(keys.tokens_by_digest, token_digest)
    if raw is None:
        raise unknown_token()
    return tokens.caller_from_record(raw, token_digest)


async def resolve_submitter_async(request: Request[Any, Any, Any], state: State) -> Caller:
    """The `caller` of POST /generate: a token this process has verified before is taken from
    memory, because the submission's own script checks its record against Redis as it writes the
    job (examgen.services.tokens). That saves a round trip on every submission but the first.

    It takes the clients from the app state rather than as the `redis` and `aredis` dependencies:
    Litestar resolves two dependencies of one level in a task group, a cost on every request."""
    token = bearer_token(request)
    if token is not None and not tokens.is_env_admin(token):
        recalled = tokens.recall(token)
        if recalled is not None:
            return recalled
    return await resolve_caller_async(request, state.redis, state.aredis)


def require_admin(caller: Caller) -> Caller:
    if not caller.admin:
        raise PermissionDeniedException("This needs an admin token.")
    return caller
