"""The exam generator, a library: PDF bytes and options in, exam JSON out, rendered to each format.

It imports nothing of the service (no settings, no Redis, no RQ): every option and limit is an
argument. The public surface is what this module exports:

    exam = generate_exam(pdf_bytes, "notes.pdf", ExamOptions(num_questions=10), max_pages=500)  # an Exam
    exam, pages = generate_with_pages(pdf_bytes, "notes.pdf", ExamOptions(), max_pages=500)
    new_q3 = regenerate_question(pages, exam, "q3", kind="mcq", attempt=1)   # one more question
    body, media_type = render_exam(exam, "gift")   # json | html | gift | moodle | qti | aiken | docx
    key_only, _ = render_exam(exam, "html", key="only", variant="B")   # variant B's answer key

Stages, one module each: extract (pypdf, or pypdfium2 with engine="pdfium") -> layout (headers,
line joining) -> language -> sentences -> keyphrases_latin / keyphrases_zh -> select ->
distractors -> questions -> validate (stages holds the shared ones; regenerate makes one
question more from the pages' text), with llm as an optional writer and export_* for the formats.
"""

from __future__ import annotations

from .errors import EngineUnavailable, NoNewQuestion, PdfProblem
from .exam import Exam, Source
from .export_aiken import aiken_skipped
from .extract import ENGINES, check_pdf_cheaply
from .llm import LlmBackend
from .options import LANGUAGES, QUESTION_TYPES, ExamOptions
from .pipeline import generate_exam, generate_with_pages
from .printable import KEY_MODES, PRINTABLE
from .question_types import REVIEW_STATUSES, Cloze, Mcq, Question, ReviewStatus, TrueFalse
from .regenerate import regenerate_question
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
    "REVIEW_STATUSES",
    "Cloze",
    "EngineUnavailable",
    "Exam",
    "ExamOptions",
    "LlmBackend",
    "Mcq",
    "NoNewQuestion",
    "PdfProblem",
    "Question",
    "ReviewStatus",
    "Source",
    "TrueFalse",
    "aiken_skipped",
    "check_pdf_cheaply",
    "generate_exam",
    "generate_with_pages",
    "make_variant",
    "regenerate_question",
    "render_exam",
    "variant_letters",
]
