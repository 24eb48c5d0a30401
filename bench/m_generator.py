"""The exam generator alone, in one process: runs bench/bench_generator.py (another module's own tool).

That script times `generate_exam` against pypdf's extraction on the same bytes, interleaved, and
prints both; here it runs as a subprocess (so its imports and caches are its own) and its two
medians become a row of the table. Its whole output goes into docs/benchmarks.md as it printed it.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import TEXTBOOK_PDF, Context
from bench.m_textbook import first_pages
from bench.procs import ROOT, BenchError
from bench.report import Figure, Report, seconds

SCRIPT = ROOT / "bench" / "bench_generator.py"
_SECONDS = re.compile(r"^(pypdf extract_text|generate_exam):\s+([0-9.]+) s\s+\(median of \d+: ([0-9., ]+)\)", re.M)


def run(ctx: Context, report: Report) -> None:
    if not SCRIPT.exists():
        report.notes.append("bench/bench_generator.py is not there yet: the generator-only row is missing.")
        return
    with tempfile.TemporaryDirectory(prefix="bench-gen-") as tmp:
        pdf = TEXTBOOK_PDF
        if ctx.plan.quick:
            pdf = Path(tmp) / "first-10-pages.pdf"
            pdf.write_bytes(first_pages(TEXTBOOK_PDF, 10))
        done = subprocess.run(
            [sys.executable, str(SCRIPT), str(pdf), "--runs", str(ctx.plan.runs)],
            capture_output=True,
            text=True,
            timeout=900,
            cwd=ROOT,
            check=False,
        )
    if done.returncode != 0:
        raise BenchError(f"bench_generator.py failed ({done.returncode}): {done.stderr[-1000:]}")
    found = {name: [float(v) for v in runs.split(",")] for name, _, runs in _SECONDS.findall(done.stdout)}
    if len(found) == 2:
        report.figures.append(
            Figure(
                f"`generate_exam` in one process ({pdf.name}, `bench/bench_generator.py`)",
                found["generate_exam"],
                seconds,
                found["pypdf extract_text"],
                "pypdf `extract_text` on every page",
                goal="max:1.2",
            )
        )
    else:
        report.notes.append("bench_generator.py's output had an unexpected shape; it is quoted below as printed.")
    report.extra_sections.append(
        "## The generator alone (`bench/bench_generator.py`)\n\n```\n" + done.stdout.strip() + "\n```"
    )
