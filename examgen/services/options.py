"""The form fields of POST /generate, checked before anything is stored: 422 names the bad one."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from litestar.exceptions import HTTPException

QUESTION_TYPES = ("mcq", "cloze", "true_false")
LANGUAGES = ("auto", "en", "zh")
MAX_TITLE_CHARS = 200


class InvalidOption(HTTPException):
    status_code = 422


def _text(form: Mapping[str, Any], name: str) -> str | None:
    value = form.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidOption(f"`{name}` must be a plain form field, not a file.")
    return value.strip()


def _printable(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch == " ")


def parse_options(form: Mapping[str, Any]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    raw = _text(form, "num_questions")
    if raw:
        # [0-9], not \d: int() would take Arabic-Indic or full-width digits ("٣") as well.
        if not re.fullmatch(r"[0-9]{1,4}", raw) or not 1 <= int(raw) <= 100:
            raise InvalidOption(f"`num_questions` must be a whole number from 1 to 100, not {raw[:20]!r}.")
        options["num_questions"] = int(raw)
    raw = _text(form, "types")
    if raw:
        types = [t.strip() for t in raw.split(",") if t.strip()]
        unknown = [t for t in types if t not in QUESTION_TYPES]
        if unknown or not types:
            raise InvalidOption(f"`types` is a comma list of {', '.join(QUESTION_TYPES)}; unknown: {unknown!r}.")
        options["types"] = tuple(dict.fromkeys(types))
    raw = _text(form, "language")
    if raw:
        if raw not in LANGUAGES:
            raise InvalidOption(f"`language` must be one of {', '.join(LANGUAGES)}.")
        options["language"] = raw
    raw = _text(form, "title")
    if raw:
        title = _printable(raw)
        if len(title) > MAX_TITLE_CHARS:
            raise InvalidOption(f"`title` is at most {MAX_TITLE_CHARS} characters.")
        options["title"] = title or None
    return options


def clean_filename(name: str | None) -> str:
    """The last path component, printable characters only: shown to people, never used as a path."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = _printable(base).strip()[:200]
    return base or "upload.pdf"
