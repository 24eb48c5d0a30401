"""How much generate_exam costs on top of pypdf's own text extraction.

    .venv/bin/python bench/bench_generator.py [PDF] [--runs 3]

Times (median of N runs each) pypdf's extract_text() on every page, then the whole generate_exam
on the same bytes, and prints both and their ratio. The goal for GeoTopo-komprimiert.pdf (117
pages) is a ratio of at most ~1.2: everything after extraction must be cheap next to it.
pypdfium2 is compared in bench/bench_pdf_engines.py (docs/pdf-engines.md).
"""

from __future__ import annotations

import argparse
import io
import logging
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from examgen.generator import ExamOptions, generate_exam, pipeline  # noqa: E402
from examgen.generator.extract import read_pages  # noqa: E402

DEFAULT_PDF = ROOT / "tests" / "data" / "pdfs" / "GeoTopo-komprimiert.pdf"


def pypdf_only(data: bytes) -> float:
    start = time.perf_counter()
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        page.extract_text()
    return time.perf_counter() - start


def whole_pipeline(data: bytes, name: str, questions: int) -> float:
    start = time.perf_counter()
    generate_exam(data, name, ExamOptions(num_questions=questions), max_pages=10_000)
    return time.perf_counter() - start


def after_extraction(data: bytes, name: str, questions: int) -> float:
    """The stages after pypdf alone: generate_exam with the pages already read. On a busy machine
    the difference of the two totals above is noise-prone; this measures the generator's share directly."""
    raw = read_pages(data, 10_000)
    original = pipeline.read_pages
    pipeline.read_pages = lambda *args, **kwargs: raw  # type: ignore[assignment]
    try:
        start = time.perf_counter()
        generate_exam(data, name, ExamOptions(num_questions=questions), max_pages=10_000)
        return time.perf_counter() - start
    finally:
        pipeline.read_pages = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pdf", nargs="?", type=Path, default=DEFAULT_PDF)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--questions", type=int, default=10)
    args = parser.parse_args()
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    data = args.pdf.read_bytes()
    pages = len(PdfReader(io.BytesIO(data)).pages)

    whole_pipeline(data, args.pdf.name, args.questions)  # warm-up: imports, jieba's dictionary
    # Interleaved, so a noisy neighbour on the machine slows both the same way.
    base, full = [], []
    for _ in range(args.runs):
        base.append(pypdf_only(data))
        full.append(whole_pipeline(data, args.pdf.name, args.questions))
    base_s, full_s = statistics.median(base), statistics.median(full)
    rest_s = statistics.median(after_extraction(data, args.pdf.name, args.questions) for _ in range(args.runs))
    print(f"file:                 {args.pdf.name} ({pages} pages, {len(data) / 1e6:.1f} MB)")
    print(f"pypdf extract_text:   {base_s:.2f} s  (median of {args.runs}: {', '.join(f'{t:.2f}' for t in base)})")
    print(f"generate_exam:        {full_s:.2f} s  (median of {args.runs}: {', '.join(f'{t:.2f}' for t in full)})")
    print(f"ratio:                {full_s / base_s:.2f}x  (goal: at most ~1.2x)")
    print(f"generator's own work: {full_s - base_s:.2f} s by difference; {rest_s:.2f} s measured alone")
    print(f"ratio from the latter: {(base_s + rest_s) / base_s:.2f}x")
    print("pypdfium2:            not installed in this project; skipped")


if __name__ == "__main__":
    main()
