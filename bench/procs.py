"""The processes a benchmark runs: a private redis-server, `examgen web`, worker pools.

Like tests/support.py, but without pytest: the bench must run from `make bench` alone. Every
process is started in its own session so that stopping it also stops its children (uvicorn's
workers, a pool's workers and their work-horses), and is stopped by its own pid only.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
from redis import Redis
from redis.exceptions import RedisError

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
EXAMGEN = str(BIN / "examgen")
RQ = str(BIN / "rq")


class BenchError(RuntimeError):
    """A benchmark could not run as planned (a process did not come up, a load tool failed)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_until(predicate: Callable[[], Any], timeout_s: float, interval_s: float = 0.05, what: str = "") -> Any:
    """Poll until `predicate` is truthy; every wait in the bench is bounded by `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise BenchError(f"timed out after {timeout_s:.0f} s waiting for {what or predicate}")
        time.sleep(interval_s)


class RedisServer:
    """A redis-server of the bench's own: a free port, no persistence, stopped at the end."""

    def __init__(self, data_dir: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise BenchError("redis-server is needed (apt-get install redis-server, or bash .ci/system-deps)")
        self.binary = binary
        self.data_dir = data_dir
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> Redis:
        return Redis(host="127.0.0.1", port=self.port, socket_timeout=30)

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        args += ["--dir", str(self.data_dir), "--maxmemory-policy", "noeviction"]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self._answers, 10, what=f"redis-server on port {self.port}")

    def _answers(self) -> bool:
        try:
            return bool(Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5).ping())
        except RedisError:
            return False

    def flush(self) -> None:
        """Empty the private server between runs, so each run starts from the same state."""
        self.client().flushall()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            self.process = None


@contextlib.contextmanager
def private_redis(data_dir: Path) -> Iterator[RedisServer]:
    server = RedisServer(data_dir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class Proc:
    """A child process in its own session, its output in a log file."""

    def __init__(self, args: list[str], env: dict[str, str], log_path: Path) -> None:
        self.args = args
        self.log_path = log_path
        self._log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.popen = subprocess.Popen(
            args, env=env, stdout=self._log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def wait(self, timeout_s: float) -> int:
        return self.popen.wait(timeout=timeout_s)

    def stop(self, timeout_s: float = 30) -> None:
        """SIGTERM, then SIGKILL to the process group: nothing of a benchmark outlives it."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=timeout_s)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=10)
        self._log.close()

    def tail(self, lines: int = 20) -> str:
        self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def bench_env(redis_url: str, **overrides: str) -> dict[str, str]:
    """The environment of every examgen and rq process: the private Redis, the repo importable.

    PYTHONPATH is the repo root so that workers can import `bench.jobs`. The per-token quota is
    lifted because one bench token submits thousands of jobs; settings not named here keep their
    production defaults (logging included), so the figures are those of a deployed service.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EXAMGEN_", "MAX_CONCURRENT", "WEB_CONCURRENCY"))}
    env.update(
        REDIS_URL=redis_url,
        PYTHONPATH=str(ROOT),
        EXAMGEN_MAX_QUEUED_PER_TOKEN="1000000",
        EXAMGEN_HOST="127.0.0.1",
    )
    env.update(overrides)
    return env


def start_web(env: dict[str, str], logs: Path, concurrency: int = 1) -> tuple[Proc, str]:
    port = free_port()
    proc = Proc(
        [EXAMGEN, "web"],
        {**env, "PORT": str(port), "WEB_CONCURRENCY": str(concurrency)},
        logs / f"web-{port}.log",
    )
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        if not proc.alive():
            raise BenchError(f"examgen web exited:\n{proc.tail()}")
        try:
            return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    wait_until(up, 60, interval_s=0.1, what="examgen web")
    # With several uvicorn workers, the first answer may come before the others are up.
    if concurrency > 1:
        wait_until(lambda: len(descendants(proc.pid)) >= concurrency, 30, what="uvicorn workers")
        time.sleep(1.0)
    return proc, base


def start_examgen_pool(env: dict[str, str], logs: Path, n: int, *extra: str) -> Proc:
    return Proc([EXAMGEN, "worker", "-n", str(n), *extra], env, logs / f"examgen-pool-{time.monotonic_ns()}.log")


def start_rq_pool(env: dict[str, str], logs: Path, n: int, queue: str, *extra: str) -> Proc:
    args = [RQ, "worker-pool", "-n", str(n), "-u", env["REDIS_URL"], "-q", *extra, queue]
    return Proc(args, env, logs / f"rq-pool-{time.monotonic_ns()}.log")


def start_rq_worker(env: dict[str, str], logs: Path, queue: str, *extra: str) -> Proc:
    args = [RQ, "worker", "-u", env["REDIS_URL"], "-q", *extra, queue]
    return Proc(args, env, logs / f"rq-worker-{time.monotonic_ns()}.log")


# -- /proc: process trees and memory ----------------------------------------------------------


def children(pid: int) -> list[int]:
    try:
        raw = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in raw.split()]


def descendants(pid: int) -> list[int]:
    found: list[int] = []
    todo = children(pid)
    while todo:
        child = todo.pop()
        found.append(child)
        todo.extend(children(child))
    return found


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM: the most resident memory the process ever had, in MiB (None once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and of its children it has waited for (work-horses), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # Fields 14-17 of proc(5): utime, stime, cutime, cstime; here shifted by the two before ")".
    ticks = sum(int(f) for f in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""
