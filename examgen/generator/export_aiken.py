"""The exam in Moodle's Aiken format: multiple-choice questions only.

Aiken is a question on one line, its choices on lines "A. …", then "ANSWER: X", and a blank line.
It has no comments, no other question types and no escaping, so: cloze and true/false questions
are left out (`aiken_skipped` names them, for the caller to say so), every text is kept on one
line, and a question whose text would be read as a choice or an answer line (it begins "B. " or
"ANSWER:") gets a leading dash. Moodle shows Aiken text as plain text, so nothing is HTML-escaped.
"""

from __future__ import annotations

import re
import string

from .exam import Exam
from .question_types import Mcq, Question

# What Moodle's Aiken reader takes for a choice line or the answer line.
_MISREAD = re.compile(r"^([A-Z][.)]\s|ANSWER\s*:)", re.IGNORECASE)


def _line(text: str) -> str:
    flat = " ".join(text.split())
    return "- " + flat if _MISREAD.match(flat) else flat


def _fits(question: Question) -> bool:
    return isinstance(question, Mcq) and question.answer in question.options and len(question.options) <= 26


def aiken_skipped(exam: Exam) -> list[str]:
    """Ids of the questions Aiken cannot hold (everything but multiple choice)."""
    return [q.id for q in exam.questions if not _fits(q)]


def render_aiken(exam: Exam) -> str:
    blocks = []
    for question in exam.questions:
        if not isinstance(question, Mcq) or not _fits(question):
            continue
        options = question.options
        lines = [_line(question.prompt)]
        lines += [f"{string.ascii_uppercase[i]}. {' '.join(o.split())}" for i, o in enumerate(options)]
        lines.append(f"ANSWER: {string.ascii_uppercase[options.index(question.answer)]}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n" if blocks else ""
