"""The exam as JSON: the contract of docs/contract.md, UTF-8 text kept as is (no \\u escapes)."""

from __future__ import annotations

import json
from typing import Any


def render_json(exam: dict[str, Any]) -> str:
    return json.dumps(exam, ensure_ascii=False, indent=2) + "\n"
