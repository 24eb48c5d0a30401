"""Multiple choice: the source sentence with its key blanked, the key among four options."""

from __future__ import annotations

import string

from ..citations import strip_citations
from .base import BLANK, QuestionBase


class Mcq(QuestionBase, tag="mcq"):
    options: list[str]
    """Four texts, the answer among them once; the others are distractors of the key's own kind."""
    answer: str

    def key_text(self, true_word: str, false_word: str) -> str:
        """ "B. <choice>": the letter of the answer and the answer."""
        if self.answer in self.options:
            return f"{string.ascii_uppercase[self.options.index(self.answer)]}. {self.answer}"
        return self.answer

    def statement(self) -> str:
        return self.prompt.replace(BLANK, self.answer)

    def own_problems(self) -> list[str]:
        problems = blank_problems(self.prompt, self.answer, self.source_text)
        if len(self.options) != 4 or not all(self.options):
            return [*problems, "mcq needs 4 options"]
        lowered = [o.lower() for o in self.options]
        if len(set(lowered)) != 4:
            problems.append("mcq options are not distinct")
        if self.options.count(self.answer) != 1:
            problems.append("mcq answer is not among the options")
        key = self.answer.lower()
        for option in lowered:
            if option != key and (option in key or key in option):
                problems.append(f"distractor {option!r} overlaps the answer")
        return problems


def blank_problems(prompt: str, answer: str, source: str) -> list[str]:
    """The rules of a blanked stem (mcq and cloze): the source sentence with the answer cut out once."""
    if not answer.strip():
        return ["empty answer"]
    problems = []
    if answer not in source:
        problems.append("answer does not occur in source_text")
    filled = prompt.replace(BLANK, answer)
    if prompt.count(BLANK) != 1 or filled not in (source, strip_citations(source)):
        problems.append("prompt is not the source sentence with the answer blanked")
    if answer.lower() in prompt.lower():
        problems.append("the answer is still visible in the prompt")
    return problems
