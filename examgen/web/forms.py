"""The app's request class: a malformed form is the client's mistake (400), never a 500.

Litestar's multipart parser (litestar/_multipart.py) decodes every part without a non-empty
filename as text with the part's own charset. A binary file part sent with `filename=""` or only
`filename*=`, a text field that is not UTF-8, or a made-up charset therefore raise UnicodeDecodeError
or LookupError from inside `Request.form()`, which the catch-all handler turns into a 500 with a
logged traceback any anonymous client can repeat. Every handler reads forms through `form()`, so
this one override covers `POST /generate`, the dashboard's login and its re-run form alike.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import FormMultiDict
from litestar.exceptions import ClientException
from multipart import ParserLimitReached  # type: ignore[import-untyped]

# Litestar's default multipart_form_part_limit, which the app keeps.
MAX_FORM_PARTS = 1000


class MalformedForm(ClientException):
    """400 for a request body that is not a form we can read; the dashboard shows it as a page."""


class ExamgenRequest(Request[Any, Any, Any]):
    async def form(self) -> FormMultiDict:
        try:
            return await super().form()
        except UnicodeDecodeError:
            raise MalformedForm(
                "Malformed multipart/form-data: a text part is not valid in its charset (UTF-8 unless it "
                "says otherwise). Send files as parts with a non-empty `filename`."
            ) from None
        except LookupError:
            raise MalformedForm("Malformed multipart/form-data: a part names a charset that does not exist.") from None
        except ClientException as exc:
            limit = exc.__context__
            # Litestar reports every parser limit as "Request Entity Too Large" and drops the cause
            # (`from None`), but the limit it hit is still the exception's context.
            if isinstance(limit, ParserLimitReached):
                if "segment count" in str(limit):
                    raise MalformedForm(f"The form has too many parts: at most {MAX_FORM_PARTS} are read.") from None
                raise MalformedForm(f"A part of the form is over a limit: {limit}.") from None
            raise
