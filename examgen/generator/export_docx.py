"""The exam as a Word document (python-docx): the printable copy for those who edit before printing.

The same content as the HTML export, with the same `key` modes (printable.py): a title, the
source line, Name/Date fields, numbered questions with their instruction, choices A, B, C, …,
true/false boxes, and the answer key after a page break. python-docx writes text as text, so
nothing needs escaping; XML-illegal control characters, which Word cannot hold, are dropped.
"""

from __future__ import annotations

import io
import re
import string
from collections.abc import Mapping
from typing import Any

from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Pt

from .exam import Exam
from .labels import labels, page_label
from .printable import answer_text, variant_label
from .question_types import BLANK, Mcq, TrueFalse

# Characters XML 1.0 forbids (python-docx refuses them); a PDF's text can contain them.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _ILLEGAL.sub("", " ".join(text.split()))


def _questions(document: Any, exam: Exam, words: Mapping[str, str]) -> None:
    document.add_heading(words["questions"], level=2)
    for number, question in enumerate(exam.questions, start=1):
        prompt = _clean(question.prompt)
        if not isinstance(question, TrueFalse):
            prompt = prompt.replace(BLANK, "__________")
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{number}. ").bold = True
        paragraph.add_run(prompt)
        hint = document.add_paragraph().add_run(words.get(question.type, ""))
        hint.italic, hint.font.size = True, Pt(9)
        if isinstance(question, Mcq):
            for index, option in enumerate(question.options):
                document.add_paragraph(f"{string.ascii_uppercase[index]}. {_clean(option)}", style="List")
        elif isinstance(question, TrueFalse):
            document.add_paragraph(f"☐ {words['true']}    ☐ {words['false']}", style="List")


def _answer_key(document: Any, exam: Exam, words: Mapping[str, str], lang: str) -> None:
    document.add_heading(words["answer_key"], level=2)
    for number, question in enumerate(exam.questions, start=1):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{number}. ").bold = True
        paragraph.add_run(_clean(answer_text(question, words))).bold = True
        paragraph.add_run(f" ({page_label(lang, question.source_page)})")


def render_docx(exam: Exam, key: str = "include") -> bytes:
    lang = exam.language or "en"
    words = labels(lang)
    document = Document()
    document.core_properties.title = _clean(exam.title)
    document.core_properties.author = "examgen"
    document.add_heading(_clean(exam.title), level=1)
    meta = f"{words['source']}: {_clean(exam.source.filename)} · {exam.source.pages} {words['pages']}"
    meta += f" · {len(exam.questions)} {words['questions_count']}"
    if variant_label(exam):
        meta += f" · {variant_label(exam)}"
    document.add_paragraph(meta)
    document.add_paragraph(f"{words['name']}: ____________________    {words['date']}: __________")
    if key != "only":
        _questions(document, exam, words)
    if key == "include":
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    if key != "none":
        _answer_key(document, exam, words, lang)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
