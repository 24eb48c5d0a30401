"""What the printable formats (HTML, DOCX) share: which copy to print, and the variant's name."""

from __future__ import annotations

from .exam import Exam
from .question_types import Question

# include: questions then the answer key; none: the student copy; only: the answer key alone.
KEY_MODES = ("include", "none", "only")
PRINTABLE = ("html", "docx")

_VARIANT = {"en": "Variant {}", "de": "Variante {}", "fr": "Variante {}", "es": "Variante {}", "zh": "试卷 {}"}


def variant_label(exam: Exam) -> str:
    """ "Variant B" in the exam's language, or "" for an exam that is not a variant."""
    if not exam.variant:
        return ""
    return _VARIANT.get(exam.language or "en", _VARIANT["en"]).format(exam.variant)


def answer_text(question: Question, words: dict[str, str]) -> str:
    """The key's entry for a question: "B. <choice>", "True"/"False" in the exam's words, or the answer."""
    return question.key_text(words["true"], words["false"])
