"""One webhook POST: the URL checked again, the connection made only to a checked address, the
whole attempt within one deadline.

The URL was allowed at upload, but the allow-list or the host's DNS may have changed since; a URL
the allow-list or the address check refuses now is a failed attempt that is not retried, while a
host that does not resolve now (a DNS outage, EAI_AGAIN) is retried like a receiver that is down.
Redirects are never followed (a redirect could point anywhere the allow-list refuses).

httpx's timeouts bound each phase, not the sum: a receiver sending its answer a byte at a time,
each just inside the read timeout, would hold a POST open without end, past the sender's claim,
while another sender posts the same delivery. So each attempt runs in its own event loop under
`asyncio.timeout(total_s)`, which closes the connection at the deadline whatever phase it is in.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
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


async def _resolve(host: str, port: int) -> list[Any]:
    """getaddrinfo in a thread of its own, awaited so the deadline can abandon it.

    Not loop.getaddrinfo: that runs in the loop's default executor, and asyncio.run waits for
    that executor's threads on the way out (Python 3.11, without a timeout), so a lookup that
    hangs would hang the attempt past its deadline after all. An abandoned lookup ends with the
    resolver's own timeouts; its answer goes nowhere.
    """
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[list[Any]] = loop.create_future()

    def settle(infos: list[Any] | None, error: BaseException | None) -> None:
        if answer.done():
            return
        if error is not None:
            answer.set_exception(error)
        else:
            answer.set_result(infos or [])

    def lookup() -> None:
        infos, error = None, None
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except BaseException as exc:  # handed to the waiting attempt, which decides
            error = exc
        # A closed loop (RuntimeError): the attempt was abandoned at its deadline.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle, infos, error)

    threading.Thread(target=lookup, name="webhook-dns", daemon=True).start()
    return await answer


async def _attempt(
    url: str, body: bytes, headers: dict[str, str], timeout_s: float, took: Callable[[], int]
) -> Outcome:
    try:
        host, port, by_host = callbacks.admitted(url)
    except HTTPException as exc:
        return Outcome(None, str(exc.detail), refused=True, duration_ms=took())
    try:
        infos = await _resolve(host, port)
    except OSError as exc:
        return Outcome(
            None, f"its host does not resolve now ({exc.strerror or type(exc).__name__})", duration_ms=took()
        )
    try:
        addresses = callbacks.checked(infos, by_host)
    except HTTPException as exc:
        return Outcome(None, str(exc.detail), refused=True, duration_ms=took())
    target, host_header, tls_name = _pinned(url, addresses[0])
    extensions = {"sni_hostname": tls_name} if url.startswith("https:") else {}
    try:
        # trust_env=False: a proxy from the environment would connect to the unchecked name itself.
        async with (
            httpx.AsyncClient(timeout=httpx.Timeout(timeout_s), follow_redirects=False, trust_env=False) as client,
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


async def _within(url: str, body: bytes, headers: dict[str, str], timeout_s: float, total_s: float) -> Outcome:
    started = time.monotonic()

    def took() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        async with asyncio.timeout(total_s):
            return await _attempt(url, body, headers, timeout_s, took)
    except TimeoutError:
        return Outcome(None, f"timed out (the attempt's deadline of {total_s:g} s passed)", duration_ms=took())


def post(url: str, body: bytes, headers: dict[str, str], timeout_s: float, total_s: float) -> Outcome:
    """One attempt, over by `total_s` (lookup, connect, send, answer) whatever the receiver does."""
    return asyncio.run(_within(url, body, headers, timeout_s, total_s))
