"""A client that trickles its request headers is cut off; complete requests, however slow to answer, are not.

uvicorn is run in a thread with each of its HTTP protocols (h11, httptools) and examgen's header
deadline, and `examgen web` itself is checked once; every client is a raw socket to 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import select
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from examgen.api.serverproto import PROTOCOLS
from examgen.core.settings import get_settings
from tests.support import examgen_env, free_port, start_web, wait_until

# Starts examgen processes or servers: in `make test`, not in `make test-fast`.
pytestmark = pytest.mark.procs

HEAD = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
MAX_TRICKLED_BYTES = 60  # 15 s at 4 bytes a second: far past the 1 s deadline, still a bounded loop


async def slow_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    # Answers after longer than the header deadline: the deadline must not cover the response.
    await asyncio.sleep(1.5)
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"ok"})


def trickle_until_closed(port: int) -> int:
    """Bytes sent one by one before the server closed the connection; 0 when it never did."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(HEAD)
        for sent in range(1, MAX_TRICKLED_BYTES + 1):
            try:
                sock.sendall(b"a")
            except (BrokenPipeError, ConnectionResetError):
                return sent
            readable, _, _ = select.select([sock], [], [], 0.25)
            if readable:
                try:
                    if sock.recv(1024) == b"":
                        return sent
                except ConnectionResetError:
                    return sent
    return 0


def whole_request(sock: socket.socket) -> bytes:
    sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    return sock.recv(1024)


@pytest.fixture(params=sorted(PROTOCOLS))
def server(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    monkeypatch.setenv("EXAMGEN_HEADER_TIMEOUT", "1")
    get_settings.cache_clear()
    port = free_port()
    config = uvicorn.Config(
        slow_app, host="127.0.0.1", port=port, http=PROTOCOLS[request.param], lifespan="off", log_config=None
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    try:
        wait_until(lambda: running.started, 10, what="uvicorn")
        yield port
    finally:
        running.should_exit = True
        thread.join(10)
        get_settings.cache_clear()


def test_trickled_headers_are_cut_off(server: int) -> None:
    sent = trickle_until_closed(server)
    assert sent > 0, f"still open after {MAX_TRICKLED_BYTES} trickled bytes"


def test_slow_answers_and_keep_alive_are_untouched(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server), timeout=10) as sock:
        assert whole_request(sock).startswith(b"HTTP/1.1 200")
        # The same connection, a second request: the deadline was re-armed and stopped again.
        assert whole_request(sock).startswith(b"HTTP/1.1 200")


def test_examgen_web_cuts_trickled_headers_off(redis_url: str, tmp_path: Path) -> None:
    web, base = start_web(examgen_env(redis_url, EXAMGEN_HEADER_TIMEOUT="1"), tmp_path)
    try:
        assert trickle_until_closed(int(base.rsplit(":", 1)[1])) > 0
    finally:
        web.stop()
