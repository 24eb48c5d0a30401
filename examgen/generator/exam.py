"""The exam as a typed value (docs/contract.md's exam JSON), and its one JSON form.

Everything that holds an exam (the generator, storage, revisions, the exports, the API) holds an
`Exam`; `encode`/`decode` are the only way it becomes bytes and back, so a field added here reaches
every format and every reader at once.
"""

from __future__ import annotations

import msgspec

from .question_types import Question


class Source(msgspec.Struct):
    filename: str
    pages: int
    sha256: str


class Exam(msgspec.Struct, kw_only=True, omit_defaults=True):
    title: str
    language: str
    source: Source
    generator: str
    """ "builtin", or "llm:<model>" when a model wrote the questions."""
    questions: list[Question]
    notices: list[str] = msgspec.field(default_factory=list)
    """What the generator could not do, in sentences a teacher can act on (fewer questions than
    asked, and why)."""
    variant: str | None = None
    """The letter of a variant (A–Z) once shuffled by variants.make_variant."""


def encode(exam: Exam) -> bytes:
    return msgspec.json.encode(exam)


def decode(data: bytes | str) -> Exam:
    """An exam from its JSON; msgspec.ValidationError when it is not one."""
    return msgspec.json.decode(data, type=Exam)


def to_builtins(exam: Exam) -> dict[str, object]:
    """The exam as plain JSON values (for the places that embed it in a larger JSON document)."""
    built: dict[str, object] = msgspec.to_builtins(exam)
    return built
