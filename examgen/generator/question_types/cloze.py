"""Fill in the blank: the source sentence with its key blanked, and every answer that counts."""

from __future__ import annotations

import msgspec

from .base import BLANK, QuestionBase
from .mcq import blank_problems


class Cloze(QuestionBase, tag="cloze"):
    options: None
    answer: str
    accepted_answers: list[str] = msgspec.field(default_factory=list)
    """The answer first, then the other forms the text gives it (abbreviation, plural, a gloss);
    empty means the answer alone."""

    def key_text(self, true_word: str, false_word: str) -> str:
        return self.answer

    def answers(self) -> list[str]:
        """Everything a student may write: the answer and its accepted forms."""
        return self.accepted_answers or [self.answer]

    def statement(self) -> str:
        return self.prompt.replace(BLANK, self.answer)

    def own_problems(self) -> list[str]:
        problems = blank_problems(self.prompt, self.answer, self.source_text)
        if self.options is not None:
            problems.append("cloze takes no options")
        if self.accepted_answers and self.accepted_answers[0] != self.answer:
            problems.append("accepted_answers must start with the answer")
        return problems
