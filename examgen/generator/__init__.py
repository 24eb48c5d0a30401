"""The exam generator, a library: PDF bytes and options in, exam JSON out, rendered to each format.

It imports nothing of the service (no settings, no Redis, no RQ): every option and limit is an
argument. The public surface is what this module exports:

    exam = generate_exam(pdf_bytes, "notes.pdf", ExamOptions(num_questions=10), max_pages=500)
    body, media_type = render_exam(exam, "gift")   # json | html | gift | moodle | qti | aiken | docx
    key_only, _ = render_exam(exam, "html", key="only", variant="B")   # variant B's answer key

Stages, one module each: extract (pypdf, or pypdfium2 with engine="pdfium") -> layout (headers,
line joining) -> language -> sentences -> keyphrases_latin / keyphrases_zh -> select ->
distractors -> questions -> validate, with llm as an optional writer and export_* for the formats.
"""

from __future__ import annotations

from .errors import EngineUnavailable, PdfProblem
from .export_aiken import aiken_skipped
from .extract import ENGINES, check_pdf_cheaply
from .llm import LlmBackend
from .options import LANGUAGES, QUESTION_TYPES, ExamOptions
from .pipeline import generate_exam
from .printable import KEY_MODES, PRINTABLE
from .render import BINARY_FORMATS, FILE_SUFFIXES, FORMATS, render_exam
from .variants import MAX_VARIANTS, make_variant, variant_letters

__all__ = [
    "BINARY_FORMATS",
    "ENGINES",
    "FILE_SUFFIXES",
    "FORMATS",
    "KEY_MODES",
    "LANGUAGES",
    "MAX_VARIANTS",
    "PRINTABLE",
    "QUESTION_TYPES",
    "EngineUnavailable",
    "ExamOptions",
    "LlmBackend",
    "PdfProblem",
    "aiken_skipped",
    "check_pdf_cheaply",
    "generate_exam",
    "make_variant",
    "render_exam",
    "variant_letters",
]
