"""uvicorn's HTTP protocols with a deadline for a request's headers (slowloris).

uvicorn bounds only the idle time between requests (`timeout_keep_alive`), and its first received
byte cancels that timer; nothing bounds the header phase itself (uvicorn issue #157 asks for a
`--timeout-request-start` that does not exist yet), so a client sending one header byte a second
holds a connection, and a slot of the server's connection budget, forever. ASGI middleware cannot
help: the app sees a request only once its headers are complete.

These subclasses start a timer when a connection opens and again when a response completes (the
next request's headers are due), stop it once the headers are in, and close the connection when
it fires. The body phase is not covered: the upload size limit and the app bound that.
`examgen web` passes the httptools one to uvicorn as its `http` protocol, so uvicorn's own parsing,
flow control and keep-alive stay as they are.
"""

from __future__ import annotations

import asyncio
import logging

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from examgen.core.settings import get_settings

log = logging.getLogger("examgen.web")


class _HeaderDeadline(asyncio.Protocol):
    """The timer shared by both protocols: armed here when a connection opens; each protocol
    disarms it when its parser has the headers and re-arms it when a response is complete."""

    transport: asyncio.Transport
    loop: asyncio.AbstractEventLoop
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        self.arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self.disarm()
        super().connection_lost(exc)

    def arm(self) -> None:
        self.disarm()
        self._header_timer = self.loop.call_later(get_settings().web.header_timeout_s, self._headers_too_slow)

    def disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            log.info("closing a connection whose request headers took over %s s", get_settings().web.header_timeout_s)
            self.transport.close()


class H11HeaderDeadline(_HeaderDeadline, H11Protocol):
    def handle_events(self) -> None:
        super().handle_events()
        # h11 leaves IDLE for the peer once a request's headers are parsed.
        if self.conn.their_state is not h11.IDLE:
            self.disarm()

    def on_response_complete(self) -> None:
        # Armed before uvicorn starts the next cycle: a pipelined request already buffered is
        # parsed inside it, and handle_events above disarms again.
        self.arm()
        super().on_response_complete()


class HttpToolsHeaderDeadline(_HeaderDeadline, HttpToolsProtocol):
    def on_headers_complete(self) -> None:
        self.disarm()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # A pipelined request is complete already; only an empty pipeline waits for headers.
        if not self.pipeline and not self.transport.is_closing():
            self.arm()


# What uvicorn's "auto" picks (httptools, a dependency of uvicorn[standard]), deadline added.
PROTOCOLS: dict[str, type[asyncio.Protocol]] = {"h11": H11HeaderDeadline, "httptools": HttpToolsHeaderDeadline}
DEFAULT_PROTOCOL = "httptools"
