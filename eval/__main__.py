"""`python -m eval [--check] [--held-out] [--sample PATH] [--write-floors]` (docs/quality.md).

Runs the generator (default options, 10 questions) on every PDF of eval/texts/, the repository's
test PDFs and the generated fixtures, prints the mechanical measures per language and writes them
to eval/results.json. Exit 0, or with --check 1 when a measure is below its floor in floors.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .corpus import CorpusError, everything
from .report import FLOORS, below_floors, documents_table, floors_from, languages_table, read_floors, sample_markdown
from .run import as_json, evaluate

RESULTS = Path(__file__).resolve().parent / "results.json"
# The sources eval/sample.md shows a blind judge: the two English test PDFs that read as teaching
# text, and the Chinese handout. (The others are filler, German, or give no exam.)
SAMPLED = ("multicolumn.pdf", "GeoBase_NHNC1_Data_Model_UML_EN.pdf", "chinese-handout (fixture)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a measure is below its floor")
    parser.add_argument("--held-out", action="store_true", help="include the held-out texts (final judging only)")
    parser.add_argument("--sample", type=Path, help="also write the blind judge's sample to this file")
    parser.add_argument("--write-floors", action="store_true", help="set floors.json from this run")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    try:
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
    if args.sample:
        chosen = [o for name in SAMPLED for o in outcomes if o.source.name == name]
        args.sample.write_text(sample_markdown(chosen), encoding="utf-8")
        print(f"sample for a blind judge: {args.sample}")
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
