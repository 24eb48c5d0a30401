"""The exam in Moodle's GIFT text format.

GIFT gives ~ = # { } : a meaning, so each is written with a backslash before it, and so is the
backslash itself; a blank line ends a question, so all text is kept on one line. Moodle shows a
question's text and its choices as HTML, so those are HTML-escaped first (as the Moodle XML export
does): "<script>" in a PDF is shown, not run. Short answers are compared with what students type,
as plain text, so they are not.
"""

from __future__ import annotations

import html
from typing import Any

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


def _question(question: dict[str, Any]) -> str:
    qid, kind = str(question.get("id", "")), question.get("type")
    head = f"::{gift_escape(qid, as_html=False)}::{gift_escape(question.get('prompt', ''))} "
    answer = question.get("answer")
    # "####" opens the general feedback, shown after the attempt: the explanation.
    feedback = f" ####{gift_escape(question['explanation'])}" if question.get("explanation") else ""
    if kind == "mcq":
        options = question.get("options") or []
        choices = " ".join(("=" if option == answer else "~") + gift_escape(option) for option in options)
        return head + "{" + choices + feedback + "}"
    if kind == "true_false":
        return head + "{" + ("TRUE" if answer is True else "FALSE") + feedback + "}"
    accepted = question.get("accepted_answers") or [answer]
    return head + "{" + " ".join("=" + gift_escape(str(a), as_html=False) for a in accepted) + feedback + "}"


def render_gift(exam: dict[str, Any]) -> str:
    source = exam.get("source") or {}
    lines = [
        f"// {' '.join(str(exam.get('title', '')).split())}",
        f"// examgen ({exam.get('generator', 'builtin')}) from {' '.join(str(source.get('filename', '')).split())}",
        "",
        f"$CATEGORY: examgen/{_category(str(exam.get('title', '')))}",
        "",
    ]
    for question in exam.get("questions", []):
        lines.append(f"// {question.get('id')}: page {question.get('source_page')}")
        lines.append(_question(question))
        lines.append("")
    return "\n".join(lines)
