"""What every question has, whatever its type: the fields of docs/contract.md and the review mark.

Questions are msgspec Structs, one per type, told apart by their `type` tag: the same values go from
the generator through storage to the exports and the API, and JSON is only their wire form. Fields
left at their default (no review mark yet) are not written, so an exam nobody reviewed is stored and
exported exactly as the contract shows it.
"""

from __future__ import annotations

from typing import Literal

import msgspec

ReviewStatus = Literal["accepted", "rejected"]
REVIEW_STATUSES: tuple[ReviewStatus, ...] = ("accepted", "rejected")
BLANK = "_____"


class QuestionBase(msgspec.Struct, kw_only=True, omit_defaults=True, tag_field="type"):
    id: str
    prompt: str
    source_page: int
    source_text: str
    """The sentence of the document the question was made from, verbatim."""
    explanation: str = ""
    """Why the answer is right, in a line; exports show it after the attempt."""
    status: ReviewStatus | None = None
    """A reviewer's mark; exports leave out rejected questions and never show the mark."""

    @property
    def type(self) -> str:
        return str(self.__struct_config__.tag)

    def own_problems(self) -> list[str]:
        """What is wrong with the fields only this type has (empty when sound)."""
        raise NotImplementedError
