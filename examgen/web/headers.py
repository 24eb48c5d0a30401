"""The headers every page of this site carries: the dashboard's, and the HTML exam download's."""

from __future__ import annotations

from typing import Any

from litestar import Response

# Only this host's scripts, styles and requests: no inline script, no CDN, no framing.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    # Pages carry CSRF tokens and live numbers: never cached, never replayed from a shared cache.
    "Cache-Control": "no-store",
}


def secure_headers(response: Response[Any]) -> Response[Any]:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
