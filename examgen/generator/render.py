"""render_exam: one exam, any export format, any variant, the student copy or the answer key."""

from __future__ import annotations

from collections.abc import Callable

from .exam import Exam
from .export_aiken import render_aiken
from .export_docx import render_docx
from .export_gift import render_gift
from .export_html import render_html
from .export_json import render_json
from .export_moodle import render_moodle
from .export_qti import render_qti
from .printable import KEY_MODES, PRINTABLE
from .variants import make_variant

# Text formats render to str, the zip and Word formats to bytes.
FORMATS: dict[str, tuple[Callable[[Exam], str | bytes], str]] = {
    "json": (render_json, "application/json"),
    "html": (render_html, "text/html; charset=utf-8"),
    "gift": (render_gift, "text/plain; charset=utf-8"),
    "moodle": (render_moodle, "application/xml"),
    "qti": (render_qti, "application/zip"),
    "aiken": (render_aiken, "text/plain; charset=utf-8"),
    "docx": (render_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}
_KEYED: dict[str, Callable[[Exam, str], str | bytes]] = {"html": render_html, "docx": render_docx}


# The file name ending of each format, as `examgen generate` and `examgen submit` write them.
FILE_SUFFIXES = {
    "json": "json",
    "html": "html",
    "gift": "gift.txt",
    "moodle": "moodle.xml",
    "qti": "qti.zip",
    "aiken": "aiken.txt",
    "docx": "docx",
}
BINARY_FORMATS = ("qti", "docx")


def render_exam(exam: Exam, fmt: str, *, key: str = "include", variant: str | None = None) -> tuple[str | bytes, str]:
    """(body, media type) of the exam in `fmt`: text formats give str, "qti" and "docx" bytes.

    `key` ("include", "none", "only") applies to the printable formats, html and docx; `variant`
    (a letter A–Z) shuffles questions and options (variants.py). ValueError for anything unknown.
    """
    try:
        render, media_type = FORMATS[fmt]
    except (KeyError, TypeError):
        raise ValueError(f"unknown exam format {fmt!r}; use one of {', '.join(FORMATS)}") from None
    if key not in KEY_MODES:
        raise ValueError(f"unknown key mode {key!r}; use one of {', '.join(KEY_MODES)}")
    if key != "include" and fmt not in PRINTABLE:
        raise ValueError(f"key={key} applies to the printable formats only ({', '.join(PRINTABLE)})")
    if variant is not None:
        exam = make_variant(exam, variant)
    if fmt in _KEYED:
        return _KEYED[fmt](exam, key), media_type
    return render(exam), media_type
