"""Where a blank is fair: the answer is not left visible, not half a word, not one item of a list."""

from __future__ import annotations

import re

from .acronyms import initials_in
from .chars import is_cjk

BLANK = "_____"
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
# A key in a coordination ("the modular reduction and _____", "PSI and _____", A、_____和C) is
# guessed from its neighbour, or filled as well by the other item: no blank there.
_COORDINATED_AFTER = re.compile(r"^\s*(?:,|&|and\b|or\b|und\b|oder\b|et\b|ou\b|y\b|、|和|与|及|或|以及)")
_COORDINATED_BEFORE = re.compile(
    r"(?:,|&|\band|\bor|\bund|\boder|\bet|\bou|\by|、|和|与|及|或|以及)\s*(?:(?:the|a|an|some|its|their|all)\s+)?$"
)


def blank_ok(text: str, start: int, end: int) -> bool:
    """The answer must not stay visible once blanked (nor a word of it), nor be part of a longer
    word, nor one item of a coordination."""
    surface = text[start:end]
    prompt = text[:start] + BLANK + text[end:]
    if surface.lower() in prompt.lower() or len(surface) > 0.5 * len(text):
        return False
    if len(surface) >= 3 and is_cjk(surface[-1]) and surface[:-1] in prompt:
        return False  # "_____：①绘制决策树…" for 决策树法: the stem spells the answer
    if _COORDINATED_AFTER.match(text[end:]) or _COORDINATED_BEFORE.search(text[:start]):
        return False
    if any(
        len(word) >= 4 and re.search(r"\b" + re.escape(word.lower()), prompt.lower()) for word in _WORD.findall(surface)
    ):
        return False  # "_____ arises from the wave guide effects": the stem spells the answer
    before, after = text[:start], text[end:]
    if _glued(before[-1:], surface[:1]) or _glued(after[:1], surface[-1:]) or re.match(r"-\w", after):
        return False
    if before.count("(") > before.count(")") or before.count("（") > before.count("）"):
        return False  # asides in brackets are not what a course asks about
    spelled = re.match(r"\s*[(（](\w{2,8})[)）]", after)
    if spelled and initials_in(spelled.group(1), surface):
        return False  # "The _____ (LRS)": the acronym spells the answer
    return not _inflection_visible(surface, prompt)


def _glued(outside: str, inside: str) -> bool:
    if not outside or not inside or is_cjk(outside) or is_cjk(inside):
        return False
    return (outside.isalnum() or outside == "-") and inside.isalnum()


def _inflection_visible(surface: str, prompt: str) -> bool:
    words = surface.split()
    if len(words) != 1 or len(surface) < 4 or not surface.isalpha() or is_cjk(surface[0]):
        return False
    stem = surface.lower()[: max(4, len(surface) - 2)]
    return re.search(r"\b" + re.escape(stem), prompt.lower()) is not None
