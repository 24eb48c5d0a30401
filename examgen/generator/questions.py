"""Turning chosen (sentence, key, distractors) triples into mcq, cloze and true_false questions."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from .english import other_number
from .labels import explanation
from .question_types import BLANK, Cloze, Mcq, Question, TrueFalse
from .select import Candidate
from .terms import Occurrence


@dataclass(frozen=True)
class Draft:
    candidate: Candidate
    occurrence: Occurrence
    distractors: tuple[str, ...]
    false_option: str | None = None
    """The distractor a true/false statement may swap in (distractors.false_statement); None: none is safe."""

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
        # About half the statements should be false, and only drafts with a safe swap can be: those
        # are picked first, so the other statements do not all come out true.
        want = min(targets["true_false"], len(open_slots))
        can_be_false = [i for i in open_slots if drafts[i].false_option]
        picked = rng.sample(can_be_false, min(len(can_be_false), (want + 1) // 2))
        rest = [i for i in open_slots if i not in picked]
        picked += rng.sample(rest, want - len(picked))
        for i in picked:
            assigned[i] = "true_false"
        open_slots = [i for i in open_slots if i not in picked]
    for i in open_slots:
        if "cloze" in targets:
            assigned[i] = "cloze"
        elif "true_false" in targets:
            assigned[i] = "true_false"
    return assigned


# "三磷酸腺苷（ATP）", "the Linear Reference System (LRS)": the text gives the key a second name.
_ALSO_CALLED = re.compile(r"\s?[（(]([^()（）]{1,40})[)）]")


def accepted_answers(draft: Draft, lang: str) -> list[str]:
    """What a cloze answer may be: the key, its other number (English), and a name the text gives it
    in brackets right after it. Case is left to the quiz tool (Moodle ignores it by default)."""
    answers = [draft.answer]
    if lang == "en" and draft.occurrence.term.kind == "term":
        answers.append(other_number(draft.answer) or "")
    named = _ALSO_CALLED.match(draft.candidate.sentence.text, draft.occurrence.end)
    if named and named.group(1).strip():
        answers.append(named.group(1).strip())
    unique: dict[str, str] = {}
    for answer in answers:
        if answer:
            unique.setdefault(answer.lower(), answer)
    return list(unique.values())


def build_question(draft: Draft, kind: str, qid: str, rng: random.Random, lang: str, false: bool = False) -> Question:
    """The question of type `kind` from a draft; `false` makes a true/false statement the false one."""
    sentence = draft.candidate.sentence
    page, text = sentence.page, sentence.text
    why = explanation(text, page, lang)
    if kind == "mcq":
        options = [draft.answer, *draft.distractors[:3]]
        rng.shuffle(options)
        return Mcq(
            id=qid, prompt=draft.with_key(BLANK), options=options, answer=draft.answer, source_page=page,
            source_text=text, explanation=why,
        )  # fmt: skip
    if kind == "cloze":
        return Cloze(
            id=qid, prompt=draft.with_key(BLANK), options=None, answer=draft.answer,
            accepted_answers=accepted_answers(draft, lang), source_page=page, source_text=text, explanation=why,
        )  # fmt: skip
    statement = draft.with_key(draft.false_option or "") if false else text
    return TrueFalse(
        id=qid, prompt=statement, options=None, answer=not false, source_page=page, source_text=text, explanation=why
    )


def build_questions(
    drafts: list[Draft], types: tuple[str, ...], rng: random.Random, lang: str = "en"
) -> list[Question]:
    kinds = assign_types(drafts, types, rng)
    true_false = [i for i, kind in enumerate(kinds) if kind == "true_false"]
    can_be_false = [i for i in true_false if drafts[i].false_option]
    # About half the statements false, as far as distractors allow.
    false_ones = set(rng.sample(can_be_false, min(len(can_be_false), (len(true_false) + 1) // 2)))
    questions: list[Question] = []
    for i, (draft, kind) in enumerate(zip(drafts, kinds, strict=True)):
        if kind is not None:
            questions.append(build_question(draft, kind, f"q{len(questions) + 1}", rng, lang, i in false_ones))
    return questions
