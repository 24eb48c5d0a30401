"""Job functions the bench enqueues; workers import them as `bench.jobs.*` (PYTHONPATH = repo root)."""

from __future__ import annotations

import time

from rq import get_current_job

# What `marker` sends: the command counter splits a job's Redis traffic into start and end here.
MARKER = "bench:job-body"


def noop() -> None:
    """The trivial job: everything measured around it is queue and worker overhead."""


def marker() -> None:
    """A no-op that leaves one recognisable command (ECHO) in Redis' MONITOR stream."""
    job = get_current_job()
    assert job is not None
    job.connection.echo(MARKER)


def sleep(seconds: float) -> None:
    """A job of known duration: the drain measures how well the cap is kept busy around it."""
    time.sleep(seconds)
