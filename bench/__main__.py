"""`python -m bench [--quick]`: every measurement against a private redis-server, then the table.

`make bench` runs the full plan (medians of at least 3 runs, about ten minutes on two cores) and
writes docs/benchmarks.md; `--quick` runs every path once, small, and only prints the table.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from bench import load
from bench.common import Context, Plan
from bench.report import Report, write
from examgen.testing import private_redis

MEASUREMENTS = ("submit", "commands", "jobs", "drain", "status", "textbook", "generator")


def _clean_environment() -> None:
    """The bench process enqueues too (backlogs, baselines): give it the defaults, not the caller's."""
    for name in list(os.environ):
        if name.startswith(("EXAMGEN_", "MAX_CONCURRENT_JOBS", "WEB_CONCURRENCY", "REDIS_URL")):
            del os.environ[name]


def _steps() -> dict[str, Callable[[Context, Report], None]]:
    from bench import m_commands, m_drain, m_generator, m_jobs, m_status, m_submit, m_textbook

    return {
        "submit": m_submit.run,
        "commands": m_commands.run,
        "jobs": m_jobs.run,
        "drain": m_drain.run,
        "status": m_status.run,
        "textbook": m_textbook.run,
        "generator": m_generator.run,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one small run of every measurement; prints only")
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each figure (at least 3 in a full run)")
    parser.add_argument("--only", action="append", choices=MEASUREMENTS, help="run only these (repeatable)")
    parser.add_argument("--load-tool", choices=("auto", "wrk", "httpx"), default="auto")
    parser.add_argument(
        "--write", type=Path, default=None, help="where to write the report (full run: docs/benchmarks.md)"
    )
    args = parser.parse_args(argv)

    _clean_environment()
    plan = Plan.smoke() if args.quick else Plan.full(args.runs)
    load.set_preference(args.load_tool)
    tool = load.wrk_binary()
    report = Report(quick=plan.quick, runs=plan.runs, load_tool="wrk" if tool else "asyncio httpx client")
    steps = _steps()
    failed: list[str] = []
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="examgen-bench-") as tmp, private_redis(Path(tmp) / "redis") as redis:
        # The bench process itself enqueues (backlogs): point its settings at the private server.
        os.environ["REDIS_URL"] = redis.url
        from examgen.core.settings import get_settings

        get_settings.cache_clear()
        logs = Path(tmp) / "logs"
        logs.mkdir()
        ctx = Context(plan, redis, logs)
        if tool is None:
            ctx.notes.append(
                "wrk was not available: HTTP figures come from the asyncio httpx client, which on a small box "
                "is itself the bottleneck (compare the `/healthz` baselines); install wrk for real figures."
            )
        for name in args.only or MEASUREMENTS:
            step_began = time.monotonic()
            print(f"bench: {name} ...", flush=True)
            try:
                steps[name](ctx, report)
            except Exception:
                failed.append(name)
                traceback.print_exc()
                report.notes.append(f"`{name}` failed in this run; see the console output of `make bench`.")
            print(f"bench: {name} done in {time.monotonic() - step_began:.0f} s", flush=True)
    report.notes[:0] = ctx.notes
    print()
    print(report.table())
    print()
    print(report.growth_table())
    print(f"\nbench: {time.monotonic() - began:.0f} s in all", flush=True)
    target = args.write
    if target is None and not plan.quick and not args.only:
        target = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
    if target is not None:
        print(f"bench: wrote {write(report, target)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
