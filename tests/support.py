"""Helpers shared by the tests: private redis-server processes, examgen processes, waiting."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from redis import Redis
from redis.exceptions import RedisError

ROOT = Path(__file__).resolve().parent.parent
PDFS = Path(os.environ.get("EXAMGEN_PDFS", ROOT.parent / "shared" / "pdfs"))
EXAMGEN = str(Path(sys.executable).with_name("examgen"))
BIN = str(Path(sys.executable).parent)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_until(predicate: Callable[[], Any], timeout_s: float, interval_s: float = 0.1, what: str = "") -> Any:
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what or predicate}")
        time.sleep(interval_s)


class RedisServer:
    """A redis-server of the test's own on a free port, which a test may stop and restart."""

    def __init__(self, data_dir: Path, *, appendonly: bool = False, extra: list[str] | None = None) -> None:
        self.port = free_port()
        self.data_dir = data_dir
        self.appendonly = appendonly
        self.extra = extra or []
        self.process: subprocess.Popen[bytes] | None = None
        binary = shutil.which("redis-server")
        assert binary, "redis-server is needed for the tests (.ci/run installs it)"
        self.binary = binary

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        args = [
            self.binary,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--dir",
            str(self.data_dir),
            "--appendonly",
            "yes" if self.appendonly else "no",
            "--appendfsync",
            "always",
            *self.extra,
        ]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self.answers, 10, what=f"redis-server on {self.port}")

    def answers(self) -> bool:
        try:
            return bool(Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except RedisError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


class Proc:
    """An examgen process started like the Procfile starts it, in its own process group."""

    def __init__(self, args: list[str], env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self.log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.popen = subprocess.Popen(
            args, env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def signal_group(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)

    def stop(self, timeout_s: float = 60) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                self.signal_group(signal.SIGKILL)
                self.popen.wait(timeout=10)
        self.signal_group(signal.SIGKILL)  # nothing of the group may outlive a test
        self.log.close()
        return self.popen.returncode

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")


def examgen_env(redis_url: str, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EXAMGEN_", "MAX_CONCURRENT"))}
    env.update(REDIS_URL=redis_url, PYTHONPATH=str(ROOT), EXAMGEN_LOG_LEVEL="INFO")
    env.update(overrides)
    return env


def start_web(env: dict[str, str], tmp: Path) -> tuple[Proc, str]:
    port = free_port()
    proc = Proc([EXAMGEN, "web"], {**env, "PORT": str(port), "EXAMGEN_HOST": "127.0.0.1"}, tmp / f"web-{port}.log")
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    wait_until(up, 30, what="examgen web")
    return proc, base


def start_pool(env: dict[str, str], tmp: Path, n: int, *extra: str, name: str = "pool") -> Proc:
    return Proc([EXAMGEN, "worker", "-n", str(n), *extra], env, tmp / f"{name}-{time.monotonic_ns()}.log")


def run_burst(env: dict[str, str], n: int = 2, timeout_s: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXAMGEN, "worker", "--burst", "-n", str(n)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout_s,
    )


class Stack:
    def __init__(self, base: str, token: str, procs: dict[str, Proc]) -> None:
        self.base = base
        self.token = token
        self.procs = procs
        self.http = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)

    def submit(self, name: str, data: bytes | None = None, **fields: str) -> dict[str, Any]:
        body = data if data is not None else (PDFS / name).read_bytes()
        response = self.http.post("/generate", files={"file": (name, body, "application/pdf")}, data=fields)
        assert response.status_code == 202, response.text
        return response.json()  # type: ignore[no-any-return]

    def wait(self, job_id: str, timeout_s: float = 120) -> dict[str, Any]:
        def ended() -> dict[str, Any] | None:
            view = self.http.get(f"/jobs/{job_id}").json()
            return view if view["status"] in ("finished", "failed", "canceled") else None

        return wait_until(ended, timeout_s, interval_s=0.2, what=f"job {job_id}")  # type: ignore[no-any-return]


def procfile_commands() -> dict[str, list[str]]:
    commands = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, command = line.partition(":")
            commands[name.strip()] = shlex.split(command)
    return commands
