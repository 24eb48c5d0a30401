"""pypdf against pypdfium2 on the shared PDFs: speed, text equality, and what the generator makes of each.

    .venv/bin/python bench/bench_pdf_engines.py [--runs 3] [--pdfs DIR] [--questions 12]

For every PDF in tests/data/pdfs (or --pdfs) it extracts per-page text with both engines through
examgen/generator/extract.py's own read_pages (pypdf: the production path with its hostile-file
guards; pdfium: the optional engine, EXAMGEN_PDF_ENGINE=pdfium), and prints:

* the median wall time of N runs per engine (interleaved, so a noisy neighbour on this shared
  2-core box slows both alike) and the speed ratio;
* text similarity: difflib's ratio on whitespace-normalised text, per page and weighted by page
  length (one SequenceMatcher over a 150 k-character book is quadratic), and the overlap (Jaccard)
  of the two word sets; both after the ligature folding every page gets in layout anyway, so "ﬁ"
  against "fi" is not counted as a difference;
* the generator's outcome on each engine's text (generate_exam with read_pages swapped for the
  pages already read): the PdfProblem kind or the number of questions, and how many source
  sentences both engines' exams share;
* for files an engine refuses (the encrypted ones): the raw library's exception, and the
  PdfProblem kind it becomes;
* the whole generate_exam on the largest file with each engine (what a job costs end to end);
* which files the pdfium engine hands to pypdf after its inflation scan (pdfium_risk), and why: their
  "pdfium" time is pypdf's, plus the scan.

Output is a Markdown table plus a few lines per file, for docs/pdf-engines.md.
"""

from __future__ import annotations

import argparse
import difflib
import functools
import io
import logging
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from examgen.generator import ExamOptions, PdfProblem, generate_exam, pipeline  # noqa: E402
from examgen.generator.chars import normalize_line  # noqa: E402
from examgen.generator.extract import RawPdf, pdfium_risk, read_pages  # noqa: E402

DEFAULT_PDFS = ROOT / "tests" / "data" / "pdfs"
ENGINES = ("pypdf", "pdfium")
MAX_PAGES = 10_000
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass
class Extraction:
    seconds: list[float]
    raw: RawPdf | None
    problem: str | None
    """The PdfProblem kind when the engine refused the file."""


def extract(engine: str, data: bytes, runs: int) -> Extraction:
    times: list[float] = []
    raw: RawPdf | None = None
    problem: str | None = None
    for _ in range(runs):
        start = time.perf_counter()
        try:
            raw = read_pages(data, MAX_PAGES, engine=engine)
        except PdfProblem as refused:
            problem = refused.kind
        times.append(time.perf_counter() - start)
    return Extraction(times, raw, problem)


def interleaved(data: bytes, runs: int) -> dict[str, Extraction]:
    """Each engine once per round, alternating, so both see the same background load."""
    rounds = [{engine: extract(engine, data, 1) for engine in ENGINES} for _ in range(runs)]
    return {
        engine: Extraction(
            [t for r in rounds for t in r[engine].seconds], rounds[-1][engine].raw, rounds[-1][engine].problem
        )
        for engine in ENGINES
    }


def _normalised(page: str) -> str:
    # The per-line folding layout.build_document applies to every engine's text (ligatures, odd
    # spaces, control characters), then all whitespace as one space: line breaks differ by design.
    return " ".join(normalize_line(line) for line in page.splitlines()).strip()


def similarity(a: list[str], b: list[str]) -> tuple[float, float]:
    """(difflib ratio weighted by page length, Jaccard overlap of the word sets)."""
    weighted = total = 0.0
    for left, right in zip(a, b, strict=True):
        x, y = _normalised(left), _normalised(right)
        size = max(len(x), len(y))
        if size == 0:
            continue
        # autojunk off: in long pages of prose " " and "e" are "popular" and would be ignored.
        weighted += difflib.SequenceMatcher(None, x, y, autojunk=False).ratio() * size
        total += size
    words_a = set(_WORD.findall(" ".join(map(_normalised, a)).lower()))
    words_b = set(_WORD.findall(" ".join(map(_normalised, b)).lower()))
    union = words_a | words_b
    return (weighted / total if total else 1.0), (len(words_a & words_b) / len(union) if union else 1.0)


def exam_from(raw: RawPdf, data: bytes, name: str, questions: int) -> dict[str, Any] | str:
    """generate_exam on pages already read; the exam, or the PdfProblem kind."""
    with mock.patch.object(pipeline, "read_pages", lambda *args, **kwargs: raw):
        try:
            return generate_exam(data, name, ExamOptions(num_questions=questions), max_pages=MAX_PAGES)
        except PdfProblem as problem:
            return problem.kind


def whole_exam(data: bytes, name: str, questions: int, runs: int) -> dict[str, list[float]]:
    """generate_exam end to end with each engine, interleaved."""
    times: dict[str, list[float]] = {engine: [] for engine in ENGINES}
    for _ in range(runs):
        for engine in ENGINES:
            with mock.patch.object(pipeline, "read_pages", functools.partial(read_pages, engine=engine)):
                start = time.perf_counter()
                generate_exam(data, name, ExamOptions(num_questions=questions), max_pages=MAX_PAGES)
                times[engine].append(time.perf_counter() - start)
    return times


def raw_refusals(data: bytes) -> dict[str, str]:
    """What each library itself raises on a file (encrypted ones), before extract.py maps it."""
    from pypdf import PdfReader

    out: dict[str, str] = {}
    steps = []
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            steps.append(f"is_encrypted, decrypt('') -> {reader.decrypt('').name}")
        steps.append(f"{len(reader.pages)} pages")
    except Exception as error:
        steps.append(f"then reading the pages raises {type(error).__name__}: {error}")
    out["pypdf"] = "; ".join(steps)
    try:
        import pypdfium2  # type: ignore[import-untyped]

        document = pypdfium2.PdfDocument(data)
        out["pdfium"] = f"opens, {len(document)} pages"
        document.close()
    except Exception as error:
        code = getattr(error, "err_code", None)
        out["pdfium"] = f"{type(error).__name__} (err_code {code}): {error}"
    return out


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _fmt_s(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _outcome(result: dict[str, Any] | str) -> str:
    return result if isinstance(result, str) else f"{len(result['questions'])} q"


def _sources(result: dict[str, Any] | str) -> set[str]:
    if isinstance(result, str):
        return set()
    return {" ".join(q["source_text"].split()) for q in result["questions"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--pdfs", type=Path, default=DEFAULT_PDFS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--questions", type=int, default=12)
    args = parser.parse_args()
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    files = sorted(args.pdfs.glob("*.pdf"))
    if not files:
        sys.exit(f"no PDFs in {args.pdfs}")

    # Warm-up: imports, pdfium's library load, jieba's dictionary; none of it belongs to a file's time.
    warm = files[0].read_bytes()
    for engine in ENGINES:
        extract(engine, warm, 1)

    rows: list[str] = []
    notes: list[str] = []
    total = dict.fromkeys(ENGINES, 0.0)
    for path in files:
        data = path.read_bytes()
        got = interleaved(data, args.runs)
        medians = {engine: _median(got[engine].seconds) for engine in ENGINES}
        for engine in ENGINES:
            total[engine] += medians[engine]
        a, b = got["pypdf"], got["pdfium"]
        risk = pdfium_risk(data)
        # The pdfium engine's column is pypdf's own work for these (plus the scan): say so in the row.
        mark = " ¹" if risk is not None else ""
        if risk is not None:
            notes.append(f"* {path.name}: ¹ the pdfium engine hands it to pypdf: {risk}")
        ratio = medians["pypdf"] / medians["pdfium"] if medians["pdfium"] > 0 else float("inf")
        if a.raw is None or b.raw is None:
            refusals = raw_refusals(data)
            rows.append(
                f"| {path.name} | – | {_fmt_s(medians['pypdf'])} | {_fmt_s(medians['pdfium'])}{mark} | {ratio:.1f}x "
                f"| – | – | {a.problem or 'read'} | {b.problem or 'read'} | – |"
            )
            notes.append(f"* {path.name}: pypdf: {refusals['pypdf']}; pdfium: {refusals['pdfium']}")
            continue
        text_ratio, word_overlap = similarity(a.raw.pages, b.raw.pages)
        exam_a = exam_from(a.raw, data, path.name, args.questions)
        exam_b = exam_from(b.raw, data, path.name, args.questions)
        both = _sources(exam_a) & _sources(exam_b)
        shared = f"{len(both)}/{max(len(_sources(exam_a)), len(_sources(exam_b)))}" if _sources(exam_a) else "–"
        rows.append(
            f"| {path.name} | {len(a.raw.pages)} | {_fmt_s(medians['pypdf'])} | {_fmt_s(medians['pdfium'])}{mark} "
            f"| {ratio:.1f}x | {text_ratio:.3f} | {word_overlap:.3f} | {_outcome(exam_a)} | {_outcome(exam_b)} "
            f"| {shared} |"
        )
        if a.raw.letters != b.raw.letters:
            notes.append(f"* {path.name}: letters+digits pypdf {a.raw.letters}, pdfium {b.raw.letters}")

    print(f"pypdf and pypdfium2 per-page text, median of {args.runs} interleaved runs per engine per file\n")
    print(
        "| file | pages | pypdf | pdfium | speed-up | text ratio | word overlap | exam (pypdf) | exam (pdfium) "
        "| same sentences |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|---|---:|")
    print("\n".join(rows))
    print(
        f"| **all files** | | {_fmt_s(total['pypdf'])} | {_fmt_s(total['pdfium'])} "
        f"| {total['pypdf'] / total['pdfium']:.1f}x | | | | | |"
    )
    if notes:
        print()
        print("\n".join(notes))
    largest = max(files, key=lambda path: path.stat().st_size)
    whole = whole_exam(largest.read_bytes(), largest.name, args.questions, args.runs)
    print(f"\ngenerate_exam on {largest.name}, {args.questions} questions, median of {args.runs}:")
    for engine in ENGINES:
        runs = ", ".join(_fmt_s(t) for t in whole[engine])
        print(f"* {engine}: {_fmt_s(_median(whole[engine]))} ({runs})")


if __name__ == "__main__":
    main()
