"""What every measurement shares: the plan (full or quick), the private Redis, tokens, uploads, backlogs."""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from redis import Redis

from bench.procs import ROOT
from examgen.core.jobstates import MAKE_EXAM
from examgen.testing import RedisServer

PDFS = ROOT / "tests" / "data" / "pdfs"
# A one-page text PDF of about 11 kB: the "small PDF" of the submission figures.
SMALL_PDF = PDFS / "crazyones.pdf"
TEXTBOOK_PDF = PDFS / "GeoTopo-komprimiert.pdf"
BOUNDARY = "examgenbenchboundary7MA4YWxkTrZu0gW"
BENCH_TOKEN_NAME = "bench"


@dataclass(frozen=True)
class Plan:
    """How much of everything: `make bench` runs the full plan, `--quick` a smoke run of every path."""

    quick: bool
    runs: int
    load_s: float
    enqueue_count: int
    backlogs: tuple[int, ...]
    status_backlog: int
    trivial_jobs: int
    command_samples: int
    page_counts: tuple[int, ...]
    drain_jobs: int
    drain_job_s: float

    @classmethod
    def full(cls, runs: int = 3) -> Plan:
        return cls(
            quick=False,
            runs=max(runs, 3),
            load_s=5,
            enqueue_count=2000,
            backlogs=(0, 1_000, 10_000),
            status_backlog=10_000,
            trivial_jobs=500,
            command_samples=40,
            page_counts=(10, 30, 60, 117),
            drain_jobs=100,
            drain_job_s=1.0,
        )

    @classmethod
    def smoke(cls) -> Plan:
        return cls(
            quick=True,
            runs=1,
            load_s=1,
            enqueue_count=200,
            backlogs=(0, 1_000),
            status_backlog=1_000,
            trivial_jobs=60,
            command_samples=8,
            page_counts=(10,),
            drain_jobs=20,
            drain_job_s=0.5,
        )


@dataclass
class Context:
    plan: Plan
    redis: RedisServer
    logs: Path
    notes: list[str] = field(default_factory=list)

    def client(self) -> Redis:
        return self.redis.client()

    def fresh(self) -> Redis:
        """An empty private Redis: every run starts from the same state."""
        self.redis.flush()
        return self.client()


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def multipart_pdf(data: bytes, filename: str = "small.pdf") -> tuple[bytes, str]:
    """A POST /generate body with the PDF as the `file` field, and its Content-Type."""
    head = (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{BOUNDARY}--\r\n".encode(), f"multipart/form-data; boundary={BOUNDARY}"


def create_token(connection: Redis, name: str = BENCH_TOKEN_NAME) -> str:
    """An ordinary (non-admin) API token, as a client would use."""
    from examgen.services import tokens

    return tokens.create(connection, name, admin=False)


def fill_backlog(connection: Redis, count: int, upload: bytes) -> float:
    """Queue `count` real exam jobs of another owner, as users would have; returns the seconds it took."""
    from examgen.core.enqueue import enqueue

    started = time.perf_counter()
    for _ in range(count):
        enqueue(
            connection,
            MAKE_EXAM,
            args=({},),
            meta={"owner": "backlog", "filename": "backlog.pdf", "progress": 0},
            owner="backlog",
            upload=upload,
        )
    return time.perf_counter() - started
