"""HTTP load: wrk when it is there (installing it from Debian when we may), else an asyncio httpx client.

wrk is the tool made for this: C, epoll, keep-alive connections, an HDR latency histogram, and
it leaves the two cores of a small box to the server under test far more than a Python client
would. Its Lua `done` hook prints the summary as one line we parse, rather than its human
output. The httpx fallback keeps `make bench` working where wrk cannot be had; it is bounded
both in request count and in time, and its figures are marked as coming from it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.procs import BenchError

# A preference set on the command line (--load-tool): "auto", "wrk" or "httpx".
_preference = "auto"
_wrk_path: str | None = None
_wrk_checked = False


@dataclass(frozen=True)
class Request:
    """One kind of request, sent over and over by every connection."""

    url: str
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""


@dataclass(frozen=True)
class LoadResult:
    tool: str
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0


def set_preference(tool: str) -> None:
    global _preference
    _preference = tool


def wrk_binary() -> str | None:
    """wrk's path, installing Debian's package once when it is missing and we are root."""
    global _wrk_path, _wrk_checked
    if _preference == "httpx":
        return None
    if _wrk_checked:
        return _wrk_path
    _wrk_checked = True
    _wrk_path = shutil.which("wrk")
    if _wrk_path is None and os.geteuid() == 0 and shutil.which("apt-get"):
        print("bench: wrk is missing; installing Debian's package (apt-get install wrk)", flush=True)
        # A fresh machine may need the package lists first; try without, then with them.
        for steps in (
            [["apt-get", "install", "-y", "-qq", "wrk"]],
            [["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]],
        ):
            for step in steps:
                _apt(step)
            _wrk_path = shutil.which("wrk")
            if _wrk_path:
                break
    if _wrk_path is None:
        if _preference == "wrk":
            raise BenchError("wrk was asked for (--load-tool wrk) but is not installed")
        print("bench: wrk unavailable; using the asyncio httpx client (bounded count)", flush=True)
    return _wrk_path


def _apt(args: list[str]) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    with contextlib.suppress(subprocess.TimeoutExpired):
        subprocess.run(args, env=env, capture_output=True, timeout=300, check=False)


def run(request: Request, *, connections: int, seconds: float, max_requests: int) -> LoadResult:
    """Send `request` on `connections` keep-alive connections for `seconds` (at most `max_requests`)."""
    wrk = wrk_binary()
    if wrk is not None:
        return _run_wrk(wrk, request, connections, seconds)
    return asyncio.run(_run_httpx(request, connections, seconds, max_requests))


# -- wrk -----------------------------------------------------------------------------------------

_WRK_SCRIPT = """
wrk.method = "{method}"
{body}
{headers}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d %.1f %.1f\\n", summary.requests, summary.duration,
    e.status, e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(99)))
end
"""


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _run_wrk(wrk: str, request: Request, connections: int, seconds: float) -> LoadResult:
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp:
        body_lua = ""
        if request.body:
            body_path = Path(tmp) / "body"
            body_path.write_bytes(request.body)
            # Read from a file: a PDF is binary and has no place in a Lua string literal.
            body_lua = (
                f'local f = assert(io.open({_lua_string(str(body_path))}, "rb"))\nwrk.body = f:read("*a")\nf:close()'
            )
        headers_lua = "\n".join(f"wrk.headers[{_lua_string(k)}] = {_lua_string(v)}" for k, v in request.headers)
        script = Path(tmp) / "bench.lua"
        script.write_text(_WRK_SCRIPT.format(method=request.method, body=body_lua, headers=headers_lua))
        # One wrk thread is plenty for localhost and leaves the second core to the server.
        args = [wrk, "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s"]
        args += ["-s", str(script), request.url]
        done = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 60, check=False)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if done.returncode != 0 or line is None:
        raise BenchError(f"wrk failed ({done.returncode}): {done.stdout[-500:]} {done.stderr[-500:]}")
    requests, duration_us, status_errors, socket_errors, p50_us, p99_us = line.split()[1:]
    return LoadResult(
        tool="wrk",
        requests=int(requests),
        seconds=int(duration_us) / 1e6,
        errors=int(status_errors) + int(socket_errors),
        p50_ms=float(p50_us) / 1000,
        p99_ms=float(p99_us) / 1000,
    )


# -- the asyncio httpx fallback -------------------------------------------------------------------


async def _run_httpx(request: Request, connections: int, seconds: float, max_requests: int) -> LoadResult:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    latencies: list[float] = []
    errors = 0
    sent = 0
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:

        async def one_connection() -> None:
            nonlocal errors, sent
            while sent < max_requests and time.monotonic() < deadline:
                sent += 1
                started = time.perf_counter()
                try:
                    response = await client.request(
                        request.method, request.url, headers=dict(request.headers), content=request.body or None
                    )
                    if response.status_code >= 400:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - started)

        began = time.perf_counter()
        await asyncio.gather(*(one_connection() for _ in range(connections)))
        elapsed = time.perf_counter() - began
    ordered = sorted(latencies) or [0.0]
    return LoadResult(
        tool="httpx",
        requests=len(latencies),
        seconds=elapsed,
        errors=errors,
        p50_ms=statistics.median(ordered) * 1000,
        p99_ms=ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
    )
