"""What the printable formats (HTML, DOCX) share: which copy to print, and the variant's name."""

from __future__ import annotations

import string
from typing import Any

# include: questions then the answer key; none: the student copy; only: the answer key alone.
KEY_MODES = ("include", "none", "only")
PRINTABLE = ("html", "docx")

_VARIANT = {"en": "Variant {}", "de": "Variante {}", "fr": "Variante {}", "es": "Variante {}", "zh": "试卷 {}"}


def variant_label(exam: dict[str, Any]) -> str:
    """ "Variant B" in the exam's language, or "" for an exam that is not a variant."""
    letter = exam.get("variant")
    if not letter:
        return ""
    return _VARIANT.get(str(exam.get("language") or "en"), _VARIANT["en"]).format(letter)


def answer_text(question: dict[str, Any], words: dict[str, str]) -> str:
    """The key's entry for a question: "B. <choice>", "True"/"False" in the exam's words, or the answer."""
    answer = question.get("answer")
    if question.get("type") == "true_false":
        return words["true"] if answer is True else words["false"]
    options = question.get("options") or []
    if question.get("type") == "mcq" and answer in options:
        return f"{string.ascii_uppercase[options.index(answer)]}. {answer}"
    return str(answer)
