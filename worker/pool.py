"""`examgen worker`: a pool of N ExamWorker processes, the reaper of expired leases, clean stops.

The pool handles SIGTERM and SIGINT itself and forwards exactly one SIGTERM to each worker, so a
Ctrl-C that reaches the whole process group, a systemd stop and a PaaS restart all end the same
way: running jobs finish within the grace period or go back to the queue, then everything exits.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import time
import uuid
from types import FrameType

from redis.exceptions import RedisError

from examgen.core import keys, stats, storage
from examgen.core.connection import connect
from examgen.core.enqueue import queue_for
from examgen.core.settings import get_settings
from examgen.core.storage import sweep
from examgen.worker import lifeline, recovery, webhooks
from examgen.worker.examworker import ExamWorker

log = logging.getLogger("examgen.pool")

# Expired leases are handed back this often: a dead worker's job runs again within
# lease TTL + this interval.
REAP_INTERVAL_S = 5


# How long the pool waits for Redis at start (EXAMGEN_REDIS_WAIT_S, default 60 s), and tolerates
# losing it later (5x that), before exiting 1 so systemd's Restart=on-failure or the PaaS takes over.
def redis_give_up_s() -> int:
    return get_settings().redis.wait_s


# After the grace period, workers get this long to hand their jobs back before SIGKILL.
STOP_MARGIN_S = 10
# The child index of the webhook sender (worker.webhooks), beside workers 0 … N-1.
SENDER = -1


class Pool:
    def __init__(self, size: int, burst: bool) -> None:
        self.size = size
        self.burst = burst
        self.name = f"{socket.gethostname()}.{os.getpid()}"
        self.children: dict[int, int] = {}
        self.stop_deadline: float | None = None
        self.stop_requested_at = 0.0
        self.settings = get_settings()
        self.lost_redis = False

    # -- signals -------------------------------------------------------------------------------
    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        first = self.stop_deadline is None
        if not first and time.monotonic() - self.stop_requested_at < 2:
            return  # the same stop, delivered twice (Ctrl-C to the group and the supervisor's SIGTERM)
        self.stop_requested_at = time.monotonic()
        if first:
            grace = self.settings.queue.shutdown_grace_s
            log.info("pool %s: stopping (%s); jobs may finish for %d s", self.name, signal.Signals(signum).name, grace)
            self.stop_deadline = time.monotonic() + grace + STOP_MARGIN_S
        for pid in list(self.children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        if not first:
            log.info("pool %s: second stop request, handing running jobs back now", self.name)

    # -- children ------------------------------------------------------------------------------
    def _spawn(self, index: int) -> None:
        pid = os.fork()
        if pid:
            self.children[pid] = index
            return
        code = 0
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            lifeline.die_with_parent()
            if index == SENDER:
                os._exit(webhooks.serve())
            connection = connect()
            worker = ExamWorker(
                [queue_for(connection)],
                connection=connection,
                name=f"{self.name}.{index}.{uuid.uuid4().hex[:6]}",
            )
            worker.work(burst=self.burst, logging_level=self.settings.log.level.upper())
        except BaseException:
            log.exception("worker %d of pool %s crashed", index, self.name)
            code = 1
        finally:
            os._exit(code)

    def _collect(self) -> None:
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                self.children.clear()
                return
            if pid == 0:
                return
            index = self.children.pop(pid, None)
            if index is None:
                continue
            if self.stop_deadline is None and not self.burst:
                log.warning("worker %d exited (status %d); starting a new one", index, status)
                time.sleep(1)
                self._spawn(index)

    # -- the pool's own chores -----------------------------------------------------------------
    def _announce(self, connection: object) -> None:
        from redis import Redis

        assert isinstance(connection, Redis)
        with connection.pipeline() as pipe:
            pipe.time()
            now_s, micros = pipe.execute()[0]
        expiry_ms = now_s * 1000 + micros // 1000 + keys.pool_ttl_s * 1000
        with connection.pipeline() as pipe:
            pipe.zadd(keys.pools, {self.name: expiry_ms})
            pipe.hset(keys.pool_sizes, self.name, sum(1 for i in self.children.values() if i != SENDER))
            pipe.execute()

    def _withdraw(self, connection: object) -> None:
        from redis import Redis

        assert isinstance(connection, Redis)
        try:
            with connection.pipeline() as pipe:
                pipe.zrem(keys.pools, self.name)
                pipe.hdel(keys.pool_sizes, self.name)
                pipe.execute()
        except RedisError:
            pass

    def run(self) -> int:
        connection = connect()
        # Reaping and recovery must run at most once per call: a client that never re-sends.
        reaper = connect(retries=0)
        queue = queue_for(reaper)
        if not _wait_for_redis(connection):
            log.error("Redis at %s did not answer for %d s; giving up", _safe_url(), redis_give_up_s())
            return 1
        stats.set_cap(connection, self.settings.queue.max_concurrent_jobs)
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        _preload_job_code()
        # Jobs left by a pool that died go back before this pool's workers start: otherwise their
        # first maintenance could find those jobs first, and RQ would fail them as abandoned.
        try:
            recovery.reap_expired(reaper, queue)
        except RedisError as exc:
            log.error("pool %s: Redis unreachable (%s)", self.name, exc)
        for index in range(self.size):
            self._spawn(index)
        self._spawn(SENDER)
        log.info("pool %s: %d workers, cap %d", self.name, self.size, self.settings.queue.max_concurrent_jobs)
        last_chores = 0.0
        last_sweep = 0.0
        last_redis_ok = time.monotonic()
        while self.children:
            self._collect()
            if self.burst and self.stop_deadline is None and set(self.children.values()) == {SENDER}:
                self._on_signal(signal.SIGTERM, None)  # the burst's workers are done: so is its sender
            if self.stop_deadline is not None and time.monotonic() > self.stop_deadline:
                for pid in list(self.children):
                    os.kill(pid, signal.SIGKILL)
            if time.monotonic() - last_chores >= REAP_INTERVAL_S:
                last_chores = time.monotonic()
                try:
                    self._announce(connection)
                    recovery.reap_expired(reaper, queue)
                    last_redis_ok = time.monotonic()
                except RedisError as exc:
                    log.error("pool %s: Redis unreachable (%s)", self.name, exc)
                    if time.monotonic() - last_redis_ok > redis_give_up_s() * 5 and self.stop_deadline is None:
                        self.lost_redis = True
                        self._on_signal(signal.SIGTERM, None)
            if time.monotonic() - last_sweep >= sweep.INTERVAL_S:
                last_sweep = time.monotonic()
                _sweep_uploads(connection)
            time.sleep(0.2)
        self._withdraw(connection)
        log.info("pool %s: stopped", self.name)
        return 1 if self.lost_redis else 0


def _sweep_uploads(connection: object) -> None:
    """Orphaned uploads of an external store (examgen.core.storage.sweep); never stops the pool."""
    from redis import Redis

    assert isinstance(connection, Redis)
    try:
        sweep.sweep(connection, storage.store_for(connection))
    except (RedisError, storage.StoreUnavailable) as exc:
        log.warning("pool: could not sweep uploads (%s); trying again later", exc)


def _preload_job_code() -> None:
    """Import the job function and the generator once, before the workers are forked.

    Every job runs in a freshly forked work-horse; without this each horse imported the generator
    (pypdf, httpx and the rest, about 0.3 s of CPU) and read lemminflect's dictionary (0.25 s)
    anew for every job (make bench).
    """
    try:
        import examgen.generator
        import examgen.worker.task  # noqa: F401
        from examgen.generator.lang import load_data

        load_data()
    except Exception:
        # A broken import fails each job with its reason; the pool itself keeps running.
        log.exception("pool: could not preload the job code")


def _safe_url() -> str:
    url = get_settings().redis.url
    return url.split("@")[-1] if "@" in url else url


def _wait_for_redis(connection: object) -> bool:
    from redis import Redis

    assert isinstance(connection, Redis)
    deadline = time.monotonic() + redis_give_up_s()
    while True:
        try:
            connection.ping()
            return True
        except RedisError as exc:
            if time.monotonic() > deadline:
                return False
            log.warning("waiting for Redis at %s (%s)", _safe_url(), exc)
            time.sleep(2)


def run_pool(size: int | None = None, burst: bool = False) -> int:
    return Pool(size or get_settings().queue.max_concurrent_jobs, burst).run()
