"""`GET /queue/status` latency (median and p99, one client) against `GET /healthz`, empty and with a backlog.

/healthz answers from the process alone, so the ratio is what reading the statistics (auth, one
Lua script, JSON) adds on top of the HTTP stack. The backlog run shows that the status read does
not grow with the queue: it reads LLEN and the head of the list, never the whole list.
"""

from __future__ import annotations

from bench import load
from bench.common import SMALL_PDF, Context, create_token, fill_backlog
from bench.procs import BenchError, bench_env, start_web
from bench.report import Figure, Growth, Report, ms


def _latency(ctx: Context, request: load.Request) -> load.LoadResult:
    result = load.run(request, connections=1, seconds=ctx.plan.load_s, max_requests=20_000)
    if result.errors:
        raise BenchError(f"{result.errors} of {result.requests} requests to {request.url} failed")
    return result


def run(ctx: Context, report: Report) -> None:
    env = bench_env(ctx.redis.url)
    web, base = start_web(env, ctx.logs)
    p50: list[float] = []
    p99: list[float] = []
    health_p50: list[float] = []
    health_p99: list[float] = []
    growth: list[tuple[int, list[float]]] = []
    try:
        connection = ctx.fresh()
        token = create_token(connection)
        status = load.Request(f"{base}/queue/status", headers=(("Authorization", f"Bearer {token}"),))
        health = load.Request(f"{base}/healthz")
        # A few jobs waiting, so the estimate and the oldest-job lookup have something to do.
        fill_backlog(connection, 10, SMALL_PDF.read_bytes())
        _latency(ctx, status)  # warm-up: the script is loaded, the connections are open
        for _ in range(ctx.plan.runs):
            mine, theirs = _latency(ctx, status), _latency(ctx, health)
            p50.append(mine.p50_ms)
            p99.append(mine.p99_ms)
            health_p50.append(theirs.p50_ms)
            health_p99.append(theirs.p99_ms)
        fill_backlog(connection, ctx.plan.status_backlog - 10, SMALL_PDF.read_bytes())
        growth = [
            (10, list(p50)),
            (ctx.plan.status_backlog, [_latency(ctx, status).p50_ms for _ in range(ctx.plan.runs)]),
        ]
    finally:
        web.stop()
    report.figures.append(
        Figure("`GET /queue/status` median latency, 1 client", p50, ms, health_p50, "`/healthz`", "max:2")
    )
    report.figures.append(
        Figure("`GET /queue/status` p99 latency, 1 client", p99, ms, health_p99, "`/healthz`", "max:2")
    )
    report.growth.append(Growth("`/queue/status` median latency", "queued", growth, ms, "flat"))
