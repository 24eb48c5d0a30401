"""What the OpenAPI document says beyond what Litestar infers: the upload form and error answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.exceptions import ClientException
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIFormat, OpenAPIMediaType, Operation, Parameter, RequestBody, Schema
from litestar.openapi.spec.enums import OpenAPIType


@dataclass
class ErrorBody:
    """Every error answer: the status code again and a sentence a person can act on."""

    status_code: int
    detail: str


def errors(*codes: int) -> dict[int, ResponseSpec]:
    reasons = {
        400: "Malformed request (POST /generate: also a malformed Idempotency-Key)",
        401: "Missing or unknown token",
        403: "Not allowed",
        404: "Unknown job (or another token's); exam edits: an unknown question",
        409: (
            "Not ready, or already ended; POST /generate: this Idempotency-Key's first request still runs; "
            "exam edits: the revision limit reached; regenerating: an exam generated before its source text was kept"
        ),
        413: "Upload over the limit",
        415: "Not a PDF",
        422: (
            "Invalid option (POST /generate: also an Idempotency-Key reused with another upload; "
            "exam edits: an edit that breaks a question's rules)"
        ),
        429: "Per-token quota reached",
        503: "Redis unavailable or full",
    }
    return {code: ResponseSpec(data_container=ErrorBody, description=reasons[code]) for code in codes}


_UPLOAD_FORM = Schema(
    type=OpenAPIType.OBJECT,
    required=["file"],
    properties={
        "file": Schema(type=OpenAPIType.STRING, format="binary", description="The PDF"),  # type: ignore[arg-type]
        "num_questions": Schema(type=OpenAPIType.INTEGER, minimum=1, maximum=100, default=10),
        "types": Schema(type=OpenAPIType.STRING, description="Comma list of mcq, cloze, true_false"),
        "title": Schema(type=OpenAPIType.STRING, max_length=200),
        "language": Schema(type=OpenAPIType.STRING, enum=["auto", "en", "zh"], default="auto"),
        "callback_url": Schema(
            type=OpenAPIType.STRING,
            format=OpenAPIFormat.URI,
            description="http(s) URL on EXAMGEN_CALLBACK_ALLOW that gets the job view when the job ends (else 422)",
        ),
        "reuse": Schema(
            type=OpenAPIType.BOOLEAN,
            default=False,
            description="true: the same PDF with the same options from the same owner answers its finished job (200)",
        ),
        "variants": Schema(
            type=OpenAPIType.INTEGER,
            minimum=1,
            maximum=26,
            default=1,
            description="Versions A, B, … of the exam, questions and options shuffled; fetch one with ?variant=B",
        ),
    },
)


# POST /generate with reuse=true, when a finished job already holds this exam: no new job.
REUSED = {
    200: ResponseSpec(
        data_container=dict[str, Any], description="reuse=true: the owner's finished job with this PDF and options"
    )
}
_IDEMPOTENCY_KEY = Parameter(
    name="Idempotency-Key",
    param_in="header",
    required=False,
    description="1-255 visible ASCII characters: a retry with the same key (and upload) answers the first job",
    schema=Schema(type=OpenAPIType.STRING, min_length=1, max_length=255),
)


def one_header(request: Request[Any, Any, Any], name: str) -> str | None:
    """The header's one value; 400 when it comes twice (which of two keys would be meant?)."""
    values = request.headers.getall(name, [])
    if len(values) > 1:
        raise ClientException(f"Send at most one {name} header.")
    return values[0] if values else None


@dataclass
class UploadOperation(Operation):
    """POST /generate reads its multipart form itself (to answer 413/415/422 precisely)."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            content={"multipart/form-data": OpenAPIMediaType(schema=_UPLOAD_FORM)},
        )
        self.parameters = [*(self.parameters or []), _IDEMPOTENCY_KEY]
