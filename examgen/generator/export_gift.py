"""The exam in Moodle's GIFT text format.

GIFT gives ~ = # { } : a meaning, so each is written with a backslash before it, and so is the
backslash itself; a blank line ends a question, so all text is kept on one line. Moodle shows a
question's text and its choices as HTML, so those are HTML-escaped first (as the Moodle XML export
does): "<script>" in a PDF is shown, not run. Short answers are compared with what students type,
as plain text, so they are not.
"""

from __future__ import annotations

import html

from .exam import Exam
from .question_types import Cloze, Mcq, Question, TrueFalse

_SPECIAL = "\\~=#{}:"


def gift_escape(text: str, *, as_html: bool = True) -> str:
    flat = " ".join(str(text).split())
    if as_html:
        flat = html.escape(flat, quote=False)
    return "".join("\\" + ch if ch in _SPECIAL else ch for ch in flat)


def _category(title: str) -> str:
    # The category line is a path ("/" nests) that Moodle reads without GIFT unescaping: keep it plain.
    plain = "".join(ch if ch.isalnum() or ch in " -_.()" else " " for ch in title)
    return " ".join(plain.split())[:100] or "exam"


def _question(question: Question) -> str:
    head = f"::{gift_escape(question.id, as_html=False)}::{gift_escape(question.prompt)} "
    # "####" opens the general feedback, shown after the attempt: the explanation.
    feedback = f" ####{gift_escape(question.explanation)}" if question.explanation else ""
    match question:
        case Mcq():
            marks = ("=" if option == question.answer else "~" for option in question.options)
            choices = " ".join(mark + gift_escape(option) for mark, option in zip(marks, question.options, strict=True))
            return head + "{" + choices + feedback + "}"
        case TrueFalse():
            return head + "{" + ("TRUE" if question.answer else "FALSE") + feedback + "}"
        case Cloze():
            accepted = question.answers()
            return head + "{" + " ".join("=" + gift_escape(a, as_html=False) for a in accepted) + feedback + "}"


def render_gift(exam: Exam) -> str:
    lines = [
        f"// {' '.join(exam.title.split())}",
        f"// examgen ({exam.generator}) from {' '.join(exam.source.filename.split())}",
        "",
        f"$CATEGORY: examgen/{_category(exam.title)}",
        "",
    ]
    for question in exam.questions:
        lines.append(f"// {question.id}: page {question.source_page}")
        lines.append(_question(question))
        lines.append("")
    return "\n".join(lines)
