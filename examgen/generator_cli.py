"""`examgen generate`: the generator library run on one local PDF, writing the exam files.

No Redis, no server, no settings: a teacher can try examgen with one command, and work on the
generator can iterate on real PDFs without the service.
"""

from __future__ import annotations

import sys
from pathlib import Path

from examgen.generator import FILE_SUFFIXES, ExamOptions, PdfProblem, generate_exam, render_exam


def _formats(raw: str) -> list[str]:
    wanted = [f.strip().lower() for f in raw.split(",") if f.strip()]
    unknown = [f for f in wanted if f not in FILE_SUFFIXES]
    if unknown or not wanted:
        raise ValueError(f"--format takes a comma list of {', '.join(FILE_SUFFIXES)}; unknown: {', '.join(unknown)}")
    return list(dict.fromkeys(wanted))


def run_generate(
    file: Path,
    num_questions: int,
    types: str,
    language: str,
    title: str | None,
    out_dir: Path,
    formats: str,
    max_pages: int,
    engine: str,
) -> int:
    """Exit status: 0 with the files written, 1 when the PDF cannot give an exam (and why), 2 for bad options."""
    try:
        wanted = _formats(formats)
        options = ExamOptions(num_questions, tuple(t.strip() for t in types.split(",") if t.strip()), title, language)
        options.validated()
    except ValueError as exc:
        print(f"examgen generate: {exc}", file=sys.stderr)
        return 2
    try:
        exam = generate_exam(file.read_bytes(), file.name, options, max_pages=max_pages, engine=engine)
    except PdfProblem as problem:
        print(f"examgen generate: {file.name}: {problem}", file=sys.stderr)
        return 1
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in wanted:
        body, _ = render_exam(exam, name)
        target = out_dir / f"{file.stem}.{FILE_SUFFIXES[name]}"
        target.write_text(body, encoding="utf-8")
        print(target)
    print(
        f"{len(exam['questions'])} questions from {exam['source']['pages']} pages ({exam['language']}).",
        file=sys.stderr,
    )
    return 0
