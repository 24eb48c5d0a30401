"""regenerate_question: one new question from the pages' text, unlike every question of the exam."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from gen_helpers import assert_sound, english_pdf_bytes

from examgen.generator import (
    Exam,
    ExamOptions,
    Mcq,
    NoNewQuestion,
    PdfProblem,
    Question,
    generate_with_pages,
    regenerate_question,
)
from examgen.generator.layout import build_document


def _exam(data: bytes, n: int = 8) -> tuple[Exam, list[str]]:
    return generate_with_pages(data, "notes.pdf", ExamOptions(num_questions=n), max_pages=500)


def _replaced(exam: Exam, question: Question) -> Exam:
    questions = [question if q.id == question.id else q for q in exam.questions]
    return msgspec.structs.replace(exam, questions=questions)


def _check_new(exam: Exam, pages: list[str], new: Question, kind: str) -> None:
    assert new.id == "q2" and new.type == kind
    others = exam.questions
    assert new.source_text not in {q.source_text for q in others}
    if isinstance(new.answer, str):
        assert new.answer.lower() not in {q.answer.lower() for q in others if isinstance(q.answer, str)}
    # The exam with the new question in place obeys every rule a generated exam does.
    assert_sound(_replaced(exam, new), build_document(pages).text)


@pytest.mark.parametrize("kind", ["mcq", "cloze", "true_false"])
def test_english_new_question_of_each_type(pdfs: Path, kind: str) -> None:
    exam, pages = _exam(english_pdf_bytes(), n=6)
    new = regenerate_question(pages, exam, "q2", kind=kind)
    _check_new(exam, pages, new, kind)
    if isinstance(new, Mcq):
        assert len(new.options) == 4 and new.answer in new.options


# The Chinese handout's one set of siblings (造纸术、印刷术、火药和指南针) and its three definitions give
# the exam its multiple-choice and fill-in questions: none is left to regenerate as such.
@pytest.mark.parametrize("kind", ["true_false"])
def test_chinese_new_question_of_each_type(chinese_pdf: bytes, kind: str) -> None:
    exam, pages = _exam(chinese_pdf, n=3)
    assert exam.language == "zh"
    new = regenerate_question(pages, exam, "q2", kind=kind)
    _check_new(exam, pages, new, kind)
    assert "第" in new.explanation or "页" in new.explanation  # explained in the exam's language


def test_default_type_is_the_replaced_questions(chinese_pdf: bytes) -> None:
    exam, pages = _exam(chinese_pdf)
    assert regenerate_question(pages, exam, "q2").type == exam.questions[1].type


def test_same_attempt_same_question_next_attempt_another(pdfs: Path) -> None:
    exam, pages = _exam(english_pdf_bytes(), n=6)
    first = regenerate_question(pages, exam, "q2", kind="cloze", attempt=1)
    assert regenerate_question(pages, exam, "q2", kind="cloze", attempt=1) == first
    # Regenerating again: the first new question is in the exam now, so the next one differs from it.
    exam = _replaced(exam, first)
    second = regenerate_question(pages, exam, "q2", kind="cloze", attempt=2)
    assert second.source_text != first.source_text


def test_no_further_question_is_a_clear_error(pdfs: Path) -> None:
    exam, pages = _exam(english_pdf_bytes(), n=100)
    with pytest.raises(NoNewQuestion, match="no further sentence"):
        for attempt in range(100):  # each new question uses one more sentence, until none is left
            exam = _replaced(exam, regenerate_question(pages, exam, "q1", kind="cloze", attempt=attempt))
            copy = msgspec.structs.replace(exam.questions[0], id=f"x{attempt}")
            exam = msgspec.structs.replace(exam, questions=[*exam.questions, copy])


def test_unknown_question_or_type_and_too_little_text(chinese_pdf: bytes) -> None:
    exam, pages = _exam(chinese_pdf)
    with pytest.raises(ValueError, match="no question"):
        regenerate_question(pages, exam, "q99")
    with pytest.raises(ValueError, match="type must be"):
        regenerate_question(pages, exam, "q1", kind="essay")
    with pytest.raises(PdfProblem):
        regenerate_question(["too short"], exam, "q1")
