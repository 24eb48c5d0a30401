"""Saying what could not be done: fewer questions than asked, and why, in the exam's language."""

from __future__ import annotations

import re
from collections.abc import Mapping

# Holes a formula leaves when the text layer has no text for it (Typora's MathJax, images of
# equations): "设 是一个群码", "译出 中所给的字", "， 和 是集合".
_HOLE = re.compile(r"[\u4e00-\u9fff][ \t]+[\u4e00-\u9fff]|[：:，,][ \t]+[，,和与是]|[ \t][,.;:](?=[ \t])")
_LETTER = re.compile(r"[^\W\d_]")
# A page with fewer letters than this holds a figure, a title or a scan, not running text.
LITTLE_TEXT = 150
SHORT_WORDS = 1500


def formula_pages(pages: list[str]) -> int:
    """Pages whose text layer shows the holes of missing formulas (three holes or more)."""
    return sum(1 for page in pages if len(_HOLE.findall(page)) >= 3)


def little_text_pages(pages: list[str]) -> int:
    return sum(1 for page in pages if len(_LETTER.findall(page)) < LITTLE_TEXT)


def fewer_questions(made: int, asked: int, pages: list[str], words: int, labels: Mapping[str, str]) -> list[str]:
    """The notice for an exam with fewer questions than asked (none when all were made)."""
    if made >= asked:
        return []
    reasons = []
    if words < SHORT_WORDS:
        reasons.append(labels["why_short"])
    holes = formula_pages(pages)
    if holes >= max(2, len(pages) // 5):
        reasons.append(labels["why_formulas"].format(bad=holes, pages=len(pages)))
    empty = little_text_pages(pages)
    if empty >= max(2, len(pages) // 4):
        reasons.append(labels["why_little_text"].format(bad=empty, pages=len(pages)))
    reasons.append(labels["why_few_statements"])
    separator = "；" if any("\u4e00" <= ch <= "\u9fff" for ch in labels["why_short"]) else "; "
    return [labels["fewer"].format(made=made, asked=asked, why=separator.join(reasons))]
