"""The seed's promise, measured: 100 jobs of known duration arrive at once, cap 5, one pool.

Two figures. How busy the cap is kept: the makespan (first enqueue to last end, RQ's own times)
against the least it could be, the sum of the jobs' run times over the cap (1.00x would be no gap
between a job's end and the next start). And how good the 202's wait estimate is: each job is
submitted the way POST /generate does it (core.submission: its place read by the same script, the
statistics from a reading at most 1 s old) and its estimate compared with its real wait (enqueued
to started); the median relative error over the jobs that waited at least MIN_WAIT_S (shorter
waits are dominated by whole-second rounding).
One warm-up job runs alone first, so the estimate has a measured duration to start from.
"""

from __future__ import annotations

import statistics

from rq.job import Job

from bench.common import Context
from bench.procs import bench_env, start_examgen_pool
from bench.report import Figure, Report, seconds
from examgen.core import keys, stats
from examgen.testing import wait_until

CAP = 5
OWNER = "drain"
MIN_WAIT_S = 2.0


def percent(value: float) -> str:
    return f"{value * 100:.0f} %"


def one_drain(ctx: Context, count: int, job_s: float) -> tuple[float, float, float]:
    """(makespan, sum of run times / cap, median relative error of the 202 estimates)."""
    from examgen.core.enqueue import enqueue
    from examgen.core.submission import submit
    from examgen.services import jobview
    from examgen.services import status as queue_status

    connection = ctx.fresh()
    pool = start_examgen_pool(bench_env(ctx.redis.url, MAX_CONCURRENT_JOBS=str(CAP)), ctx.logs, CAP)
    try:

        def status() -> stats.QueueStatus:
            return stats.read_status(connection, keys.queue, CAP)

        wait_until(lambda: status().live_workers == CAP, 60, what="the drain's workers")
        enqueue(connection, "bench.jobs.sleep", args=(job_s,))
        wait_until(lambda: status().total_processed == 1, 60, what="the warm-up job")
        estimates: dict[str, int] = {}
        for _ in range(count):
            reading = queue_status.for_estimate(connection)  # as POST /generate: at most 1 s old
            done = submit(connection, "bench.jobs.sleep", args=(job_s,), owner=OWNER, quota=10 * count)
            estimates[done.job.id] = jobview.view(
                done.job, done.place, queue_status.at_submission(reading, done.running_elapsed_s)
            )["estimated_wait_time"]
        deadline_s = 60 + 4 * count * job_s / CAP
        wait_until(lambda: status().total_processed == count + 1, deadline_s, what="the drain")
    finally:
        pool.stop()
    jobs = [j for j in Job.fetch_many(list(estimates), connection=connection) if j is not None]
    if len(jobs) != count or not all(j.enqueued_at and j.started_at and j.ended_at for j in jobs):
        raise RuntimeError("the drain lost track of a job")
    first = min(j.enqueued_at for j in jobs if j.enqueued_at)
    last = max(j.ended_at for j in jobs if j.ended_at)
    makespan = (last - first).total_seconds()
    busy = sum((j.ended_at - j.started_at).total_seconds() for j in jobs if j.ended_at and j.started_at)
    errors = []
    for job in jobs:
        assert job.started_at and job.enqueued_at
        real = (job.started_at - job.enqueued_at).total_seconds()
        if real >= MIN_WAIT_S:
            errors.append(abs(estimates[job.id] - real) / real)
    return makespan, busy / CAP, statistics.median(errors) if errors else float("nan")


def run(ctx: Context, report: Report) -> None:
    count, job_s = ctx.plan.drain_jobs, ctx.plan.drain_job_s
    makespans: list[float] = []
    ideals: list[float] = []
    errors: list[float] = []
    for _ in range(ctx.plan.runs):
        makespan, ideal, error = one_drain(ctx, count, job_s)
        makespans.append(makespan)
        ideals.append(ideal)
        errors.append(error)
    report.figures.append(
        Figure(
            f"{count} jobs of {job_s:g} s at once, cap {CAP}, one pool: makespan (first enqueue to last end)",
            makespans,
            seconds,
            ideals,
            "sum of run times / cap; 1/0.97 = 1.031",
            goal="max:1.031",
        )
    )
    report.figures.append(
        Figure(
            f"{count} jobs at once: median relative error of the 202's `estimated_wait_time` (waits ≥ 2 s)",
            errors,
            percent,
            goal="",
        )
    )
