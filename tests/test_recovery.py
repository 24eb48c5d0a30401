"""Guarantee 2 for workers: a dead worker's job runs again, its slot comes back, stops are clean."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from redis import Redis
from rq.job import Job

from examgen.core import keys, stats
from examgen.core.enqueue import enqueue
from examgen.services import jobview
from tests import testjobs
from tests.support import Proc, examgen_env, start_pool, wait_until

# Starts examgen processes or servers: in `make test`, not in `make test-fast`.
pytestmark = pytest.mark.procs

LEASE_S = 6


def events(redis: Redis) -> list[list[str]]:
    return [e.decode().split() for e in redis.lrange(testjobs.EVENTS, 0, -1)]


def starts(redis: Redis, label: str) -> list[list[str]]:
    return [e for e in events(redis) if e[0] == "start" and e[2] == label]


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as status:
            return "\nState:\tZ" not in status.read()
    except FileNotFoundError:
        return False


def status_of(redis: Redis, job_id: str) -> str:
    return Job.fetch(job_id, connection=redis).get_status().value


@pytest.fixture
def env(redis_url: str) -> dict[str, str]:
    return examgen_env(redis_url, MAX_CONCURRENT_JOBS="1", EXAMGEN_LEASE_TTL=str(LEASE_S))


def test_sigkill_of_a_whole_pool(redis: Redis, env: dict[str, str], tmp: Path) -> None:
    first = start_pool(env, tmp, 2, name="first")
    second = None
    try:
        job = enqueue(redis, "tests.testjobs.tracked", args=(3.0, "victim"))[0]
        horse = int(wait_until(lambda: starts(redis, "victim"), 30, what="the job to start")[0][3])
        second = start_pool(env, tmp, 2, name="second")
        killed_at = time.monotonic()
        first.signal_group(signal.SIGKILL)
        # The horse is in its own process group; it must die with its worker all the same.
        wait_until(lambda: not alive(horse), 5, what="the orphaned horse to die")
        while status_of(redis, job.id) != "finished":
            assert redis.zcard(keys.leases) <= 1  # the cap holds while the slot is recovered
            assert time.monotonic() - killed_at < 90, "the job did not run again"
            time.sleep(0.05)
        reruns = starts(redis, "victim")
        assert len(reruns) == 2 and int(reruns[1][3]) != horse
        assert time.monotonic() - killed_at < 60  # the guarantee: slot back and job rerun within a minute
        # The horse records `finished`; its worker counts the end a moment later.
        final = wait_until(lambda: (s := stats.read_status(redis, keys.queue, 1)).total_processed == 1 and s, 10)
        assert final.max_processing == 1 and final.processing == 0
    finally:
        first.stop()
        if second:
            second.stop()


def test_an_orphaned_horse_cannot_run_on(redis: Redis, env: dict[str, str], tmp: Path) -> None:
    pool = start_pool(env, tmp, 1)
    try:
        job = enqueue(redis, "tests.testjobs.tracked", args=(3.0, "orphan"))[0]
        _, _, _, horse, worker = wait_until(lambda: starts(redis, "orphan"), 30, what="the job to start")[0]
        os.kill(int(worker), signal.SIGKILL)  # the worker alone; the pool lives on
        wait_until(lambda: not alive(int(horse)), 5, what="the horse to die with its worker")
        wait_until(lambda: status_of(redis, job.id) == "finished", 60, what="the job to run again")
        assert len(starts(redis, "orphan")) == 2
        assert [e[0] for e in events(redis)].count("end") == 1  # the orphan never reached its end
    finally:
        pool.stop()


def test_a_killed_horse_is_retried_then_failed_with_a_reason(redis: Redis, env: dict[str, str], tmp: Path) -> None:
    pool = start_pool({**env, "EXAMGEN_MAX_ATTEMPTS": "2"}, tmp, 1)
    try:
        job = enqueue(redis, "tests.testjobs.tracked", args=(30.0, "doomed"))[0]
        horse = wait_until(lambda: starts(redis, "doomed"), 30, what="first run")[0][3]
        os.kill(int(horse), signal.SIGKILL)
        # The worker saw its horse die: the job goes straight back, no lease expiry needed.
        horse = wait_until(lambda: starts(redis, "doomed")[1:], 10, what="second run")[0][3]
        os.kill(int(horse), signal.SIGKILL)
        wait_until(lambda: status_of(redis, job.id) == "failed", 10, what="the job to fail")
        error = Job.fetch(job.id, connection=redis).meta["error"]
        assert "stopped unexpectedly 2 times" in error
        final = stats.read_status(redis, keys.queue, 1)
        assert (final.total_processed, final.total_failed, final.processing) == (1, 1, 0)
    finally:
        pool.stop()


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "SIGINT to the group and SIGTERM to the pool"])
def test_stop_signal_to_the_process_group_lets_the_job_finish(
    redis: Redis, env: dict[str, str], tmp: Path, how: str
) -> None:
    pool = start_pool(env, tmp, 2)
    job = enqueue(redis, "tests.testjobs.tracked", args=(2.0, "deploy"))[0]
    wait_until(lambda: starts(redis, "deploy"), 30, what="the job to start")
    # What Ctrl-C, systemd's default KillMode and PaaS restarts do; under honcho or systemd one
    # stop arrives twice, and must not count as a second, impatient request.
    pool.signal_group(signal.SIGINT if how.startswith("SIGINT") else signal.SIGTERM)
    if "and" in how:
        pool.popen.send_signal(signal.SIGTERM)
    assert pool.popen.wait(timeout=40) == 0
    assert status_of(redis, job.id) == "finished"
    assert stats.read_status(redis, keys.queue, 1).live_workers == 0
    pool.stop()


def test_stop_after_the_grace_period_hands_the_job_back(redis: Redis, env: dict[str, str], tmp: Path) -> None:
    pool = start_pool({**env, "EXAMGEN_SHUTDOWN_GRACE": "1"}, tmp, 1)
    job = enqueue(redis, "tests.testjobs.tracked", args=(4.0, "long"))[0]
    wait_until(lambda: starts(redis, "long"), 30, what="the job to start")
    pool.popen.send_signal(signal.SIGTERM)
    assert pool.popen.wait(timeout=30) == 0
    pool.stop()
    assert status_of(redis, job.id) == "queued" and redis.lrange(keys.queue, 0, -1) == [job.id.encode()]
    assert redis.get(keys.attempts(job.id)) is None  # a deploy is not the job's fault
    assert stats.read_status(redis, keys.queue, 1).total_failed == 0
    again = start_pool(env, tmp, 1)
    try:
        wait_until(lambda: status_of(redis, job.id) == "finished", 30, what="the job to finish after the deploy")
    finally:
        again.stop()


def test_marks_and_totals_survive_restarts(redis: Redis, env: dict[str, str], tmp: Path) -> None:
    pool = start_pool(env, tmp, 1)
    try:
        for i in range(3):
            enqueue(redis, "tests.testjobs.tracked", args=(0.1, f"r{i}"))
        wait_until(lambda: stats.read_status(redis, keys.queue, 1).total_processed == 3, 30, what="3 jobs")
    finally:
        pool.stop()
    before = stats.read_status(redis, keys.queue, 1).as_json()
    restarted: Proc = start_pool(env, tmp, 1)
    try:
        wait_until(lambda: stats.read_status(redis, keys.queue, 1).live_workers == 1, 30, what="the new pool")
        after = stats.read_status(redis, keys.queue, 1).as_json()
    finally:
        restarted.stop()
    for key in ("max_queue_size", "max_processing", "total_processed", "total_failed", "max_queue_size_at"):
        assert after[key] == before[key]
    assert after["total_processed"] == 3 and after["max_queue_size"] == 3


def test_wait_estimate_is_within_half_of_the_real_wait(redis: Redis, redis_url: str, tmp: Path) -> None:
    env = examgen_env(redis_url, MAX_CONCURRENT_JOBS="2")
    pool = start_pool(env, tmp, 2)
    try:
        for i in range(4):  # measure the job duration first
            enqueue(redis, "tests.testjobs.tracked", args=(1.0, f"warm{i}"))
        wait_until(lambda: stats.read_status(redis, keys.queue, 2).total_processed == 4, 30, what="warm-up")
        for i in range(6):
            enqueue(redis, "tests.testjobs.tracked", args=(1.0, f"ahead{i}"))
        # The probe's own estimate (its 202): /queue/status's is for a token with nothing waiting,
        # which under fair shares comes next, while the probe waits behind its own owner's jobs.
        submitted = time.time()
        done = enqueue(redis, "tests.testjobs.tracked", args=(1.0, "probe"), read_status=True)
        predicted = jobview.view(done.job, done.place, done.status)["estimated_wait_time"]
        job = done.job
        wait_until(lambda: starts(redis, "probe"), 30, what="the probe to start")
        started = Job.fetch(job.id, connection=redis).started_at
        assert started is not None
        actual = started.timestamp() - submitted
        assert actual > 1.5
        assert abs(predicted - actual) <= 0.5 * actual, (predicted, actual)
    finally:
        pool.stop()
