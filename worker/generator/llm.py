"""Optional model backend (stub while the offline path is tuned)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .layout import Document
from .options import ExamOptions
from .questions import Draft
from .select import Candidate


def llm_questions(
    candidates: Sequence[Candidate], drafts: Sequence[Draft], options: ExamOptions, lang: str, doc: Document, seed: str
) -> tuple[list[dict[str, Any]], str] | None:
    return None
