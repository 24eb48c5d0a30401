"""The rules every question obeys, whoever wrote it: checked on offline output and on model output."""

from __future__ import annotations

from .question_types import Question


def question_problems(question: Question, document_text: str, pages: int) -> list[str]:
    """Empty when the question is sound; otherwise what is wrong with it, for logs and tests."""
    if not question.prompt.strip():
        return ["empty prompt"]
    source = question.source_text
    if not source.strip() or source not in document_text:
        return ["source_text is not a sentence of the document"]
    problems = []
    if not 1 <= question.source_page <= pages:
        problems.append("source_page out of range")
    return problems + question.own_problems()
