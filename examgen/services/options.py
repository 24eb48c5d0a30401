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
# The exam formats and the file name ending of each, as the generator's render.py has them (a test
# compares the two): the web process and the client know them without loading the generator.
EXPORTS = {
    "json": "json",
    "html": "html",
    "gift": "gift.txt",
    "moodle": "moodle.xml",
    "qti": "qti.zip",
    "aiken": "aiken.txt",
    "docx": "docx",
}
# include: questions then the answer key; none: the student copy; only: the key alone.
KEY_MODES = ("include", "none", "only")
PRINTABLE = ("html", "docx")
# Versions of one exam, lettered A–Z (the generator's variants.py shuffles them).
MAX_VARIANTS = 26


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


def parse_variants(form: Mapping[str, Any]) -> int:
    """The `variants` field: how many lettered versions of the exam to serve (1–26, default 1)."""
    raw = _text(form, "variants")
    if not raw:
        return 1
    if not re.fullmatch(r"[0-9]{1,3}", raw) or not 1 <= int(raw) <= MAX_VARIANTS:
        raise InvalidOption(f"`variants` must be a whole number from 1 to {MAX_VARIANTS}, not {raw[:20]!r}.")
    return int(raw)


def parse_flag(form: Mapping[str, Any], name: str) -> bool:
    """A yes/no field: true/false, 1/0, yes/no, on/off (absent or empty: false)."""
    raw = (_text(form, name) or "false").lower()
    if raw not in ("true", "false", "1", "0", "yes", "no", "on", "off"):
        raise InvalidOption(f"`{name}` must be true or false, not {raw[:20]!r}.")
    return raw in ("true", "1", "yes", "on")


def clean_filename(name: str | None) -> str:
    """The last path component, printable characters only: shown to people, never used as a path."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = _printable(base).strip()[:200]
    return base or "upload.pdf"
