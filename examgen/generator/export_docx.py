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
from typing import Any

from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Pt

from .labels import labels, page_label
from .printable import answer_text, variant_label
from .select import BLANK

# Characters XML 1.0 forbids (python-docx refuses them); a PDF's text can contain them.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: Any) -> str:
    return _ILLEGAL.sub("", " ".join(str(text).split()))


def _questions(document: Any, exam: dict[str, Any], words: dict[str, str]) -> None:
    document.add_heading(words["questions"], level=2)
    for number, question in enumerate(exam.get("questions", []), start=1):
        kind = question.get("type")
        prompt = _clean(question.get("prompt", ""))
        if kind != "true_false":
            prompt = prompt.replace(BLANK, "__________")
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{number}. ").bold = True
        paragraph.add_run(prompt)
        hint = document.add_paragraph().add_run(words.get(str(kind), ""))
        hint.italic, hint.font.size = True, Pt(9)
        if kind == "mcq":
            for index, option in enumerate(question.get("options") or []):
                document.add_paragraph(f"{string.ascii_uppercase[index]}. {_clean(option)}", style="List")
        elif kind == "true_false":
            document.add_paragraph(f"☐ {words['true']}    ☐ {words['false']}", style="List")


def _answer_key(document: Any, exam: dict[str, Any], words: dict[str, str], lang: str) -> None:
    document.add_heading(words["answer_key"], level=2)
    for number, question in enumerate(exam.get("questions", []), start=1):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{number}. ").bold = True
        paragraph.add_run(_clean(answer_text(question, words))).bold = True
        paragraph.add_run(f" ({page_label(lang, int(question.get('source_page') or 0))})")


def render_docx(exam: dict[str, Any], key: str = "include") -> bytes:
    lang = str(exam.get("language") or "en")
    words = labels(lang)
    source = exam.get("source") or {}
    document = Document()
    document.core_properties.title = _clean(exam.get("title", ""))
    document.core_properties.author = "examgen"
    document.add_heading(_clean(exam.get("title", "")), level=1)
    meta = f"{words['source']}: {_clean(source.get('filename', ''))} · {source.get('pages')} {words['pages']}"
    meta += f" · {len(exam.get('questions', []))} {words['questions_count']}"
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
