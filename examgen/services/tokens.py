"""API tokens: random, shown once, stored only as a SHA-256 digest, looked up by that digest.

A token is 32 random bytes, so a digest lookup is as safe as a constant-time comparison of the
token itself; the one token not in Redis (EXAMGEN_ADMIN_TOKEN) is compared with hmac.compare_digest.

A submission checks its token inside the script that writes the job (examgen.core.lua SUBMIT),
against the stored record itself. So a web process may remember the records of tokens it has
verified (`recall`) and skip its own lookup before a submission: a token revoked or changed since
is still refused at the moment of the write (`confirm` is the lookup, for the paths that read or
write anything before that script runs).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from litestar.exceptions import NotAuthorizedException
from redis import Redis

from examgen.core import fair, keys
from examgen.core.settings import get_settings

TOKEN_PREFIX = "eg_"
ENV_ADMIN_NAME = "admin"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")


class TokenError(ValueError):
    """A token command that cannot be done as asked."""


# Records of tokens this process has verified, newest last; a bounded number (LRU).
RECALLED_TOKENS = 1024
_recalled: OrderedDict[str, str] = OrderedDict()
# The event loop and the worker threads (`confirm`) both change it.
_recalled_lock = threading.Lock()


@dataclass(frozen=True)
class Caller:
    name: str
    admin: bool
    digest: str | None = field(default=None, compare=False)
    """For a token stored in Redis: its digest and the record it was read as (what SUBMIT checks)."""
    record: str | None = field(default=None, compare=False)

    @property
    def proof(self) -> tuple[str, str] | None:
        """(digest, record) for the submission script to check, or None (nothing stored to check)."""
        return (self.digest, self.record) if self.digest is not None and self.record is not None else None


def digest(token: str) -> str:
    """What a token is stored and looked up under."""
    return hashlib.sha256(token.encode()).hexdigest()


def is_env_admin(token: str) -> bool:
    env_token = get_settings().web.admin_token
    return bool(env_token) and hmac.compare_digest(token.encode(), str(env_token).encode())


def caller_from_record(raw: bytes | str, token_digest: str | None = None) -> Caller:
    text = raw.decode() if isinstance(raw, bytes) else raw
    record = json.loads(text)
    caller = Caller(str(record["name"]), bool(record["admin"]), token_digest, text)
    if token_digest is not None:
        remember(token_digest, text)
    return caller


def unknown_token() -> NotAuthorizedException:
    return NotAuthorizedException("Unknown or revoked token.", headers={"WWW-Authenticate": "Bearer"})


def remember(token_digest: str, record: str) -> None:
    with _recalled_lock:
        _recalled.pop(token_digest, None)
        _recalled[token_digest] = record
        while len(_recalled) > RECALLED_TOKENS:
            _recalled.popitem(last=False)


def recall(token: str) -> Caller | None:
    """The caller of a token this process verified before, from memory: only for a submission,
    whose script checks the record again (see the module's docstring)."""
    token_digest = digest(token)
    with _recalled_lock:
        record = _recalled.get(token_digest)
    return None if record is None else caller_from_record(record, token_digest)


def forget(token_digest: str) -> None:
    with _recalled_lock:
        _recalled.pop(token_digest, None)


def confirm(connection: Redis, caller: Caller) -> Caller | None:
    """The caller as Redis holds its token now (None: revoked); a caller without one is as it is."""
    if caller.digest is None:
        return caller
    forget(caller.digest)
    raw = connection.hget(keys.tokens_by_digest, caller.digest)
    return None if raw is None else caller_from_record(raw, caller.digest)


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
    token_digest = digest(token)
    raw = connection.hget(keys.tokens_by_digest, token_digest)
    return None if raw is None else caller_from_record(raw, token_digest)
