"""API tokens: random, shown once, stored only as a SHA-256 digest, looked up by that digest.

A token is 32 random bytes, so a digest lookup is as safe as a constant-time comparison of the
token itself; the one token not in Redis (EXAMGEN_ADMIN_TOKEN) is compared with hmac.compare_digest.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import time
from dataclasses import dataclass

from redis import Redis

from examgen.core import fair, keys
from examgen.core.settings import get_settings

TOKEN_PREFIX = "eg_"
ENV_ADMIN_NAME = "admin"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")


class TokenError(ValueError):
    """A token command that cannot be done as asked."""


@dataclass(frozen=True)
class Caller:
    name: str
    admin: bool


def digest(token: str) -> str:
    """What a token is stored and looked up under."""
    return hashlib.sha256(token.encode()).hexdigest()


def is_env_admin(token: str) -> bool:
    env_token = get_settings().web.admin_token
    return bool(env_token) and hmac.compare_digest(token.encode(), str(env_token).encode())


def caller_from_record(raw: bytes | str) -> Caller:
    record = json.loads(raw)
    return Caller(str(record["name"]), bool(record["admin"]))


def create(connection: Redis, name: str, admin: bool = False, weight: int = 1) -> str:
    if not _NAME.match(name):
        raise TokenError("a token name is 1-64 letters, digits or _.@- and starts with a letter or digit")
    if name == ENV_ADMIN_NAME:
        raise TokenError(f"the name {ENV_ADMIN_NAME!r} is kept for EXAMGEN_ADMIN_TOKEN")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token_digest = digest(token)
    if not 1 <= weight <= fair.MAX_WEIGHT:
        raise TokenError(f"a weight is a whole number from 1 to {fair.MAX_WEIGHT}")
    record = json.dumps({"name": name, "admin": admin, "weight": weight, "created_at": int(time.time())})
    # HSETNX on the name makes two concurrent creates of one name fail instead of both winning.
    if not connection.hsetnx(keys.token_digest_by_name, name, token_digest):
        raise TokenError(f"a token named {name!r} exists; revoke it first")
    connection.hset(keys.tokens_by_digest, token_digest, record)
    fair.set_weight(connection, name, weight)
    return token


def revoke(connection: Redis, name: str) -> bool:
    stored = connection.hget(keys.token_digest_by_name, name)
    if stored is None:
        return False
    with connection.pipeline(transaction=True) as pipe:
        pipe.hdel(keys.tokens_by_digest, stored)
        pipe.hdel(keys.token_digest_by_name, name)
        pipe.hdel(keys.fair_weights, name)
        pipe.execute()
    return True


def list_tokens(connection: Redis) -> list[dict[str, object]]:
    records = [json.loads(raw) for raw in connection.hvals(keys.tokens_by_digest)]
    return sorted(records, key=lambda r: str(r["name"]))


def verify(connection: Redis, token: str) -> Caller | None:
    if not token:
        return None
    if is_env_admin(token):
        return Caller(ENV_ADMIN_NAME, True)
    raw = connection.hget(keys.tokens_by_digest, digest(token))
    return None if raw is None else caller_from_record(raw)
