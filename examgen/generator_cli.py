"""`examgen generate`: the generator library run on one local PDF, writing the exam files.

No Redis, no server, no settings: a teacher can try examgen with one command, and work on the
generator can iterate on real PDFs without the service.
"""

from __future__ import annotations

import sys
from pathlib import Path

from examgen.generator import (
    FILE_SUFFIXES,
    KEY_MODES,
    PRINTABLE,
    ExamOptions,
    PdfProblem,
    aiken_skipped,
    generate_exam,
    render_exam,
    variant_letters,
)


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
    variants: int = 1,
    key: str = "include",
) -> int:
    """Exit status: 0 with the files written, 1 when the PDF cannot give an exam (and why), 2 for bad options."""
    try:
        wanted = _formats(formats)
        letters = variant_letters(variants)
        if key not in KEY_MODES:
            raise ValueError(f"--key takes one of {', '.join(KEY_MODES)}")
        if key != "include" and any(f not in PRINTABLE for f in wanted):
            raise ValueError(f"--key {key} applies to the printable formats only: {', '.join(PRINTABLE)}")
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
    if "aiken" in wanted and aiken_skipped(exam):
        print(
            f"examgen generate: Aiken holds multiple choice only; left out: {', '.join(aiken_skipped(exam))}",
            file=sys.stderr,
        )
    for letter in letters:
        for name in wanted:
            body, _ = render_exam(exam, name, key=key, variant=letter if variants > 1 else None)
            stem = file.stem + (f".{letter}" if variants > 1 else "") + ("" if key == "include" else f".key-{key}")
            target = out_dir / f"{stem}.{FILE_SUFFIXES[name]}"
            if isinstance(body, bytes):
                target.write_bytes(body)
            else:
                target.write_text(body, encoding="utf-8")
            print(target)
    print(
        f"{len(exam.questions)} questions from {exam.source.pages} pages ({exam.language}).",
        file=sys.stderr,
    )
    for notice in exam.notices:
        print(f"examgen generate: {notice}", file=sys.stderr)
    return 0
