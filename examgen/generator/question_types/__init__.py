"""The question types, one module each, and their union (tagged by `type` in JSON)."""

from __future__ import annotations

from .base import BLANK, REVIEW_STATUSES, QuestionBase, ReviewStatus
from .cloze import Cloze
from .mcq import Mcq
from .true_false import TrueFalse

Question = Mcq | Cloze | TrueFalse
QUESTION_TYPES = ("mcq", "cloze", "true_false")

__all__ = [
    "BLANK",
    "QUESTION_TYPES",
    "REVIEW_STATUSES",
    "Cloze",
    "Mcq",
    "Question",
    "QuestionBase",
    "ReviewStatus",
    "TrueFalse",
]
