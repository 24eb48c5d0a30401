"""The exam as JSON: the contract of docs/contract.md, UTF-8 text kept as is (no \\u escapes)."""

from __future__ import annotations

import json

from .exam import Exam, to_builtins


def render_json(exam: Exam) -> str:
    return json.dumps(to_builtins(exam), ensure_ascii=False, indent=2) + "\n"
