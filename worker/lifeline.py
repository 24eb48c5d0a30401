"""Ties a job's process to its parents and to its lease, so a job never runs where it shouldn't.

A work-horse whose worker died would run on unsupervised while its lease expires and the reaper
hands the job to another worker: two copies under one slot. So the horse dies with its parent
(PR_SET_PDEATHSIG, with a parent-pid check as a fallback) and stops itself the moment it can no
longer prove it holds its lease.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import os
import signal
import threading
import time

from redis import Redis
from redis.exceptions import RedisError

from examgen.core import slots

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
    log.error("stopping this job's process: %s", reason)
    os.kill(os.getpid(), signal.SIGKILL)


class LeaseKeeper(threading.Thread):
    """Renews the job's lease from inside the process that runs the job."""

    def __init__(self, connection: Redis, job_id: str, lease_ttl_s: int) -> None:
        super().__init__(name=f"lease-{job_id}", daemon=True)
        self.connection = connection
        self.job_id = job_id
        self.lease_ttl_s = lease_ttl_s
        self.interval_s = max(lease_ttl_s / 6, 0.5)
        self.parent = os.getppid()

    def run(self) -> None:
        last_renewed = time.monotonic()
        while True:
            time.sleep(self.interval_s)
            if os.getppid() != self.parent:
                _kill_self("its worker process is gone")
            try:
                if not slots.renew(self.connection, self.job_id, self.lease_ttl_s):
                    _kill_self("its slot lease expired and may belong to another job now")
                last_renewed = time.monotonic()
            except RedisError as exc:
                # Stop before the lease can expire unseen; the job goes back to the queue.
                if time.monotonic() - last_renewed > self.lease_ttl_s - 2 * self.interval_s:
                    _kill_self(f"its slot lease could not be renewed ({exc.__class__.__name__})")
