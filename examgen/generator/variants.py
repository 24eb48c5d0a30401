"""Variants of one exam: the same questions, their order and each question's options shuffled.

Variant A is the exam as generated, so an exam with one variant reads exactly as before. Variant
B, C, … shuffle from a seed made of the exam's source digest and the letter: the same exam always
gives the same variant B, on any host, in any Python (random.Random seeded with bytes is stable).
Question ids are kept, so a variant's question can be traced to the generated one.
"""

from __future__ import annotations

import hashlib
import random
import string

import msgspec

from .exam import Exam
from .question_types import Mcq

LETTERS = string.ascii_uppercase
MAX_VARIANTS = len(LETTERS)


def variant_letters(count: int) -> str:
    """The letters of `count` variants: 3 -> "ABC"."""
    if not 1 <= count <= MAX_VARIANTS:
        raise ValueError(f"variants must be from 1 to {MAX_VARIANTS}, not {count}")
    return LETTERS[:count]


def variant_seed(exam: Exam, letter: str) -> bytes:
    basis = f"{exam.source.sha256}\n{exam.title}\n{letter}"
    return hashlib.sha256(basis.encode("utf-8")).digest()


def make_variant(exam: Exam, letter: str) -> Exam:
    """The exam as variant `letter` (one of A–Z), with `variant` set to the letter."""
    if len(letter) != 1 or letter not in LETTERS:
        raise ValueError(f"a variant is one capital letter A–Z, not {letter!r}")
    questions = list(exam.questions)
    if letter != "A":
        rng = random.Random(variant_seed(exam, letter))
        rng.shuffle(questions)
        for index, question in enumerate(questions):
            if isinstance(question, Mcq):
                options = list(question.options)
                rng.shuffle(options)
                questions[index] = msgspec.structs.replace(question, options=options)
    return msgspec.structs.replace(exam, questions=questions, variant=letter)
