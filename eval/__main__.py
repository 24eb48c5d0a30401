"""`python -m eval [--check] [--held-out] [--write-floors] | --packet DIR | --tally FILE...` (docs/quality.md).

Runs the generator (default options, 10 questions) on every PDF of eval/texts/, the repository's
test PDFs and the generated fixtures, prints the mechanical measures per language and writes them
to eval/results.json. Exit 0, or with --check 1 when a measure is below its floor in floors.json.
--packet writes what blind judges read (eval/packet.py); --tally adds up their verdicts (eval/tally.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .corpus import CorpusError, everything, real_texts
from .packet import stem, write_packet
from .report import FLOORS, below_floors, documents_table, floors_from, languages_table, read_floors
from .run import as_json, evaluate
from .tally import tally_files

RESULTS = Path(__file__).resolve().parent / "results.json"


def packet(folder: Path, held_out: bool, only: str, exams: Path | None) -> int:
    """The judges' material for the real texts: the held-out ones with --held-out, else the others."""
    wanted = {stem(name.strip()) for name in only.split(",") if name.strip()}
    chosen = [s for s in real_texts() if (s.held_out == held_out and not wanted) or stem(s.name) in wanted]
    for item in write_packet(chosen, folder, exams):
        made = f"{len(item.exam.questions)} questions" if item.exam else item.error
        print(f"{item.source.name}: {made}")
    print(f"packet for blind judges: {folder}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a measure is below its floor")
    parser.add_argument("--held-out", action="store_true", help="include the held-out texts (final judging only)")
    parser.add_argument("--packet", type=Path, help="write the blind judges' material to this folder and stop")
    parser.add_argument("--only", default="", help="with --packet: these texts only (comma-separated names)")
    parser.add_argument("--exams", type=Path, help="with --packet: take <name>.json exams from this folder")
    parser.add_argument("--tally", type=Path, nargs="+", help="add up judges' verdict tables and stop")
    parser.add_argument("--write-floors", action="store_true", help="set floors.json from this run")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.tally:
        print(tally_files(args.tally, args.packet))
        return 0
    try:
        if args.packet:
            return packet(args.packet, args.held_out, args.only, args.exams)
        sources = everything(include_held_out=args.held_out)
    except CorpusError as problem:
        print(f"eval: {problem}", file=sys.stderr)
        return 2
    outcomes = []
    for source in sources:
        print(f"… {source.name}", file=sys.stderr, flush=True)
        outcomes.append(evaluate(source))
    results = as_json(outcomes)
    print(documents_table(outcomes), end="\n\n")
    print(languages_table(results["languages"]))
    args.results.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\nper question: {args.results}")
    if args.write_floors:
        FLOORS.write_text(json.dumps(floors_from(results["languages"]), indent=1) + "\n", encoding="utf-8")
        print(f"floors set from this run: {FLOORS}")
    if args.check:
        regressions = below_floors(results["languages"], read_floors())
        for line in regressions:
            print(f"REGRESSION {line}")
        return 1 if regressions else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
