"""The offline exam generator: PDF bytes in, exam JSON (DESIGN.md) out, and its exports.

Stages, one module each: extract (pypdf; pypdfium2 with EXAMGEN_PDF_ENGINE=pdfium) ->
layout (headers, line joining) -> language -> sentences -> keyphrases_latin / keyphrases_zh ->
select -> distractors -> questions -> validate, with llm as an optional writer and export_* for the output formats.
"""

from __future__ import annotations

from .errors import PdfProblem
from .extract import check_pdf_cheaply
from .options import ExamOptions
from .pipeline import generate_exam
from .render import render_exam

__all__ = ["ExamOptions", "PdfProblem", "check_pdf_cheaply", "generate_exam", "render_exam"]
