"""The figures, their medians and ratios, and docs/benchmarks.md.

Every figure keeps all its samples: the table quotes medians (a shared two-core box is noisy, and a
median shrugs off the one run another process disturbed), the appendix lists every run.
"""

from __future__ import annotations

import os
import platform
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.common import median
from bench.procs import ROOT

NOTES = Path(__file__).with_name("notes.md")
HOW_TO_RUN = """## How to run it

- `make bench` (`.venv/bin/python -m bench`): everything, three runs each, about 5–6 minutes on two
  cores; rewrites this file. Not part of `make test`.
- `.venv/bin/python -m bench --quick`: one small run of every measurement (about a minute); prints
  the table only. `--only submit|commands|jobs|drain|status|textbook|generator` (repeatable) runs a part,
  `--write PATH` keeps the result, `--runs N` repeats more, `--load-tool httpx` skips wrk.
- Needs `redis-server` (the bench starts its own on a free port and never touches 6379) and wrk
  (installed from Debian by the bench when missing and run as root; otherwise an asyncio httpx
  client with a bounded request count stands in, and the document says so). One module per
  measurement in `bench/`: `m_submit` (with `naive_app`), `m_commands`, `m_jobs`, `m_drain`, `m_status`, `m_textbook`,
  `m_generator`.
- Method: HTTP load from wrk (one thread, keep-alive) for a fixed time; latencies are wrk's HDR
  percentiles. Job times are RQ's own `started_at`/`ended_at`. CPU per job is from /proc (the pool,
  its workers and their reaped work-horses) and `INFO cpu` (redis-server). Peak RSS is VmHWM from
  /proc. Redis command counts come from MONITOR on the private server, split into commands sent by
  clients and commands run inside Lua scripts."""


def per_s(value: float) -> str:
    return f"{value:,.0f}/s" if value >= 100 else f"{value:,.1f}/s"


def ms(value: float) -> str:
    return f"{value:,.2f} ms" if value < 10 else f"{value:,.1f} ms"


def seconds(value: float) -> str:
    return f"{value:,.2f} s"


def mib(value: float) -> str:
    return f"{value:,.0f} MiB"


def count(value: float) -> str:
    return f"{value:,.1f}".removesuffix(".0")


@dataclass
class Figure:
    """One row of the table: examgen's samples against a baseline's, measured in the same run."""

    what: str
    examgen: list[float]
    fmt: Callable[[float], str]
    baseline: list[float] = field(default_factory=list)
    baseline_label: str = ""
    # "min:0.5" (ratio must be at least 0.5), "max:2" (at most 2) or "" (reported only).
    goal: str = ""
    examgen_text: str | None = None
    baseline_text: str | None = None

    @property
    def ratio(self) -> float | None:
        if not self.examgen or not self.baseline or median(self.baseline) == 0:
            return None
        return median(self.examgen) / median(self.baseline)

    @property
    def met(self) -> bool | None:
        if not self.goal or self.ratio is None:
            return None
        kind, limit = self.goal.split(":")
        return self.ratio >= float(limit) if kind == "min" else self.ratio <= float(limit)

    def goal_text(self) -> str:
        if not self.goal:
            return "report"
        kind, limit = self.goal.split(":")
        sign = "≥" if kind == "min" else "≤"
        mark = {True: " ✅", False: " ❌ missed", None: ""}[self.met]
        return f"{sign} {limit}x{mark}"

    def cells(self) -> list[str]:
        mine = self.examgen_text or (self.fmt(median(self.examgen)) if self.examgen else "—")
        theirs = self.baseline_text or (self.fmt(median(self.baseline)) if self.baseline else "—")
        if self.baseline_label:
            theirs = f"{theirs} ({self.baseline_label})"
        ratio = f"{self.ratio:.2f}x" if self.ratio is not None else "—"
        return [self.what, mine, theirs, ratio, self.goal_text()]


@dataclass
class Growth:
    """How one figure changes with the size of something: it should stay flat, or grow linearly."""

    what: str
    size_label: str
    points: list[tuple[int, list[float]]]
    fmt: Callable[[float], str]
    expect: str  # "flat" (same figure at every size) or "linear" (figure / size stays the same)
    higher_is_better: bool = False
    # For "linear": how one unit's share is shown (e.g. milliseconds per page) and that unit's name.
    per_fmt: Callable[[float], str] | None = None
    per_label: str = ""

    def verdict(self) -> str:
        if len(self.points) < 2:
            return "—"
        (small, first), (large, last) = self.points[0], self.points[-1]
        a, b = median(first), median(last)
        if self.expect == "flat":
            change = b / a if a else float("nan")
            ok = change >= 0.8 if self.higher_is_better else change <= 1.25
            return f"{change:.2f}x from {small:,} to {large:,} ({'flat' if ok else 'NOT flat'})"
        per_small, per_large = a / small, b / large
        change = per_large / per_small if per_small else float("nan")
        ok = 0.6 <= change <= 1.4
        fmt = self.per_fmt or self.fmt
        unit = self.per_label or self.size_label
        return f"{fmt(per_small)} → {fmt(per_large)} per {unit} ({'linear' if ok else 'NOT linear'})"


@dataclass
class Report:
    quick: bool
    runs: int
    load_tool: str
    figures: list[Figure] = field(default_factory=list)
    growth: list[Growth] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    extra_sections: list[str] = field(default_factory=list)
    started: datetime = field(default_factory=lambda: datetime.now(UTC))

    def table(self) -> str:
        rows = [["what", "examgen", "baseline", "ratio", "goal"], ["---"] * 5]
        rows += [f.cells() for f in self.figures]
        return "\n".join("| " + " | ".join(r) + " |" for r in rows)

    def growth_table(self) -> str:
        rows = [["what", "at each size (median)", "how it grows"], ["---"] * 3]
        for g in self.growth:
            sizes = ", ".join(f"{size:,} {g.size_label}: {g.fmt(median(s))}" for size, s in g.points)
            rows.append([g.what, sizes, g.verdict()])
        return "\n".join("| " + " | ".join(r) + " |" for r in rows)

    def samples(self) -> str:
        lines = []
        for f in self.figures:
            if not f.examgen:
                continue
            line = f"- {f.what}: examgen {_list(f.examgen, f.fmt)}"
            if f.baseline:
                line += f"; baseline {_list(f.baseline, f.fmt)}"
            lines.append(line)
        for g in self.growth:
            points = "; ".join(f"{size:,}: {_list(s, g.fmt)}" for size, s in g.points)
            lines.append(f"- {g.what}: {points}")
        return "\n".join(lines)

    def markdown(self) -> str:
        machine = _machine()
        parts = [
            "# Benchmarks",
            "",
            f"Written by `make bench` (`python -m bench{' --quick' if self.quick else ''}`) on "
            f"{self.started:%Y-%m-%d %H:%M} UTC. Machine: {machine}. Load tool: {self.load_tool}.",
            "",
            f"Every figure is the **median of {self.runs} run{'s' if self.runs != 1 else ''}**; each ratio is "
            "examgen's median over the baseline's median, both measured in the same `make bench` on the same "
            'machine, against a private `redis-server` the bench starts on a free port (`--save ""`, '
            "`--appendonly no`) and stops at the end. The machine is a shared, noisy box: compare ratios, "
            "not absolute numbers, across runs.",
            "",
            self.table(),
            "",
            "## How the figures grow",
            "",
            self.growth_table(),
            "",
        ]
        for section in self.extra_sections:
            parts += [section, ""]
        if self.notes:
            parts += ["## Notes from this run", "", *(f"- {n}" for n in self.notes), ""]
        if NOTES.exists():
            parts += [NOTES.read_text().strip(), ""]
        parts += [HOW_TO_RUN, "", "## Every run", "", self.samples(), ""]
        return "\n".join(parts)


def _list(values: Sequence[float], fmt: Callable[[float], str]) -> str:
    return "[" + ", ".join(fmt(v) for v in values) + "]"


def _machine() -> str:
    cores = os.cpu_count() or 0
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    redis_version = ""
    try:
        out = subprocess.run(["redis-server", "--version"], capture_output=True, text=True, timeout=10).stdout
        redis_version = next((w.split("=")[1] for w in out.split() if w.startswith("v=")), "")
    except (OSError, subprocess.TimeoutExpired):
        pass
    return (
        f"{cores} cores{f' ({model})' if model else ''}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, Redis {redis_version or '?'}"
    )


def write(report: Report, path: Path | None = None) -> Path:
    target = path or ROOT / "docs" / "benchmarks.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(report.markdown())
    return target
