"""One textbook job start to end (GeoTopo, 117 pages) against pypdf alone, and time against page count.

The job goes the whole way a user's does: `POST /generate`, a worker of `examgen worker -n 1`,
the exam stored. Its time is RQ's `started_at` to `ended_at` (the worker's own clock), so neither
the upload nor the client's polling is in it. The baseline is the floor any pypdf-based generator
stands on: `PdfReader` and `extract_text()` on every page, in this process, on the same file.
Meanwhile a sampler reads the work-horse's VmHWM (its peak resident memory) from /proc.
"""

from __future__ import annotations

import io
import logging
import threading
import time
from datetime import datetime
from pathlib import Path

import httpx
from pypdf import PdfReader, PdfWriter
from redis import Redis

from bench.common import TEXTBOOK_PDF, Context, create_token
from bench.procs import BenchError, bench_env, peak_rss_mb, start_examgen_pool, start_web
from bench.report import Figure, Growth, Report, mib, ms, seconds
from examgen.testing import Proc, children, wait_until

JOB_TIMEOUT_S = 300


def first_pages(source: Path, count: int) -> bytes:
    """The first `count` pages of `source` as a PDF of their own (pypdf's PdfWriter)."""
    reader = PdfReader(source)
    if count >= len(reader.pages):
        return source.read_bytes()
    writer = PdfWriter()
    for page in reader.pages[:count]:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pypdf_extract_s(data: bytes) -> float:
    started = time.perf_counter()
    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text()
    return time.perf_counter() - started


class HorseSampler(threading.Thread):
    """Peak VmHWM of any work-horse (a child of a pool's worker) while it runs; bounded by stop()."""

    def __init__(self, pool: Proc) -> None:
        super().__init__(daemon=True)
        self.pool = pool
        self.peak_mb = 0.0
        self.worker_peak_mb = 0.0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.wait(0.05):
            for worker in children(self.pool.pid):
                self.worker_peak_mb = max(self.worker_peak_mb, peak_rss_mb(worker) or 0.0)
                for horse in children(worker):
                    self.peak_mb = max(self.peak_mb, peak_rss_mb(horse) or 0.0)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)


def _timestamp(raw: bytes | str | None) -> float:
    if raw is None:
        raise BenchError("the job has no start or end time")
    text = raw.decode() if isinstance(raw, bytes) else raw
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def run_job(
    client: httpx.Client, base: str, token: str, connection: Redis, data: bytes, name: str, whole: bool = True
) -> float:
    """Submit one PDF, wait for its end, return the seconds its job ran (started_at to ended_at).
    A slice of the book (`whole=False`) may end with no exam: its first pages (title, contents,
    preface) state nothing a question can be made from, and the job still ran every stage."""
    headers = {"Authorization": f"Bearer {token}"}
    response = client.post(f"{base}/generate", files={"file": (name, data, "application/pdf")}, headers=headers)
    if response.status_code != 202:
        raise BenchError(f"POST /generate answered {response.status_code}: {response.text}")
    job_id = response.json()["job_id"]

    def ended() -> dict[str, object] | None:
        view: dict[str, object] = client.get(f"{base}/jobs/{job_id}", headers=headers).json()
        return view if view["status"] in ("finished", "failed", "canceled") else None

    view = wait_until(ended, JOB_TIMEOUT_S, interval_s=0.1, what=f"job for {name}")
    no_exam = view["status"] == "failed" and "too little text" in str(view.get("error"))
    if view["status"] != "finished" and (whole or not no_exam):
        raise BenchError(f"the job for {name} ended {view['status']}: {view.get('error')}")
    started, ended_at = connection.hmget(f"rq:job:{job_id}", ["started_at", "ended_at"])
    return _timestamp(ended_at) - _timestamp(started)


def run(ctx: Context, report: Report) -> None:
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    pages = len(PdfReader(TEXTBOOK_PDF).pages)
    # The quick run takes the smallest slice as its "textbook", to stay quick.
    book_pages = pages if not ctx.plan.quick else min(ctx.plan.page_counts)
    book = first_pages(TEXTBOOK_PDF, book_pages)
    slices = {n: first_pages(TEXTBOOK_PDF, n) for n in ctx.plan.page_counts if n < book_pages}
    connection = ctx.fresh()
    token = create_token(connection)
    env = bench_env(ctx.redis.url)
    web, base = start_web(env, ctx.logs)
    pool = start_examgen_pool(env, ctx.logs, 1)
    sampler = HorseSampler(pool)
    sampler.start()
    job_s: list[float] = []
    pypdf_s: list[float] = []
    by_pages: dict[int, list[float]] = {n: [] for n in slices}
    try:
        with httpx.Client(timeout=60) as client:
            run_job(client, base, token, connection, slices.get(10, book), "warm-up.pdf", whole=False)  # imports, jieba
            for _ in range(ctx.plan.runs):
                # Interleaved, so a noisy neighbour slows the job and its baseline alike.
                job_s.append(run_job(client, base, token, connection, book, TEXTBOOK_PDF.name))
                pypdf_s.append(pypdf_extract_s(book))
                for n, data in slices.items():
                    by_pages[n].append(
                        run_job(client, base, token, connection, data, f"first-{n}-pages.pdf", whole=False)
                    )
    finally:
        sampler.stop()
        pool.stop()
        web.stop()
    report.figures.append(
        Figure(
            f"one {book_pages}-page textbook job ({TEXTBOOK_PDF.name}), start to end",
            job_s,
            seconds,
            pypdf_s,
            "pypdf `extract_text` on every page",
            goal="max:1.2",
        )
    )
    report.figures.append(Figure("peak RSS of a work-horse (running the textbook job)", [sampler.peak_mb], mib))
    points = sorted([*by_pages.items(), (book_pages, job_s)])
    report.growth.append(
        Growth(
            "exam job time (start to end)",
            "pages",
            points,
            seconds,
            "linear",
            per_fmt=lambda s: ms(s * 1000),
            per_label="page",
        )
    )
