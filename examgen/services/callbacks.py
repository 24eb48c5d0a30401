"""Webhooks: the `callback_url` of a job, checked at upload and again at each delivery, and how
its deliveries are signed and verified.

A callback URL is refused (422) unless its host is in EXAMGEN_CALLBACK_ALLOW, or it lies under a
URL-prefix entry there (same scheme, host and port, path on a segment boundary), and, even then,
when any address its host resolves to is private, loopback, link-local or otherwise not public,
unless that host is listed by name or address itself: a webhook must not become a way to reach
the service's own network. Only http(s), no userinfo.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import socket
import time
from typing import Any
from urllib.parse import unquote, urlsplit

from litestar.exceptions import ClientException
from redis import Redis

from examgen.core import keys
from examgen.core.settings import get_settings

MAX_URL = 2000
SIGNATURE_HEADER = "X-Examgen-Signature"


def _allow_list() -> list[str]:
    return [entry.strip() for entry in get_settings().web.callback_allow.split(",") if entry.strip()]


def _refuse(detail: str) -> ClientException:
    return ClientException(f"callback_url refused: {detail}", status_code=422)


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return ip.is_global and not ip.is_multicast


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def _under_prefix(url: str, entry: str) -> bool:
    """Whether `url` lies under the URL-prefix entry: scheme, host and port equal (a text prefix
    would let `https://hooks.example.com` admit `https://hooks.example.com.attacker.net/`), then
    the entry's path a prefix ending on a segment boundary (`/ci` admits `/ci/x`, never `/cix`)."""
    want, got = urlsplit(entry), urlsplit(url)
    try:
        want_port, got_port = want.port, got.port
    except ValueError:
        return False
    if not want.hostname or want.scheme.lower() != got.scheme.lower() or want.hostname != got.hostname:
        return False
    if (want_port or _default_port(want.scheme)) != (got_port or _default_port(got.scheme)):
        return False
    prefix, path = want.path or "/", got.path or "/"
    # `/ci/../admin` starts with `/ci/`, but a client or server that resolves dot segments sends
    # it to `/admin`: such a path is under no prefix.
    if any(segment in (".", "..") for segment in unquote(path).split("/")):
        return False
    return path == prefix or path.startswith(prefix if prefix.endswith("/") else prefix + "/")


def listed(url: str) -> bool:
    """Whether EXAMGEN_CALLBACK_ALLOW admits the URL: its host by name, or a URL-prefix entry."""
    allow = _allow_list()
    return urlsplit(url).hostname in allow or any("/" in entry and _under_prefix(url, entry) for entry in allow)


def check_url(url: str) -> str:
    """The callback URL if allowed; otherwise 422 saying why."""
    checked_addresses(url)
    return url


def checked_addresses(url: str) -> list[str]:
    """The addresses of an allowed callback URL's host, every one checked; otherwise 422 saying why.

    The sender connects only to these: a host whose DNS answer changes between the check and the
    connection (DNS rebinding) cannot steer a delivery to an address that was never checked.
    """
    host, port, by_host = admitted(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise _refuse("its host does not resolve.") from None
    return checked(infos, by_host)


def admitted(url: str) -> tuple[str, int, bool]:
    """The host and port an allowed callback URL names, and whether its host is listed by name
    or address itself (which admits a private address); otherwise 422 saying why. No DNS."""
    if len(url) > MAX_URL or any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise _refuse("it is too long or holds spaces or control characters.")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise _refuse("only http:// and https:// URLs are allowed.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise _refuse("a user name or password in the URL is not allowed.")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        raise _refuse("the port is not a number from 0 to 65535.") from None
    if not host:
        raise _refuse("the URL names no host.")
    if not listed(url):
        raise _refuse("its host is not in EXAMGEN_CALLBACK_ALLOW.")
    return host, port or _default_port(parts.scheme), host in _allow_list()


def checked(infos: list[Any], by_host: bool) -> list[str]:
    """The addresses of getaddrinfo's answer for an admitted host; 422 when one is not public and
    the host is not listed itself. Every address, not the first: the sender may use any of them."""
    if not by_host and not all(_public(str(info[4][0])) for info in infos):
        raise _refuse("its host resolves to a private, loopback or link-local address.")
    return [str(info[4][0]) for info in infos]


def require_secret(redis: Redis, owner: str) -> None:
    """422 unless the owner has a signing secret: every delivery is signed, none goes out bare."""
    if not redis.hexists(keys.callback_secrets, owner):
        raise _refuse(f"token {owner!r} has no signing secret; an admin runs `examgen token secret {owner}` first.")


def parse_callback(form: Any) -> dict[str, Any] | None:
    """The job meta for an upload's `callback_url` field, or None without one."""
    raw = form.get("callback_url")
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        raise _refuse("send it as a text field.")
    return {"callback": {"url": check_url(raw.strip()), "attempts": []}}


def new_secret(redis: Redis, owner: str) -> str:
    """A new signing secret for the owner's callbacks (the old one stops signing at once)."""
    secret = "whsec_" + secrets.token_urlsafe(32)
    redis.hset(keys.callback_secrets, owner, secret)
    return secret


def signature(secret: str, body: bytes, now: int | None = None) -> str:
    """`t=<unix>,v1=<hex HMAC-SHA256 of "<unix>." + body>`: the timestamp guards against replay."""
    stamp = int(time.time()) if now is None else now
    mac = hmac.new(secret.encode(), str(stamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={mac}"


def verify(secret: str, body: bytes, header: str, tolerance_s: int = 300, now: int | None = None) -> bool:
    """For receivers: True if `header` (X-Examgen-Signature) signs `body` with `secret` and its
    timestamp is within `tolerance_s` of now (an old delivery replayed is refused)."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    stamp, mac = fields.get("t", ""), fields.get("v1", "")
    if not (stamp.isascii() and stamp.isdigit()) or not mac:
        return False
    moment = int(time.time()) if now is None else now
    if abs(moment - int(stamp)) > tolerance_s:
        return False
    expected = signature(secret, body, int(stamp)).rsplit("v1=", 1)[1]
    return hmac.compare_digest(expected.encode(), mac.encode())
