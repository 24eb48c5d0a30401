"""Trivial jobs/s end to end: `examgen worker -n 5` (cap 5) against RQ's own `rq worker-pool -n 5`.

Both pools are started and idle before the clock starts; the bench then enqueues N no-op jobs
(examgen: `worker.enqueue.enqueue`; RQ: `Queue.enqueue`) and the figure is N over the time from
the first enqueue to the last job's `ended_at` as the worker recorded it in Redis — so polling
granularity does not enter it. A no-op job makes this the cost of the queue itself: RQ forks a
work-horse per job, examgen adds the slot claim, the lease and the statistics around it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from redis import Redis
from rq import Queue, Worker
from rq.registry import FinishedJobRegistry

from bench.common import Context
from bench.procs import BenchError, bench_env, cpu_seconds, peak_rss_mb, start_examgen_pool, start_rq_pool
from bench.report import Figure, Report, mib, ms, per_s
from examgen.core import keys
from examgen.testing import Proc, children, wait_until

CAP = 5
PLAIN_QUEUE = "bench-plain"


def _ended_at(connection: Redis, job_ids: list[str]) -> float:
    with connection.pipeline(transaction=False) as pipe:
        for job_id in job_ids:
            pipe.hget(f"rq:job:{job_id}", "ended_at")
        stamps = pipe.execute()
    if any(s is None for s in stamps):
        raise BenchError("a finished job has no ended_at")
    return max(datetime.fromisoformat(s.decode().replace("Z", "+00:00")).timestamp() for s in stamps)


@dataclass(frozen=True)
class Run:
    jobs_per_s: float
    # CPU per job of the pool (its workers and their reaped work-horses) and of redis-server: on a
    # shared box these move far less with the neighbours' load than the wall-clock rate does.
    pool_cpu_ms: float
    redis_cpu_ms: float


def _pool_cpu_s(pool: Proc) -> float:
    return sum(cpu_seconds(pid) for pid in (pool.pid, *children(pool.pid)))


def _redis_cpu_s(connection: Redis) -> float:
    info = connection.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def _measure(connection: Redis, pool: Proc, queue_name: str, enqueue_one: Callable[[], str], count: int) -> Run:
    """Wait for the pool's workers, enqueue `count` no-ops, and time until the last one ended."""
    wait_until(
        lambda: Worker.count(connection=connection) >= CAP or not pool.alive(),
        60,
        what=f"{CAP} workers of {queue_name}",
    )
    if not pool.alive():
        raise BenchError(f"the pool exited:\n{pool.tail()}")
    time.sleep(1.0)  # every worker reaches its idle wait
    cpu_before, redis_before = _pool_cpu_s(pool), _redis_cpu_s(connection)
    started = time.time()
    job_ids = [enqueue_one() for _ in range(count)]
    finished = FinishedJobRegistry(queue_name, connection=connection)
    wait_until(
        lambda: connection.zcard(finished.key) >= count,
        60 + count / 5,
        what=f"{count} jobs to finish on {queue_name}",
    )
    rate = count / (_ended_at(connection, job_ids) - started)
    # The enqueuing (this process) is left out of the CPU figures: only what serves the jobs.
    pool_cpu = _pool_cpu_s(pool) - cpu_before
    redis_cpu = _redis_cpu_s(connection) - redis_before
    return Run(rate, pool_cpu * 1000 / count, redis_cpu * 1000 / count)


def _worker_peak_rss(pool: Proc) -> float:
    return max(filter(None, (peak_rss_mb(pid) for pid in children(pool.pid))), default=0.0)


def examgen_rate(ctx: Context, rss: list[float]) -> Run:
    from examgen.core.enqueue import enqueue

    connection = ctx.fresh()
    env = bench_env(ctx.redis.url, MAX_CONCURRENT_JOBS=str(CAP))
    pool = start_examgen_pool(env, ctx.logs, CAP)
    try:

        def one() -> str:
            job = enqueue(connection, "bench.jobs.noop").job
            return str(job.id)

        result = _measure(connection, pool, keys.QUEUE_NAME, one, ctx.plan.trivial_jobs)
        rss.append(_worker_peak_rss(pool))
        return result
    finally:
        pool.stop()


def rq_rate(ctx: Context) -> Run:
    connection = ctx.fresh()
    pool = start_rq_pool(bench_env(ctx.redis.url), ctx.logs, CAP, PLAIN_QUEUE)
    queue = Queue(PLAIN_QUEUE, connection=connection)
    try:

        def one() -> str:
            return str(queue.enqueue("bench.jobs.noop").id)

        return _measure(connection, pool, PLAIN_QUEUE, one, ctx.plan.trivial_jobs)
    finally:
        pool.stop()


def run(ctx: Context, report: Report) -> None:
    mine: list[Run] = []
    theirs: list[Run] = []
    rss: list[float] = []
    for _ in range(ctx.plan.runs):
        mine.append(examgen_rate(ctx, rss))
        theirs.append(rq_rate(ctx))
    n = ctx.plan.trivial_jobs
    report.figures.append(
        Figure(
            f"trivial jobs/s end to end, cap {CAP}, `examgen worker -n {CAP}`, {n} jobs",
            [r.jobs_per_s for r in mine],
            per_s,
            [r.jobs_per_s for r in theirs],
            f"`rq worker-pool -n {CAP}`, plain RQ jobs",
            goal="min:0.9",
        )
    )
    report.figures.append(
        Figure(
            "CPU per trivial job: the pool (workers + work-horses)",
            [r.pool_cpu_ms for r in mine],
            ms,
            [r.pool_cpu_ms for r in theirs],
            "`rq worker-pool`",
        )
    )
    report.figures.append(
        Figure(
            "CPU per trivial job: redis-server",
            [r.redis_cpu_ms for r in mine],
            ms,
            [r.redis_cpu_ms for r in theirs],
            "`rq worker-pool`",
        )
    )
    report.figures.append(Figure("peak RSS of a worker process (idle between trivial jobs)", rss, mib))
