"""Ties a job's process to its parents and to its lease, so a job never runs where it shouldn't.

A work-horse whose worker died would run on unsupervised while its lease expires and the reaper
hands the job to another worker: two copies under one slot. So the horse dies with its parent
(PR_SET_PDEATHSIG, with a parent-pid check as a fallback) and stops itself the moment it can no
longer prove it holds its lease.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import logging
import os
import signal
import threading
import time

from redis.exceptions import RedisError

from examgen.core import connection, slots

log = logging.getLogger("examgen.lifeline")

_PR_SET_PDEATHSIG = 1


@functools.cache
def _libc() -> ctypes.CDLL:
    # find_library runs `ldconfig -p` in a subprocess (~3 ms): look it up once per worker, not once
    # per job — forked work-horses inherit the cached handle.
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent dies (Linux); else rely on polling."""
    parent = os.getppid()
    try:
        _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        log.debug("prctl unavailable; parent is watched by polling only")
    # The parent may have died before prctl took effect.
    if os.getppid() != parent:
        os._exit(1)


def _kill_self(reason: str) -> None:
    # Straight to stderr, not through logging: a handler that blocks must not delay the kill of a
    # process that may no longer hold its claim.
    with contextlib.suppress(OSError):
        os.write(2, f"examgen: stopping this job's process: {reason}\n".encode())
    os.kill(os.getpid(), signal.SIGKILL)


class LeaseKeeper(threading.Thread):
    """Renews the job's lease from inside the process that runs the job.

    A renewal sent at time t proves the claim until t + TTL on Redis' clock at the earliest, so the
    process keeps a deadline of (send time of the last successful renewal) + TTL - one interval and
    a watchdog thread kills it when the deadline passes: whether a renewal failed, blocked on a dead
    socket, or the whole process was stopped (SIGSTOP, a paused VM) and woke up late.
    """

    def __init__(self, job_id: str, token: str, lease_ttl_s: int, claimed_at: float) -> None:
        super().__init__(name=f"lease-{job_id}", daemon=True)
        self.job_id = job_id
        self.token = token
        self.lease_ttl_s = lease_ttl_s
        self.interval_s = max(lease_ttl_s / 6, 0.5)
        self.valid_until = claimed_at + lease_ttl_s - self.interval_s
        self.parent = os.getppid()
        # Its own client: no retry and a timeout of one interval, so a renewal never outlives its use.
        self.connection = connection.connect_bounded(self.interval_s)
        self.watchdog = threading.Thread(target=self._watch, name=f"lease-watchdog-{job_id}", daemon=True)

    def start(self) -> None:
        self.watchdog.start()
        super().start()

    def _watch(self) -> None:
        while True:
            left = self.valid_until - time.monotonic()
            if left <= 0:
                _kill_self("its slot lease ran out before a renewal arrived; it may belong to another job now")
            time.sleep(min(left, self.interval_s))

    def run(self) -> None:
        while True:
            time.sleep(self.interval_s)
            if os.getppid() != self.parent:
                _kill_self("its worker process is gone")
            sent = time.monotonic()
            try:
                if not slots.renew(self.connection, self.job_id, self.token, self.lease_ttl_s):
                    _kill_self("its slot lease expired or was taken over and may belong to another job now")
                self.valid_until = sent + self.lease_ttl_s - self.interval_s
            except RedisError as exc:
                # The watchdog stops the process before the lease can expire unseen.
                log.warning("could not renew the lease of job %s (%s)", self.job_id, exc.__class__.__name__)
