"""What the printable formats (HTML, DOCX) share: which copy to print, and the variant's name."""

from __future__ import annotations

from collections.abc import Mapping

from .exam import Exam
from .lang import profile
from .question_types import Question

# include: questions then the answer key; none: the student copy; only: the answer key alone.
KEY_MODES = ("include", "none", "only")
PRINTABLE = ("html", "docx")


def variant_label(exam: Exam) -> str:
    """ "Variant B" in the exam's language, or "" for an exam that is not a variant."""
    if not exam.variant:
        return ""
    return profile(exam.language or "en").variant.format(exam.variant)


def answer_text(question: Question, words: Mapping[str, str]) -> str:
    """The key's entry for a question: "B. <choice>", "True"/"False" in the exam's words, or the answer."""
    return question.key_text(words["true"], words["false"])
