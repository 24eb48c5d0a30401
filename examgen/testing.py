"""The process harness of the test suite and the benchmarks: private servers and examgen processes.

Both run real services, never mocks: a redis-server of their own on a free port of 127.0.0.1
(which a fault test may stop, kill and restart), `examgen web` and worker pools started as the
Procfile starts them. Every process gets its own session so that stopping it also stops its
children (uvicorn's workers, a pool's workers and their work-horses), and every wait is bounded.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
from redis import Redis
from redis.exceptions import RedisError

BIN = Path(sys.executable).parent
EXAMGEN = str(BIN / "examgen")


class HarnessError(AssertionError):
    """A process did not come up, or a wait ran out (an AssertionError, so pytest reports it as one)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_until(predicate: Callable[[], Any], timeout_s: float, interval_s: float = 0.1, what: str = "") -> Any:
    """Poll until `predicate` is truthy and return its value; HarnessError after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise HarnessError(f"timed out after {timeout_s:g} s waiting for {what or predicate}")
        time.sleep(interval_s)


class RedisServer:
    """A redis-server of one's own on a free port, no RDB snapshots, never evicting."""

    def __init__(self, data_dir: Path, *, appendonly: bool = False, extra: list[str] | None = None) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise HarnessError("redis-server is needed (apt-get install redis-server, or bash .ci/system-deps)")
        self.binary = binary
        self.data_dir = data_dir
        self.appendonly = appendonly
        self.extra = extra or []
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> Redis:
        return Redis(host="127.0.0.1", port=self.port, socket_timeout=30)

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        args += ["--dir", str(self.data_dir), "--maxmemory-policy", "noeviction"]
        args += ["--appendonly", "yes" if self.appendonly else "no", "--appendfsync", "always", *self.extra]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self.answers, 10, what=f"redis-server on port {self.port}")

    def answers(self) -> bool:
        try:
            return bool(Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5).ping())
        except RedisError:
            return False

    def flush(self) -> None:
        """Empty this private server (never any other), so each run starts from the same state."""
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

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


class S3Server:
    """moto's standalone S3 API server (PyPI `moto[server]`) on a free port of 127.0.0.1.

    It serves the S3 API from memory and makes no outbound connection; `env()` gives a client the
    endpoint and dummy credentials (and turns off boto3's instance-metadata lookup, which would
    otherwise try 169.254.169.254 when credentials are missing).
    """

    def __init__(self, log_path: Path) -> None:
        self.port = free_port()
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": "examgen-test",
            "AWS_SECRET_ACCESS_KEY": "examgen-test-secret",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_EC2_METADATA_DISABLED": "true",
        }

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(self.answers, 30, what=f"moto_server on port {self.port}")

    def answers(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise HarnessError(f"moto_server exited: {self.log_path.read_text(errors='replace')[-2000:]}")
        try:
            return httpx.get(f"{self.endpoint}/moto-api/", timeout=1).status_code < 500
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None


class SentinelCluster:
    """A primary, a replica and three sentinels (`redis-server --sentinel`) on free ports of 127.0.0.1.

    Short timeouts (down after 1 s, failover timeout 3 s) so a failover test takes seconds.
    """

    SERVICE = "examgen"

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.primary = RedisServer(data_dir / "primary", appendonly=True)
        self.replica = RedisServer(data_dir / "replica", appendonly=True)
        self.sentinel_ports = [free_port() for _ in range(3)]
        self.sentinels: list[subprocess.Popen[bytes]] = []

    @property
    def url(self) -> str:
        hosts = ",".join(f"127.0.0.1:{port}" for port in self.sentinel_ports)
        return f"redis+sentinel://{hosts}/{self.SERVICE}/0"

    def start(self) -> None:
        self.primary.start()
        self.replica.extra = ["--replicaof", "127.0.0.1", str(self.primary.port)]
        self.replica.start()
        wait_until(lambda: self.replica.client().info("replication").get("master_link_status") == "up", 20)
        for port in self.sentinel_ports:
            conf = self.data_dir / f"sentinel-{port}.conf"
            conf.write_text(
                f"port {port}\nbind 127.0.0.1\ndir {self.data_dir}\n"
                f"sentinel monitor {self.SERVICE} 127.0.0.1 {self.primary.port} 2\n"
                f"sentinel down-after-milliseconds {self.SERVICE} 1000\n"
                f"sentinel failover-timeout {self.SERVICE} 3000\n"
                f"sentinel parallel-syncs {self.SERVICE} 1\n"
            )
            self.sentinels.append(
                subprocess.Popen(
                    [self.primary.binary, str(conf), "--sentinel"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
            )
        for port in self.sentinel_ports:
            wait_until(functools.partial(self._known_replicas, port), 30, what=f"sentinel {port} sees the replica")

    def _known_replicas(self, port: int) -> int:
        try:
            found: Any = Redis(host="127.0.0.1", port=port, socket_timeout=1).sentinel_slaves(self.SERVICE)
            return len(found)
        except RedisError:
            return 0

    def primary_port(self) -> int | None:
        try:
            sentinel = Redis(host="127.0.0.1", port=self.sentinel_ports[0], socket_timeout=1)
            address: Any = sentinel.sentinel_get_master_addr_by_name(self.SERVICE)
            return int(address[1])
        except (RedisError, TypeError):
            return None

    def stop(self) -> None:
        for proc in self.sentinels:
            proc.kill()
            proc.wait(timeout=10)
        self.sentinels = []
        self.replica.stop()
        self.primary.stop()


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

    def __init__(self, args: list[str], env: dict[str, str], log_path: Path, cwd: Path | None = None) -> None:
        self.args = args
        self.log_path = log_path
        self.log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.popen = subprocess.Popen(
            args, env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=cwd, start_new_session=True
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def wait(self, timeout_s: float) -> int:
        return self.popen.wait(timeout=timeout_s)

    def signal_group(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, sig)

    def stop(self, timeout_s: float = 60) -> int:
        """SIGTERM, then SIGKILL to the whole group: nothing of it outlives the caller."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=timeout_s)
        self.signal_group(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=10)
        self.log.close()
        return self.popen.returncode

    def output(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text(errors="replace")

    def tail(self, lines: int = 20) -> str:
        return "\n".join(self.output().splitlines()[-lines:])


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


def wait_healthy(proc: Proc, base: str, what: str) -> None:
    """Until GET /healthz at `base` answers 200; HarnessError with the log's tail if `proc` exits."""

    def up() -> bool:
        if not proc.alive():
            raise HarnessError(f"{what} exited:\n{proc.tail()}")
        try:
            return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    wait_until(up, 60, what=what)


def start_web(
    env: dict[str, str], logs: Path, concurrency: int | None = None, cwd: Path | None = None
) -> tuple[Proc, str]:
    """`examgen web` on a free port of 127.0.0.1; returns the process and its base URL once it answers."""
    port = free_port()
    web_env = {**env, "PORT": str(port), "EXAMGEN_HOST": "127.0.0.1"}
    if concurrency is not None:
        web_env["WEB_CONCURRENCY"] = str(concurrency)
    proc = Proc([EXAMGEN, "web"], web_env, logs / f"web-{port}.log", cwd)
    base = f"http://127.0.0.1:{port}"
    wait_healthy(proc, base, "examgen web")
    if concurrency is not None and concurrency > 1:
        # With several uvicorn workers, the first answer may come before the others are up.
        wait_until(lambda: len(descendants(proc.pid)) >= concurrency, 30, what="uvicorn workers")
        time.sleep(1.0)
    return proc, base


def start_pool(
    env: dict[str, str], logs: Path, n: int, *extra: str, name: str = "pool", cwd: Path | None = None
) -> Proc:
    """`examgen worker -n N` (the Procfile's worker line), logging to its own file."""
    return Proc([EXAMGEN, "worker", "-n", str(n), *extra], env, logs / f"{name}-{time.monotonic_ns()}.log", cwd)


class ReplyDroppingProxy:
    """A TCP proxy to a Redis on 127.0.0.1 that can lose one reply: the request reaches Redis and
    runs, its answer never reaches the client, whose connection is closed instead.

    For the calls that must run at most once: a client that re-sends on a lost connection runs
    them twice (what a Redis stall past the socket timeout, or a dropped link, does).
    """

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.drop_next_reply = False
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=30)
        threading.Thread(target=self._pump, args=(client, upstream, False), daemon=True).start()
        self._pump(upstream, client, True)

    def _pump(self, source: socket.socket, target: socket.socket, replies: bool) -> None:
        try:
            while chunk := source.recv(65536):
                if replies and self.drop_next_reply:
                    self.drop_next_reply = False
                    break  # the request ran; its reply is lost with the connection
                target.sendall(chunk)
        except OSError:
            pass
        for end in (source, target):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()

    def close(self) -> None:
        self._closed = True
        self.listener.close()
