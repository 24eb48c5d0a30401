"""Reviewing an exam over HTTP: its revisions, editing one question, a new question order.

The logic is examgen.services.revisions (the review pages use it too); these handlers find the
caller's own job (404 for another token's) and answer the revision the change made.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import anyio
from litestar import Controller, Request, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.exceptions import ClientException
from litestar.openapi.spec import OpenAPIMediaType, Operation, RequestBody, Schema
from litestar.openapi.spec.enums import OpenAPIType
from litestar.params import FromPath, JSONBody
from redis import Redis

from examgen.api.openapi import errors
from examgen.generator import QUESTION_TYPES
from examgen.services import regenerate, revisions
from examgen.services.jobs import owned_job
from examgen.services.jobview import JobView
from examgen.services.tokens import Caller

_TEXT = OpenAPIType.STRING
_EDIT = Schema(
    type=OpenAPIType.OBJECT,
    description="Any of these fields; the others stay as they are. Each accepted edit makes a new revision.",
    properties={
        "prompt": Schema(type=_TEXT, max_length=revisions.MAX_PROMPT_CHARS, description="the stem; cloze: with _____"),
        "options": Schema(
            type=OpenAPIType.ARRAY,
            items=Schema(type=_TEXT, max_length=revisions.MAX_OPTION_CHARS),
            min_items=2,
            max_items=revisions.MAX_OPTIONS,
            description="mcq only: distinct, the answer among them",
        ),
        "answer": Schema(
            one_of=[Schema(type=_TEXT, max_length=revisions.MAX_ANSWER_CHARS), Schema(type=OpenAPIType.BOOLEAN)],
            description="mcq, cloze: a string; true_false: a boolean",
        ),
        "explanation": Schema(
            type=[_TEXT, OpenAPIType.NULL], max_length=revisions.MAX_EXPLANATION_CHARS, description="null removes it"
        ),
        "status": Schema(type=_TEXT, enum=list(revisions.STATUSES), description="rejected: left out of exports"),
    },
)
_ORDER = Schema(
    type=OpenAPIType.OBJECT,
    required=["order"],
    properties={
        "order": Schema(type=OpenAPIType.ARRAY, items=Schema(type=_TEXT), description="every question id once"),
    },
)
_REGENERATE = Schema(
    type=OpenAPIType.OBJECT,
    properties={
        "type": Schema(type=_TEXT, enum=list(QUESTION_TYPES), description="default: the replaced question's type"),
    },
)
_REVISION_ANSWER = "The new revision: revision, author, created_at, change and the exam (with each question's status)"


def _json_body(schema: Schema) -> RequestBody:
    return RequestBody(required=True, content={"application/json": OpenAPIMediaType(schema=schema)})


@dataclass
class EditOperation(Operation):
    """The handler validates the edit itself (422 with a sentence), so the schema is stated here."""

    def __post_init__(self) -> None:
        self.request_body = _json_body(_EDIT)


@dataclass
class OrderOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = _json_body(_ORDER)


@dataclass
class RegenerateOperation(Operation):
    """The body is optional and may be JSON or a form (the review page posts one)."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=False,
            content={
                "application/json": OpenAPIMediaType(schema=_REGENERATE),
                "application/x-www-form-urlencoded": OpenAPIMediaType(schema=_REGENERATE),
            },
        )


async def requested_type(request: Request[Any, Any, Any]) -> object:
    """The `type` of a JSON or form body; None without one. 400 for JSON that does not parse, 422 for
    anything but an object with at most `type`."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return (await request.form()).get("type")
    body = await request.body()
    if not body.strip():
        return None
    try:
        data = json.loads(body)
    except ValueError:
        raise ClientException('The body is not JSON: send {"type": "mcq"}, a form, or nothing.') from None
    if not isinstance(data, dict) or set(data) - {"type"}:
        raise revisions.InvalidEdit("Send a JSON object with at most the field `type`.")
    return data.get("type")


def _regenerate(redis: Redis, caller: Caller, job_id: str, question_id: str, kind: object) -> JobView:
    return regenerate.request(redis, caller, owned_job(redis, caller, job_id), question_id, kind)


class ReviewController(Controller):
    tags = ("review",)

    @get(
        "/jobs/{job_id:str}/exam/revisions",
        sync_to_thread=True,
        summary="The exam's revisions, oldest first: 0 is the exam as generated",
        responses=errors(400, 401, 404, 409, 503),
    )
    def list_revisions(
        self, job_id: FromPath[str], caller: NamedDependency[Caller], redis: NamedDependency[Redis]
    ) -> list[revisions.Summary]:
        return revisions.history(redis, owned_job(redis, caller, job_id))

    @patch(
        "/jobs/{job_id:str}/exam/questions/{question_id:str}",
        sync_to_thread=True,
        summary="Edit, accept or reject one question: a new revision",
        description=_REVISION_ANSWER,
        operation_class=EditOperation,
        responses=errors(400, 401, 404, 409, 422, 503),
    )
    def edit_question(
        self,
        job_id: FromPath[str],
        question_id: FromPath[str],
        data: JSONBody[dict[str, Any]],
        caller: NamedDependency[Caller],
        redis: NamedDependency[Redis],
    ) -> revisions.Record:
        job = owned_job(redis, caller, job_id)
        return revisions.edit_question(redis, job, caller, question_id, data)

    @post(
        "/jobs/{job_id:str}/exam/order",
        status_code=200,
        sync_to_thread=True,
        summary="Put the questions in a new order: a new revision",
        description=_REVISION_ANSWER,
        operation_class=OrderOperation,
        responses=errors(400, 401, 404, 409, 422, 503),
    )
    def reorder(
        self,
        job_id: FromPath[str],
        data: JSONBody[dict[str, Any]],
        caller: NamedDependency[Caller],
        redis: NamedDependency[Redis],
    ) -> revisions.Record:
        job = owned_job(redis, caller, job_id)
        return revisions.reorder(redis, job, caller, data.get("order"))

    @post(
        "/jobs/{job_id:str}/exam/questions/{question_id:str}/regenerate",
        status_code=202,
        summary="Regenerate one question: a small job whose end appends a revision with the new question",
        description=(
            "202 with the small job's view (Location: /jobs/{id}); it waits in the same queue, under the same cap "
            "and quota as the owner's exams. 409 until the exam is finished, and for exams generated before "
            "regeneration existed (their source text was not kept)."
        ),
        operation_class=RegenerateOperation,
        responses=errors(400, 401, 404, 409, 422, 429, 503),
    )
    async def regenerate(
        self,
        request: Request[Any, Any, Any],
        job_id: FromPath[str],
        question_id: FromPath[str],
        caller: NamedDependency[Caller],
        redis: NamedDependency[Redis],
    ) -> Response[JobView]:
        kind = await requested_type(request)
        view = await anyio.to_thread.run_sync(_regenerate, redis, caller, job_id, question_id, kind)
        return Response(view, status_code=202, headers={"Location": f"/jobs/{view['job_id']}"})
