"""The rules every question obeys, whoever wrote it: checked on offline output and on model output."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

from .select import BLANK

TYPES = ("mcq", "cloze", "true_false")


def question_problems(question: dict[str, Any], document_text: str, pages: int) -> list[str]:
    """Empty when the question is sound; otherwise what is wrong with it, for logs and tests."""
    problems: list[str] = []
    kind, prompt, answer = question.get("type"), question.get("prompt"), question.get("answer")
    source, options, page = question.get("source_text"), question.get("options"), question.get("source_page")
    if kind not in TYPES:
        return [f"unknown type {kind!r}"]
    if not isinstance(prompt, str) or not prompt.strip():
        return ["empty prompt"]
    if not isinstance(source, str) or not source.strip() or source not in document_text:
        return ["source_text is not a sentence of the document"]
    if not isinstance(page, int) or isinstance(page, bool) or not 1 <= page <= pages:
        problems.append("source_page out of range")
    if kind == "true_false":
        if not isinstance(answer, bool):
            return [*problems, "true_false answer must be true or false"]
        if options is not None or BLANK in prompt:
            problems.append("true_false takes a plain statement without options")
        if answer != (prompt == source):
            problems.append("true_false answer disagrees with the statement")
        elif not answer and SequenceMatcher(None, prompt, source).ratio() < 0.6:
            problems.append("a false statement must be the source sentence with one part changed")
        return problems
    if not isinstance(answer, str) or not answer.strip():
        return [*problems, "empty answer"]
    if answer not in source:
        problems.append("answer does not occur in source_text")
    if prompt.count(BLANK) != 1 or prompt.replace(BLANK, answer) != source:
        problems.append("prompt is not the source sentence with the answer blanked")
    if answer.lower() in prompt.lower():
        problems.append("the answer is still visible in the prompt")
    if kind == "cloze":
        if options is not None:
            problems.append("cloze takes no options")
        return problems
    if not isinstance(options, list) or len(options) != 4 or not all(isinstance(o, str) and o for o in options):
        return [*problems, "mcq needs 4 options"]
    lowered = [o.lower() for o in options]
    if len(set(lowered)) != 4:
        problems.append("mcq options are not distinct")
    if options.count(answer) != 1:
        problems.append("mcq answer is not among the options")
    for option in lowered:
        if option != answer.lower() and (option in answer.lower() or answer.lower() in option):
            problems.append(f"distractor {option!r} overlaps the answer")
    return problems
