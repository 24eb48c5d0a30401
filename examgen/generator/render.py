"""render_exam: one exam, any export format."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .export_gift import render_gift
from .export_html import render_html
from .export_json import render_json
from .export_moodle import render_moodle

FORMATS: dict[str, tuple[Callable[[dict[str, Any]], str], str]] = {
    "json": (render_json, "application/json"),
    "html": (render_html, "text/html; charset=utf-8"),
    "gift": (render_gift, "text/plain; charset=utf-8"),
    "moodle": (render_moodle, "application/xml"),
}


# The file name ending of each format, as `examgen generate` and `examgen submit` write them.
FILE_SUFFIXES = {"json": "json", "html": "html", "gift": "gift.txt", "moodle": "moodle.xml"}


def render_exam(exam: dict[str, Any], fmt: str) -> tuple[str, str]:
    """fmt in {"json","html","gift","moodle"} -> (body text, media type). ValueError for unknown fmt."""
    try:
        render, media_type = FORMATS[fmt]
    except (KeyError, TypeError):
        raise ValueError(f"unknown exam format {fmt!r}; use one of {', '.join(FORMATS)}") from None
    return render(exam), media_type
