"""One webhook POST: the URL checked again, the connection made only to a checked address.

The URL was allowed at upload, but the allow-list or the host's DNS may have changed since; a URL
refused now is a failed attempt that is not retried. Redirects are never followed (a redirect
could point anywhere the allow-list refuses), and every phase has a bounded timeout.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx
from litestar.exceptions import HTTPException

from examgen.services import callbacks


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None
    refused: bool = False
    """The URL is not allowed now: no retry can succeed."""
    duration_ms: int = 0

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _pinned(url: str, address: str) -> tuple[str, str, str]:
    """The URL with its host replaced by `address`, the Host header, and the name TLS checks."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    literal = f"[{address}]" if ":" in address else address
    netloc = f"{literal}:{parts.port}" if parts.port is not None else literal
    host_header = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")), host_header, host


def post(url: str, body: bytes, headers: dict[str, str], timeout_s: float) -> Outcome:
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        addresses = callbacks.checked_addresses(url)
    except HTTPException as exc:
        return Outcome(None, str(exc.detail), refused=True, duration_ms=took())
    target, host_header, tls_name = _pinned(url, addresses[0])
    extensions = {"sni_hostname": tls_name} if url.startswith("https:") else {}
    try:
        # trust_env=False: a proxy from the environment would connect to the unchecked name itself.
        with (
            httpx.Client(timeout=httpx.Timeout(timeout_s), follow_redirects=False, trust_env=False) as client,
            client.stream(
                "POST", target, content=body, headers={**headers, "Host": host_header}, extensions=extensions
            ) as response,
        ):
            # The answer's body is never read: only its status counts, and a huge one costs nothing.
            code = response.status_code
    except httpx.TimeoutException as exc:
        return Outcome(None, f"timed out ({type(exc).__name__})", duration_ms=took())
    except httpx.HTTPError as exc:
        return Outcome(None, f"{type(exc).__name__}: {exc}"[:300], duration_ms=took())
    error = None if 200 <= code < 300 else f"answered {code}"
    return Outcome(code, error, duration_ms=took())
