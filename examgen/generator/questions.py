"""Turning chosen (sentence, key, distractors) triples into mcq, cloze and true_false questions."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from .select import BLANK, Candidate
from .terms import Occurrence


@dataclass(frozen=True)
class Draft:
    candidate: Candidate
    occurrence: Occurrence
    distractors: tuple[str, ...]

    @property
    def answer(self) -> str:
        return self.occurrence.surface(self.candidate.sentence.text)

    def with_key(self, replacement: str) -> str:
        text = self.candidate.sentence.text
        return text[: self.occurrence.start] + replacement + text[self.occurrence.end :]


def _targets(total: int, types: tuple[str, ...], rng: random.Random) -> dict[str, int]:
    base, extra = divmod(total, len(types))
    targets = dict.fromkeys(types, base)
    for kind in rng.sample(list(types), extra):
        targets[kind] += 1
    return targets


def assign_types(drafts: list[Draft], types: tuple[str, ...], rng: random.Random) -> list[str | None]:
    """A type per draft (None: drop it). mcq goes only where three good distractors exist; the
    slots it cannot fill go to the other requested types."""
    targets = _targets(len(drafts), types, rng)
    assigned: list[str | None] = [None] * len(drafts)
    if "mcq" in targets:
        able = [i for i, d in enumerate(drafts) if len(d.distractors) >= 3]
        for i in rng.sample(able, min(targets["mcq"], len(able))):
            assigned[i] = "mcq"
        shortfall = targets["mcq"] - min(targets["mcq"], len(able))
        others = [t for t in ("true_false", "cloze") if t in targets]
        for n in range(shortfall if others else 0):
            targets[others[n % len(others)]] += 1
    open_slots = [i for i, kind in enumerate(assigned) if kind is None]
    if "true_false" in targets:
        picked = rng.sample(open_slots, min(targets["true_false"], len(open_slots)))
        for i in picked:
            assigned[i] = "true_false"
        open_slots = [i for i in open_slots if i not in picked]
    for i in open_slots:
        if "cloze" in targets:
            assigned[i] = "cloze"
        elif "true_false" in targets:
            assigned[i] = "true_false"
    return assigned


def build_questions(drafts: list[Draft], types: tuple[str, ...], rng: random.Random) -> list[dict[str, Any]]:
    kinds = assign_types(drafts, types, rng)
    true_false = [i for i, kind in enumerate(kinds) if kind == "true_false"]
    can_be_false = [i for i in true_false if drafts[i].distractors]
    # About half the statements false, as far as distractors allow.
    false_ones = set(rng.sample(can_be_false, min(len(can_be_false), (len(true_false) + 1) // 2)))
    questions: list[dict[str, Any]] = []
    for i, (draft, kind) in enumerate(zip(drafts, kinds, strict=True)):
        if kind is None:
            continue
        sentence = draft.candidate.sentence
        question: dict[str, Any] = {
            "id": f"q{len(questions) + 1}",
            "type": kind,
            "prompt": draft.with_key(BLANK),
            "options": None,
            "answer": draft.answer,
            "source_page": sentence.page,
            "source_text": sentence.text,
        }
        if kind == "mcq":
            options = [draft.answer, *draft.distractors[:3]]
            rng.shuffle(options)
            question["options"] = options
        elif kind == "true_false":
            is_false = i in false_ones
            question["prompt"] = draft.with_key(draft.distractors[0]) if is_false else sentence.text
            question["answer"] = not is_false
        questions.append(question)
    return questions
