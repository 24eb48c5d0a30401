"""Chosen candidates into typed questions: each gets a type it supports, the requested types as even
as the document allows, true and false statements about balanced."""

from __future__ import annotations

import random
from collections.abc import Sequence

from .blanks import BLANK
from .candidate import Candidate
from .citations import strip_citations
from .labels import explanation
from .question_types import Cloze, Mcq, Question, TrueFalse


def _targets(total: int, types: tuple[str, ...], rng: random.Random) -> dict[str, int]:
    base, extra = divmod(total, len(types))
    targets = dict.fromkeys(types, base)
    for kind in rng.sample(list(types), extra):
        targets[kind] += 1
    return targets


def assign_types(
    candidates: Sequence[Candidate], types: tuple[str, ...], rng: random.Random
) -> list[tuple[str, bool] | None]:
    """(type, false?) per candidate, or None to leave it out. The scarce types are filled first
    (multiple choice needs three siblings, a false statement a contrast), each from the candidates
    that support it; a slot a type cannot fill goes to the requested types that can."""
    targets = _targets(len(candidates), types, rng)
    chosen: list[tuple[str, bool] | None] = [None] * len(candidates)
    free = list(range(len(candidates)))

    def take(kind: str, wanted: int, able: list[int], false: bool = False) -> int:
        picked = able[:wanted]
        for i in picked:
            chosen[i] = (kind, false)
            free.remove(i)
        return len(picked)

    if "mcq" in targets:
        able = [i for i in free if candidates[i].supports("mcq")]
        targets["mcq"] -= take("mcq", targets["mcq"], able)
    if "true_false" in targets:
        wanted = targets["true_false"]
        able = [i for i in free if candidates[i].false is not None]
        made_false = take("true_false", (wanted + 1) // 2, able, false=True)
        targets["true_false"] = wanted - made_false
    if "cloze" in targets:
        able = [i for i in free if candidates[i].supports("cloze")]
        targets["cloze"] -= take("cloze", targets["cloze"], able)
    if "true_false" in targets:
        able = [i for i in free if candidates[i].supports_true()]
        targets["true_false"] -= take("true_false", targets["true_false"], able)
    # Slots left over (a type short of candidates): whatever requested type each candidate supports.
    for i in list(free):
        for kind in ("cloze", "mcq", "true_false"):
            if kind in targets and candidates[i].supports(kind):
                false = kind == "true_false" and not candidates[i].supports_true()
                chosen[i] = (kind, false)
                free.remove(i)
                break
    return chosen


def build_question(candidate: Candidate, kind: str, qid: str, rng: random.Random, lang: str, false: bool) -> Question:
    """The question of type `kind` from a candidate; `false` makes a true/false statement the false one."""
    sentence = candidate.statement.sentence
    page, text = sentence.page, sentence.text
    why = explanation(text, page, lang)
    if kind == "mcq":
        options = [candidate.answer, *candidate.distractors[:3]]
        rng.shuffle(options)
        return Mcq(
            id=qid, prompt=strip_citations(candidate.with_key(BLANK)), options=options, answer=candidate.answer,
            source_page=page, source_text=text, explanation=why,
        )  # fmt: skip
    if kind == "cloze":
        return Cloze(
            id=qid, prompt=strip_citations(candidate.with_key(BLANK)), options=None, answer=candidate.answer,
            accepted_answers=candidate.answers(english=lang == "en"), source_page=page, source_text=text,
            explanation=why,
        )  # fmt: skip
    statement = candidate.false if false and candidate.false else text
    return TrueFalse(
        id=qid, prompt=strip_citations(statement), options=None, answer=statement == text, source_page=page,
        source_text=text, explanation=why,
    )  # fmt: skip


def build_questions(
    candidates: Sequence[Candidate], types: tuple[str, ...], rng: random.Random, lang: str
) -> list[Question]:
    questions: list[Question] = []
    for candidate, assigned in zip(candidates, assign_types(candidates, types, rng), strict=True):
        if assigned is not None:
            kind, false = assigned
            questions.append(build_question(candidate, kind, f"q{len(questions) + 1}", rng, lang, false))
    return questions
