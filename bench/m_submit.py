"""Submissions/s through POST /generate: one client, 50 clients, and with a backlog already queued.

Workers are paused the simplest way, by running none: a submission is then measured alone, not
competing for the two cores with jobs it started. The one-client figure has two baselines: the
naive endpoint of bench/naive_app.py (the same HTTP stack and multipart read, then `Queue.enqueue`
and the bytes stored in Redis, with none of examgen's guarantees), loaded by the same tool in the
same run; and plain RQ's `Queue.enqueue` of a no-op from one Python client, without HTTP at all.
"""

from __future__ import annotations

import time

import httpx
from redis import Redis
from rq import Queue

from bench import load
from bench.common import SMALL_PDF, Context, create_token, fill_backlog, multipart_pdf
from bench.jobs import noop
from bench.procs import BenchError, bench_env, peak_rss_mb, start_naive_web, start_web
from bench.report import Figure, Growth, Report, mib, per_s
from examgen.core import keys
from examgen.testing import descendants

WARMUP_REQUESTS = 20


def _generate_request(base: str, token: str) -> load.Request:
    body, content_type = multipart_pdf(SMALL_PDF.read_bytes())
    headers = (("Authorization", f"Bearer {token}"), ("Content-Type", content_type))
    return load.Request(f"{base}/generate", "POST", headers, body)


def _warm(request: load.Request, count: int = WARMUP_REQUESTS) -> None:
    """First requests load Lua scripts and open connections: keep them out of the figures."""
    with httpx.Client(timeout=10) as client:
        for _ in range(count):
            response = client.request(request.method, request.url, headers=dict(request.headers), content=request.body)
            if response.status_code >= 400:
                raise BenchError(f"{request.method} {request.url} answered {response.status_code}: {response.text}")


def _load(ctx: Context, request: load.Request, connections: int) -> load.LoadResult:
    # The request cap only binds the httpx fallback; wrk is bounded by time.
    result = load.run(request, connections=connections, seconds=ctx.plan.load_s, max_requests=20_000)
    if result.errors:
        raise BenchError(f"{result.errors} of {result.requests} requests to {request.url} failed")
    return result


def plain_enqueue_rate(connection: Redis, count: int) -> float:
    """Baseline: RQ's own enqueue of a no-op, one client, `count` times (a bounded loop)."""
    queue = Queue("bench-plain", connection=connection)
    for _ in range(WARMUP_REQUESTS):
        queue.enqueue(noop)
    started = time.perf_counter()
    for _ in range(count):
        queue.enqueue(noop)
    return count / (time.perf_counter() - started)


def _web_peak_rss(pid: int) -> float:
    """The largest VmHWM among the web process and its uvicorn workers."""
    return max(filter(None, [peak_rss_mb(p) for p in (pid, *descendants(pid))]), default=0.0)


def one_client(ctx: Context, report: Report, rss: list[float]) -> None:
    mine: list[float] = []
    naive: list[float] = []
    plain: list[float] = []
    env = bench_env(ctx.redis.url)
    web, base = start_web(env, ctx.logs)
    baseline, naive_base = start_naive_web(env, ctx.logs)
    try:
        # Interleaved, so a neighbour's burst on the shared box hits both sides alike.
        for _ in range(ctx.plan.runs):
            token = create_token(ctx.fresh())
            request = _generate_request(base, token)
            _warm(request)
            result = _load(ctx, request, connections=1)
            queued = ctx.client().llen(keys.queue)
            if queued < result.requests:  # every 202 must have put a job on the queue
                raise BenchError(f"{result.requests} submissions answered but only {queued} jobs queued")
            mine.append(result.rps)
            ctx.fresh()
            naive_request = _generate_request(naive_base, token)
            _warm(naive_request)
            naive.append(_load(ctx, naive_request, connections=1).rps)
            plain.append(plain_enqueue_rate(ctx.fresh(), ctx.plan.enqueue_count))
        rss.append(_web_peak_rss(web.pid))
    finally:
        baseline.stop()
        web.stop()
    what = "submissions/s, `POST /generate`, small PDF, 1 client, keep-alive, no workers"
    report.figures.append(
        Figure(what, mine, per_s, naive, "naive Litestar endpoint: same upload read, `Queue.enqueue`", goal="min:0.8")
    )
    report.figures.append(
        Figure(f"{what} (vs RQ alone)", mine, per_s, plain, "`Queue.enqueue` of a no-op, 1 client", goal="min:0.5")
    )


def many_clients(ctx: Context, report: Report, rss: list[float], clients: int = 50) -> None:
    for concurrency in (1, 2):
        mine: list[float] = []
        theirs: list[float] = []
        env = bench_env(ctx.redis.url)
        web, base = start_web(env, ctx.logs, concurrency)
        try:
            for _ in range(ctx.plan.runs):
                token = create_token(ctx.fresh())
                request = _generate_request(base, token)
                _warm(request)
                mine.append(_load(ctx, request, connections=clients).rps)
                theirs.append(_load(ctx, load.Request(f"{base}/healthz"), connections=clients).rps)
            if concurrency == 1:
                rss.append(_web_peak_rss(web.pid))
        finally:
            web.stop()
        report.figures.append(
            Figure(
                f"submissions/s, {clients} concurrent clients, `WEB_CONCURRENCY={concurrency}`",
                mine,
                per_s,
                theirs,
                f"`GET /healthz`, {clients} clients",
            )
        )


def with_backlog(ctx: Context, report: Report) -> None:
    """The same one-client figure with 0, 1,000 and 10,000 jobs of other users already waiting."""
    env = bench_env(ctx.redis.url)
    web, base = start_web(env, ctx.logs)
    points: list[tuple[int, list[float]]] = []
    try:
        upload = SMALL_PDF.read_bytes()
        for backlog in ctx.plan.backlogs:
            connection = ctx.fresh()
            token = create_token(connection)
            fill_backlog(connection, backlog, upload)
            request = _generate_request(base, token)
            _warm(request)
            points.append((backlog, [_load(ctx, request, connections=1).rps for _ in range(ctx.plan.runs)]))
    finally:
        web.stop()
    report.growth.append(Growth("submissions/s, 1 client", "queued", points, per_s, "flat", higher_is_better=True))


def run(ctx: Context, report: Report) -> None:
    rss: list[float] = []
    one_client(ctx, report, rss)
    many_clients(ctx, report, rss)
    with_backlog(ctx, report)
    report.figures.append(Figure("peak RSS of a web process (after the loads above)", rss, mib))
