"""True or false: the source sentence as written (true), or with one part changed (false)."""

from __future__ import annotations

from difflib import SequenceMatcher

from ..citations import strip_citations
from .base import BLANK, QuestionBase


class TrueFalse(QuestionBase, tag="true_false"):
    options: None
    answer: bool

    def key_text(self, true_word: str, false_word: str) -> str:
        return true_word if self.answer else false_word

    def statement(self) -> str:
        return self.prompt

    def own_problems(self) -> list[str]:
        problems = []
        if self.options is not None or BLANK in self.prompt:
            problems.append("true_false takes a plain statement without options")
        # The true statement is the sentence as the student reads it: without its citations.
        if self.answer != (self.prompt in (self.source_text, strip_citations(self.source_text))):
            problems.append("true_false answer disagrees with the statement")
        elif not self.answer and SequenceMatcher(None, self.prompt, self.source_text).ratio() < 0.6:
            problems.append("a false statement must be the source sentence with one part changed")
        return problems
