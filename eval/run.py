"""Running the generator over the corpus and adding the measures up, per document and per language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from examgen.generator import Exam, ExamOptions, PdfProblem, generate_exam
from examgen.generator.extract import read_pages
from examgen.generator.layout import build_document
from examgen.generator.question_types import Question

from .corpus import Source
from .measures import MEASURES, Text, debris, spread

MAX_PAGES = 500  # the service's default page limit
OPTIONS = ExamOptions(num_questions=10)  # default options: types, language auto; deterministic
NAMES = (*MEASURES, "spread")


@dataclass
class Outcome:
    source: Source
    language: str = ""
    pages: int = 0
    exam: Exam | None = None
    text: str = ""
    error: str = ""
    scores: dict[str, tuple[int, int]] = field(default_factory=dict)
    failures: list[dict[str, str]] = field(default_factory=list)
    """(question id, measure, what failed): where to look first."""


def evaluate(source: Source) -> Outcome:
    data = source.load()
    outcome = Outcome(source)
    try:
        exam = generate_exam(data, source.name, OPTIONS, max_pages=MAX_PAGES)
    except PdfProblem as problem:
        outcome.error = str(problem)
        return outcome
    # The text questions quote from, extracted the way the generator extracts it.
    text = build_document(read_pages(data, MAX_PAGES).pages).text
    outcome.exam, outcome.text = exam, text
    outcome.language, outcome.pages = exam.language, exam.source.pages
    outcome.scores = score(exam.questions, Text(text, outcome.language), outcome.pages, outcome.failures)
    return outcome


def score(
    questions: list[Question], doc: Text, pages: int, failures: list[dict[str, str]] | None = None
) -> dict[str, tuple[int, int]]:
    """Every measure over one exam's questions: (passed, counted) per measure name."""
    totals: dict[str, tuple[int, int]] = {}
    for name, measure in MEASURES.items():
        passed = counted = 0
        for question in questions:
            ok, n = measure(question, doc)
            passed, counted = passed + ok, counted + n
            if ok < n and failures is not None:
                detail = ", ".join(debris(question)) if name == "clean_stem" else ""
                failures.append({"id": question.id, "measure": name, "detail": detail})
        totals[name] = (passed, counted)
    totals["spread"] = spread(questions, pages) if questions else (0, 0)
    return totals


def by_language(outcomes: list[Outcome]) -> dict[str, dict[str, Any]]:
    """Pooled over the documents of each language: passed / counted, and their share."""
    languages: dict[str, dict[str, Any]] = {}
    for outcome in outcomes:
        if outcome.exam is None:
            continue
        row = languages.setdefault(
            outcome.language, {"documents": 0, "questions": 0, **{n: {"passed": 0, "counted": 0} for n in NAMES}}
        )
        row["documents"] += 1
        row["questions"] += len(outcome.exam.questions)
        for name, (passed, counted) in outcome.scores.items():
            row[name]["passed"] += passed
            row[name]["counted"] += counted
    for row in languages.values():
        for name in NAMES:
            cell = row[name]
            cell["share"] = round(cell["passed"] / cell["counted"], 4) if cell["counted"] else None
    return dict(sorted(languages.items()))


def as_json(outcomes: list[Outcome]) -> dict[str, Any]:
    documents = [
        {
            "name": o.source.name,
            "origin": o.source.origin,
            "held_out": o.source.held_out,
            "language": o.language,
            "pages": o.pages,
            "questions": len(o.exam.questions) if o.exam else 0,
            "error": o.error,
            "measures": {name: list(pair) for name, pair in o.scores.items()},
            "failures": o.failures,
        }
        for o in outcomes
    ]
    return {
        "options": {"num_questions": OPTIONS.num_questions},
        "languages": by_language(outcomes),
        "documents": documents,
    }
