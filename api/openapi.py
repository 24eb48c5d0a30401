"""What the OpenAPI document says beyond what Litestar infers: the upload form and error answers."""

from __future__ import annotations

from dataclasses import dataclass

from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIMediaType, Operation, RequestBody, Schema
from litestar.openapi.spec.enums import OpenAPIType


@dataclass
class ErrorBody:
    """Every error answer: the status code again and a sentence a person can act on."""

    status_code: int
    detail: str


def errors(*codes: int) -> dict[int, ResponseSpec]:
    reasons = {
        400: "Malformed request",
        401: "Missing or unknown token",
        403: "Not allowed",
        404: "Unknown job (or another token's)",
        409: "Not ready, or already ended",
        413: "Upload over the limit",
        415: "Not a PDF",
        422: "Invalid option",
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
        "variants": Schema(
            type=OpenAPIType.INTEGER,
            minimum=1,
            maximum=26,
            default=1,
            description="Versions A, B, … of the exam, questions and options shuffled; fetch one with ?variant=B",
        ),
    },
)


@dataclass
class UploadOperation(Operation):
    """POST /generate reads its multipart form itself (to answer 413/415/422 precisely)."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            content={"multipart/form-data": OpenAPIMediaType(schema=_UPLOAD_FORM)},
        )
