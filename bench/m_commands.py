"""Redis commands per submission, per job start, per job end and per `/queue/status`, from MONITOR.

MONITOR on the private server sees every command, and marks those a Lua script ran (`[0 lua]`)
apart from those a client sent; both are counted, as "sent + in scripts". Only counts are taken
here, never times: MONITOR itself slows Redis down.

A job's traffic is split by a marker: the job function (`bench.jobs.marker`) sends one ECHO. Between
two markers a worker ends one job and starts the next; the dequeue command (examgen's claim script,
RQ's LMOVE/BLMOVE) is where the start begins. One worker runs them back to back in burst mode, so
no idle polling falls between; the median over the jobs drops the pool's occasional chores.
"""

from __future__ import annotations

import hashlib
import itertools
import statistics
import threading
from dataclasses import dataclass
from typing import Any

import httpx
from redis import Redis
from rq import Queue

from bench import jobs
from bench.common import SMALL_PDF, Context, create_token, multipart_pdf
from bench.jobs import noop
from bench.procs import BenchError, bench_env, start_examgen_pool, start_rq_worker, start_web
from bench.report import Figure, Report, count
from examgen.core import lease_lua
from examgen.testing import Proc

STOP = "bench:monitor-stop"
PLAIN_QUEUE = "bench-plain"
WARMUP = 5
CLAIM_SHA = hashlib.sha1(lease_lua.CLAIM.encode()).hexdigest()


@dataclass(frozen=True)
class Command:
    name: str
    args: str
    lua: bool


class Monitor:
    """MONITOR in a thread, until the bench sends its stop marker (or a time limit passes)."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self.commands: list[Command] = []
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)

    def __enter__(self) -> Monitor:
        self._thread.start()
        if not self._ready.wait(10):
            raise BenchError("MONITOR did not start")
        return self

    def _read(self) -> None:
        with self.redis.monitor() as monitor:  # type: ignore[no-untyped-call]
            self._ready.set()
            while True:
                entry: dict[str, Any] = monitor.next_command()
                text = str(entry["command"])
                name, _, args = text.partition(" ")
                if name.upper() == "ECHO" and args == STOP:
                    return
                self.commands.append(Command(name.upper(), args, entry["client_type"] == "lua"))

    def __exit__(self, *exc: object) -> None:
        self.redis.echo(STOP)
        self._thread.join(timeout=60)

    def counts(self, per: int) -> tuple[float, float]:
        sent = sum(1 for c in self.commands if not c.lua)
        scripted = sum(1 for c in self.commands if c.lua)
        return sent / per, scripted / per


def _text(sent: float, scripted: float) -> str:
    return f"{count(sent)} sent + {count(scripted)} in scripts" if scripted else f"{count(sent)} sent"


def submissions(ctx: Context) -> tuple[tuple[float, float], tuple[float, float], tuple[float, float]]:
    """(examgen per POST /generate, plain RQ per Queue.enqueue, examgen per GET /queue/status)."""
    samples = ctx.plan.command_samples
    connection = ctx.fresh()
    token = create_token(connection)
    body, content_type = multipart_pdf(SMALL_PDF.read_bytes())
    headers = {"Authorization": f"Bearer {token}", "Content-Type": content_type}
    web, base = start_web(bench_env(ctx.redis.url), ctx.logs)
    try:
        with httpx.Client(timeout=10) as client:
            for _ in range(WARMUP):
                client.post(f"{base}/generate", content=body, headers=headers).raise_for_status()
                client.get(f"{base}/queue/status", headers=headers).raise_for_status()
            with Monitor(ctx.client()) as submit:
                for _ in range(samples):
                    client.post(f"{base}/generate", content=body, headers=headers).raise_for_status()
            with Monitor(ctx.client()) as status:
                for _ in range(samples):
                    client.get(f"{base}/queue/status", headers=headers).raise_for_status()
    finally:
        web.stop()
    queue = Queue(PLAIN_QUEUE, connection=connection)
    for _ in range(WARMUP):
        queue.enqueue(noop)
    with Monitor(ctx.client()) as plain:
        for _ in range(samples):
            queue.enqueue(noop)
    return submit.counts(samples), plain.counts(samples), status.counts(samples)


def _split_jobs(commands: list[Command], is_dequeue: Any) -> tuple[tuple[float, float], tuple[float, float]]:
    """Median (sent, in scripts) of a job's start and of its end, from the marker-delimited stream."""
    marks = [i for i, c in enumerate(commands) if c.name == "ECHO" and jobs.MARKER in c.args]
    if len(marks) < 3:
        raise BenchError(f"only {len(marks)} job markers seen in MONITOR")
    starts: list[tuple[int, int]] = []
    ends: list[tuple[int, int]] = []
    for a, b in itertools.pairwise(marks):
        between = commands[a + 1 : b]
        split = next((i for i, c in enumerate(between) if not c.lua and is_dequeue(c)), None)
        if split is None:
            continue
        for part, into in ((between[:split], ends), (between[split:], starts)):
            into.append((sum(1 for c in part if not c.lua), sum(1 for c in part if c.lua)))
    if not starts:
        raise BenchError("no dequeue command found between job markers")

    def med(pairs: list[tuple[int, int]]) -> tuple[float, float]:
        return float(statistics.median(p[0] for p in pairs)), float(statistics.median(p[1] for p in pairs))

    return med(starts), med(ends)


def _burst(ctx: Context, pool: Proc) -> None:
    try:
        pool.wait(120 + ctx.plan.command_samples)
    finally:
        pool.stop()


def job_commands(ctx: Context) -> tuple[tuple[tuple[float, float], tuple[float, float]], tuple[Any, Any]]:
    """Per job start and end: examgen's burst worker, then RQ's `rq worker --burst`, same jobs."""
    from examgen.core.enqueue import enqueue

    samples = ctx.plan.command_samples
    connection = ctx.fresh()
    for _ in range(samples):
        enqueue(connection, "bench.jobs.marker")
    with Monitor(ctx.client()) as mine:
        _burst(ctx, start_examgen_pool(bench_env(ctx.redis.url), ctx.logs, 1, "--burst"))

    def examgen_dequeue(c: Command) -> bool:
        return c.name in ("EVALSHA", "EVAL") and (CLAIM_SHA in c.args or "local job_id = redis.call('LPOP'" in c.args)

    connection = ctx.fresh()
    queue = Queue(PLAIN_QUEUE, connection=connection)
    for _ in range(samples):
        queue.enqueue("bench.jobs.marker")
    with Monitor(ctx.client()) as theirs:
        _burst(ctx, start_rq_worker(bench_env(ctx.redis.url), ctx.logs, PLAIN_QUEUE, "--burst"))

    def rq_dequeue(c: Command) -> bool:
        return c.name in ("LMOVE", "BLMOVE", "LPOP", "BLPOP") and PLAIN_QUEUE in c.args

    return _split_jobs(mine.commands, examgen_dequeue), _split_jobs(theirs.commands, rq_dequeue)


def run(ctx: Context, report: Report) -> None:
    submit, plain, status = submissions(ctx)
    (start, end), (rq_start, rq_end) = job_commands(ctx)
    rows = [
        ("Redis commands per submission (`POST /generate`)", submit, plain, "per `Queue.enqueue`"),
        ("Redis commands per job start (dequeue to job body)", start, rq_start, "`rq worker`"),
        ("Redis commands per job end (job body to next dequeue)", end, rq_end, "`rq worker`"),
        ("Redis commands per `GET /queue/status`", status, None, ""),
    ]
    for what, mine, theirs, label in rows:
        report.figures.append(
            Figure(
                what,
                [sum(mine)],
                count,
                [sum(theirs)] if theirs else [],
                label,
                examgen_text=_text(*mine),
                baseline_text=_text(*theirs) if theirs else None,
            )
        )
