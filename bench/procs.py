"""The processes a benchmark runs: a private redis-server, `examgen web`, worker pools.

The harness itself (servers, processes, waits) is examgen.testing, shared with the test suite;
this adds what only the bench needs: its environment, RQ's own workers as baselines, /proc readings.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from examgen import testing as harness
from examgen.testing import (
    HarnessError,
    Proc,
)

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RQ = str(BIN / "rq")


BenchError = HarnessError
"""A benchmark could not run as planned (a process did not come up, a load tool failed)."""


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
    return harness.start_web(env, logs, concurrency, cwd=ROOT)


def start_naive_web(env: dict[str, str], logs: Path) -> tuple[Proc, str]:
    """bench/naive_app.py on a free port of 127.0.0.1: the baseline endpoint of the submission figure."""
    port = harness.free_port()
    proc = Proc([sys.executable, "-m", "bench.naive_app"], {**env, "PORT": str(port)}, logs / f"naive-{port}.log", ROOT)
    base = f"http://127.0.0.1:{port}"
    harness.wait_healthy(proc, base, "the naive endpoint")
    return proc, base


def start_examgen_pool(env: dict[str, str], logs: Path, n: int, *extra: str) -> Proc:
    return harness.start_pool(env, logs, n, *extra, name="examgen-pool", cwd=ROOT)


def start_rq_pool(env: dict[str, str], logs: Path, n: int, queue: str, *extra: str) -> Proc:
    args = [RQ, "worker-pool", "-n", str(n), "-u", env["REDIS_URL"], "-q", *extra, queue]
    return Proc(args, env, logs / f"rq-pool-{time.monotonic_ns()}.log", ROOT)


def start_rq_worker(env: dict[str, str], logs: Path, queue: str, *extra: str) -> Proc:
    args = [RQ, "worker", "-u", env["REDIS_URL"], "-q", *extra, queue]
    return Proc(args, env, logs / f"rq-worker-{time.monotonic_ns()}.log", ROOT)


# -- /proc: process trees and memory ----------------------------------------------------------


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
