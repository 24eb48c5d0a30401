"""What `GET /jobs/{id}/exam` checks and sends beside the body: format, copy, variant, headers.

The generator is imported only when an exam is downloaded, so the web process starts without it;
the names the checks need come from examgen.services.options (a test compares them with the
generator's).
"""

from __future__ import annotations

import re
from typing import Any

from litestar.exceptions import HTTPException, NotFoundException

from examgen.services.options import EXPORTS, KEY_MODES, PRINTABLE
from examgen.web.headers import SECURITY_HEADERS

# Files to save rather than pages to show: Content-Disposition says attachment.
BINARY = ("qti", "docx")
_LETTER = re.compile(r"[A-Z]")


class Unprocessable(HTTPException):
    status_code = 422


def check_request(format: str, key: str, variant: str | None) -> None:
    """422 for a format, key mode or variant spelling that no exam can have."""
    if format not in EXPORTS:
        raise Unprocessable(f"`format` must be one of {', '.join(EXPORTS)}.")
    if key not in KEY_MODES:
        raise Unprocessable(f"`key` must be one of {', '.join(KEY_MODES)}.")
    if key != "include" and format not in PRINTABLE:
        raise Unprocessable(f"`key={key}` applies to the printable formats only: {', '.join(PRINTABLE)}.")
    if variant is not None and not _LETTER.fullmatch(variant):
        raise Unprocessable("`variant` is one capital letter, A for the first version, B for the second, ….")


def check_variant(meta: dict[str, Any], variant: str | None) -> None:
    """404 for a well-formed variant this job does not have (a job with 3 variants has A, B, C)."""
    count = int(meta.get("variants") or 1)
    if variant is not None and ord(variant) - ord("A") >= count:
        last = chr(ord("A") + count - 1)
        raise NotFoundException(f"This exam has no variant {variant}: it was made with {count} (A–{last}).")


def exam_headers(job_id: str, format: str, variant: str | None, key: str) -> dict[str, str]:
    """An HTML exam is a page of this site holding uploaded text: the dashboard's protections apply,
    its one inline style allowed by hash. Zip and Word files are attachments."""
    from examgen.generator.export_html import STYLE_SOURCE

    name = f"exam-{job_id}" + (f"-{variant}" if variant else "") + ("" if key == "include" else f"-key-{key}")
    disposition = "attachment" if format in BINARY else "inline"
    headers = {"Content-Disposition": f'{disposition}; filename="{name}.{EXPORTS[format]}"'}
    headers["X-Content-Type-Options"] = "nosniff"
    if format == "html":
        headers.update(SECURITY_HEADERS)
        policy = SECURITY_HEADERS["Content-Security-Policy"].replace("style-src 'self'", f"style-src {STYLE_SOURCE}")
        headers["Content-Security-Policy"] = policy
    return headers
