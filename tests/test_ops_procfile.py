"""The Procfile as a PaaS (or `examgen dev`) runs it: every process type under honcho, one real job."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sys
from pathlib import Path

import httpx
import pytest
from redis import Redis

from examgen.services import tokens
from tests.support import PDFS, ROOT, Proc, examgen_env, free_port, wait_until

# Starts examgen processes or servers: in `make test`, not in `make test-fast`.
pytestmark = pytest.mark.procs

BIN = Path(sys.executable).parent
PDF = "water-cycle-handout.pdf"


def process_types() -> list[str]:
    lines = [line for line in (ROOT / "Procfile").read_text().splitlines() if line.strip() and line[0] != "#"]
    return [line.partition(":")[0].strip() for line in lines]


def descendants(pid: int) -> set[int]:
    """Every live process below `pid` (honcho puts each process type in a session of its own)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    """Running, not a zombie (a container's PID 1 may never reap the orphans it adopts)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def test_procfile_declares_web_and_worker() -> None:
    assert process_types()[:2] == ["web", "worker"]
    text = (ROOT / "Procfile").read_text()
    assert re.search(r"^web: examgen web$", text, re.M) and re.search(r"^worker: examgen worker$", text, re.M)


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_every_process_type_runs_under_honcho_and_stops_cleanly(
    redis: Redis, redis_url: str, tmp: Path, stop_signal: signal.Signals
) -> None:
    port = free_port()
    env = examgen_env(redis_url, PORT=str(port), EXAMGEN_HOST="127.0.0.1", MAX_CONCURRENT_JOBS="2")
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    honcho = Proc([str(BIN / "honcho"), "start", "-f", str(ROOT / "Procfile"), "-d", str(ROOT)], env, tmp / "h.log")
    children: set[int] = set()
    base = f"http://127.0.0.1:{port}"
    try:

        def ready() -> bool:
            try:
                return httpx.get(f"{base}/readyz", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(ready, 30, what="the web process")
        wait_until(lambda: Redis.from_url(redis_url).zcard("examgen:pools") == 1, 30, what="the worker pool")
        children = descendants(honcho.pid)
        token = tokens.create(redis, "procfile")
        http = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        with open(PDFS / PDF, "rb") as pdf:
            accepted = http.post("/generate", files={"file": (PDF, pdf, "application/pdf")})
        assert accepted.status_code == 202, accepted.text
        job_id = accepted.json()["job_id"]
        wait_until(lambda: http.get(f"/jobs/{job_id}").json()["status"] == "finished", 120, 0.2, "the job")

        honcho.popen.send_signal(stop_signal)
        # honcho reports the signal as its own exit status (128 + signal number) once all have stopped.
        assert honcho.popen.wait(timeout=60) == 128 + stop_signal
        output = honcho.output()
        for name in process_types():
            # rc is the shell's when /bin/sh does not exec the command (dash): the group's SIGTERM ends it.
            assert re.search(rf"{name}\.1 stopped \(rc=(0|-15)\)", output), output
        assert "Application shutdown complete" in output and re.search(r"pool \S+: stopped", output)
        assert "Traceback" not in output and "SIGKILL" not in output
        assert not [pid for pid in children if alive(pid)], "a process outlived honcho"
    finally:
        honcho.stop()
        for pid in children:  # never leave a stray worker behind, whatever failed above
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
