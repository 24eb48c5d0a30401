"""`examgen dev` and `make run`: use Redis at REDIS_URL or start a private one, then the Procfile."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import honcho.command
import honcho.manager
from redis.exceptions import RedisError

from examgen.core.connection import connect_bounded
from examgen.core.settings import get_settings
from examgen.worker.pool import STOP_MARGIN_S

ROOT = Path(__file__).resolve().parent.parent


def _answers(url: str) -> bool:
    # Through the one way examgen connects, so a Sentinel REDIS_URL is asked the same way.
    try:
        return bool(connect_bounded(1.0, url).ping())
    except RedisError:
        return False


def start_private_redis(url: str) -> subprocess.Popen[bytes] | None:
    """Start redis-server where REDIS_URL points (local hosts only); None when it cannot."""
    parsed = urlparse(url)
    if parsed.hostname not in ("localhost", "127.0.0.1", "::1") or parsed.scheme != "redis":
        print(
            f"examgen dev: Redis at {parsed.hostname} does not answer, and only a local one can be started.",
            file=sys.stderr,
        )
        return None
    binary = shutil.which("redis-server")
    if binary is None:
        print(
            "examgen dev: no Redis answers at REDIS_URL and `redis-server` is not installed.\n"
            "  Debian/Ubuntu: sudo apt-get install redis-server   macOS: brew install redis",
            file=sys.stderr,
        )
        return None
    data_dir = ROOT / ".redis-dev"
    data_dir.mkdir(exist_ok=True)
    port = str(parsed.port or 6379)
    process = subprocess.Popen(
        [
            binary,
            str(ROOT / "infra" / "redis.conf"),
            "--port",
            port,
            "--bind",
            "127.0.0.1",
            "--dir",
            str(data_dir),
            "--daemonize",
            "no",
            "--requirepass",
            parsed.password or "",
        ],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(50):
        if _answers(url):
            print(f"examgen dev: started a private redis-server on port {port} (data in {data_dir})")
            return process
        time.sleep(0.1)
    process.terminate()
    print("examgen dev: redis-server did not start; see its log above.", file=sys.stderr)
    return None


def run_procfile(procfile: str, root: str) -> int:
    """honcho's `start`, in this process, with the stop the pool promises.

    On Ctrl-C honcho sends SIGTERM to every process, then SIGKILLs whatever still runs KILL_WAIT
    (5) seconds after the first one exited: a running job would be cut short although the pool
    lets it finish for EXAMGEN_SHUTDOWN_GRACE seconds and then hands it back. honcho reads that
    module constant while it waits, so it gets the pool's whole bound, grace and margin included.
    The private Redis is stopped only after that, so a job's end is still recorded.
    """
    honcho.manager.KILL_WAIT = get_settings().queue.shutdown_grace_s + STOP_MARGIN_S + 5
    try:
        honcho.command.main(["start", "-f", procfile, "-d", root])
    except SystemExit as end:
        # 130 and 143: honcho's answer to the Ctrl-C or SIGTERM that stopped everything cleanly.
        code = end.code if isinstance(end.code, int) else 1
        return 0 if code in (130, 143) else code
    return 0


def run_dev() -> int:
    url = get_settings().redis.url
    redis_process = None
    if not _answers(url):
        redis_process = start_private_redis(url)
        if redis_process is None:
            return 1
    bin_dir = Path(sys.executable).parent
    # The Procfile says `examgen ...`: it must resolve to this installation, activated or not.
    os.environ["PATH"] = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    try:
        return run_procfile(str(ROOT / "Procfile"), str(ROOT))
    except KeyboardInterrupt:
        return 0
    finally:
        if redis_process is not None:
            redis_process.terminate()
            redis_process.wait(timeout=10)
