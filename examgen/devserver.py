"""`examgen dev` and `make run`: use Redis at REDIS_URL or start a private one, then the Procfile."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

from redis import Redis
from redis.exceptions import RedisError

from examgen.core.settings import get_settings

ROOT = Path(__file__).resolve().parent.parent


def _answers(url: str) -> bool:
    try:
        return bool(Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
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


def run_dev() -> int:
    url = get_settings().redis.url
    redis_process = None
    if not _answers(url):
        redis_process = start_private_redis(url)
        if redis_process is None:
            return 1
    bin_dir = Path(sys.executable).parent
    # The Procfile says `examgen ...`: it must resolve to this installation, activated or not.
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    procfile = str(ROOT / "Procfile")
    try:
        return subprocess.call([str(bin_dir / "honcho"), "start", "-f", procfile, "-d", str(ROOT)], env=env)
    except KeyboardInterrupt:
        return 0
    finally:
        if redis_process is not None:
            redis_process.terminate()
            redis_process.wait(timeout=10)
