"""One new question for an exam: of the type asked for, from the same source text, unlike every
question the exam already has (never its sentence, never its answer), checked like the others.

It works from the pages' text rather than the PDF, because the upload is deleted when the job ends:
the service keeps that text beside the exam (generate_with_pages gives it). The same text goes
through the same stages (examgen.generator.stages), so the new question comes from the pool the
exam came from. The seed names the question and an attempt number, so asking again for the same
question gives another one and the same request always gives the same one.
"""

from __future__ import annotations

import random

import msgspec

from .errors import NoNewQuestion
from .exam import Exam
from .lang import SUPPORTED
from .options import QUESTION_TYPES
from .question_types import Cloze, Question
from .questions import build_question
from .stages import prepare
from .validate import question_problems

# The best candidates left are tried in a shuffled order, so each attempt can land on another one
# while staying among the good ones; beyond them the rest follow best first.
_WINDOW = 12
# Candidates completed (siblings, contrasts) before giving up: a text without material for the type
# must not try every sentence.
_TRIES = 200


def regenerate_question(
    pages: list[str],
    exam: Exam,
    question_id: str,
    *,
    kind: str | None = None,
    attempt: int = 0,
) -> Question:
    """A new question to put in place of `question_id` (it keeps that id), of type `kind` (default:
    the replaced question's). ValueError for an unknown question or type; NoNewQuestion when the
    text has no further sentence for one; PdfProblem when the pages hold too little text."""
    old = next((q for q in exam.questions if q.id == question_id), None)
    if old is None:
        raise ValueError(f"the exam has no question {question_id!r}")
    wanted = kind or old.type
    if wanted not in QUESTION_TYPES:
        raise ValueError(f"type must be one of {', '.join(QUESTION_TYPES)}")
    # The exam's language is what detection (or the job's option) chose for this very text.
    prepared = prepare(pages, exam.language if exam.language in SUPPORTED else "auto")
    used_sources = {q.source_text for q in exam.questions}
    used_answers = {q.answer.lower() for q in exam.questions if isinstance(q.answer, str)}
    rng = random.Random(f"{exam.source.sha256}|regenerate|{question_id}|{attempt}")

    left = [c for c in prepared.candidates if c.sentence_text not in used_sources]
    left = [c for c in left if c.answer.lower() not in used_answers]
    left.sort(key=lambda c: (-c.score, c.statement.sentence.index))
    window = left[:_WINDOW]
    rng.shuffle(window)
    for tries, candidate in enumerate([*window, *left[_WINDOW:]]):
        if tries >= _TRIES:
            break
        prepared.planner.complete(candidate)
        if not candidate.supports(wanted):
            continue
        false = wanted == "true_false" and candidate.false is not None and rng.random() < 0.5
        question = build_question(candidate, wanted, question_id, rng, prepared.lang, false)
        if question_problems(question, prepared.doc.text, prepared.doc.pages):
            continue
        if isinstance(question, Cloze):
            # Another form counts only when the text itself uses it, as in a generated exam.
            accepted = question.answers()
            kept = [accepted[0], *(a for a in accepted[1:] if a.lower() in prepared.inventory.text_lower)]
            question = msgspec.structs.replace(question, accepted_answers=kept)
        return question
    raise _none_left(wanted)


def _none_left(kind: str) -> NoNewQuestion:
    label = {"mcq": "multiple-choice", "cloze": "fill-in-the-blank", "true_false": "true/false"}[kind]
    return NoNewQuestion(
        f"The document has no further sentence for a new {label} question: every good one is in the exam "
        "already. Try another type, or edit the question instead."
    )
