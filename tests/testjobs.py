"""Tiny job functions for the cap and recovery tests; workers import them as tests.testjobs.

Each keeps an independent record of concurrency in Redis (not examgen's statistics): a counter
of jobs inside their body, every value it reached, and start/end events.
"""

from __future__ import annotations

import os
import time

from rq import get_current_job

RUNNING = "test:running"
SAMPLES = "test:samples"
EVENTS = "test:events"


def tracked(seconds: float, label: str = "") -> str:
    job = get_current_job()
    assert job is not None
    redis = job.connection
    now = redis.incr(RUNNING)
    redis.rpush(SAMPLES, now)
    redis.rpush(EVENTS, f"start {job.id} {label} {os.getpid()} {os.getppid()}")
    try:
        time.sleep(seconds)
    finally:
        redis.decr(RUNNING)
        redis.rpush(EVENTS, f"end {job.id} {label}")
    return label


def fail_always() -> None:
    raise RuntimeError("this test job always fails")


def held_until(key: str, limit_s: float = 300) -> str:
    """Runs until `key` exists (or `limit_s` passed): holds a slot of the cap until the test lets go."""
    job = get_current_job()
    assert job is not None
    deadline = time.monotonic() + limit_s
    while not job.connection.exists(key) and time.monotonic() < deadline:
        time.sleep(0.05)
    return key
