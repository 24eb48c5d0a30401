"""The document's parts, from its headings: what an exam must cover before asking twice about one.

Headings are the paragraphs the layout kept apart that look like titles: numbered ("2.1 Block
ciphers", "第三章 …", "一、…") or short, capitalised and without a closing stop. The top level
that occurs at least three times gives the parts ("1", "2", "3" rather than "2.1.1"); a document
without enough headings is cut into parts of a few pages each, so coverage still spreads over it.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass

from .layout import Document

# "2 Block ciphers", "2.1.3 Timing", "Chapter 4", "第三章", "一、": numbered titles. "2. Exposure of ..."
# (a number with a full stop) is an item of a list, not a title.
_NUMBERED = re.compile(
    r"^(?:(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})\s+(?P<title>\S.*)"
    r"|(?:chapter|part|lecture|unit|kapitel|teil|chapitre)\s+(?P<chapter>\d{1,2})\b.*"
    r"|第(?P<zh>[一二三四五六七八九十\d]+)[章讲部篇].*|(?P<zhitem>[一二三四五六七八九十]+)、\s*\S.*)",
    re.IGNORECASE,
)
_TOC = re.compile(r"\s\d{1,3}(?:\s+[A-Z]+)?$|(?:\.\s?){3,}")
_STOPS = ".!?;:,。！？；：，、"
_FORMULA = re.compile(r"[=<>≤≥∑∫±×÷→←⇒√∞∂∇≫≪/]|\(\d+(?:\.\d+)*\)$")
_LETTER = re.compile(r"[^\W\d_]")
# Parts are never longer than this share of the document, whatever its headings say: a long
# chapter is cut in page-sized parts so that its questions still spread over it.
MAX_PART_SHARE = 0.1


@dataclass(frozen=True)
class Sections:
    starts: tuple[int, ...]
    """Offsets in the document text where each part begins (the first is 0)."""
    titles: tuple[str, ...]

    def of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def __len__(self) -> int:
        return len(self.starts)


def _level(line: str) -> tuple[int, str] | None:
    """(level, number) of a heading: level 1 for "2 Title" and chapters, 2 for "2.1 Title", …, 9 for an
    unnumbered title; None for a line that is no heading."""
    text = line.strip()
    if not 2 <= len(text) <= 80 or text[-1] in _STOPS or _TOC.search(text) or _FORMULA.search(text):
        return None
    numbered = _NUMBERED.match(text)
    if numbered:
        title = numbered.group("title")
        if title is not None:
            letters = len(_LETTER.findall(title))
            if letters < 4 or letters < 0.7 * len(title.replace(" ", "")) or not (title[0].isupper() or _cjk(title[0])):
                return None
            number = numbered.group("num")
            return number.count(".") + 1, number
        return 1, numbered.group("chapter") or numbered.group("zh") or numbered.group("zhitem") or ""
    words = text.split()
    if len(words) > 8 or not (text[0].isupper() or _cjk(text[0])):
        return None
    letters = len(_LETTER.findall(text))
    return (9, "") if letters >= 0.85 * len(text.replace(" ", "")) and letters >= 4 else None


def _cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def find_sections(doc: Document) -> Sections:
    headings: list[tuple[int, int, str]] = []
    seen: set[tuple[int, str]] = set()
    offset = 0
    for paragraph in doc.text.split("\n"):
        found = _level(paragraph)
        # A number seen before is a running head or the table of contents repeating a title.
        if found is not None and (not found[1] or found not in seen):
            seen.add(found)
            headings.append((offset, found[0], paragraph.strip()))
        offset += len(paragraph) + 1
    starts: dict[int, str] = {0: ""}
    for level in sorted({level for _, level, _ in headings}):
        chosen = [(start, title) for start, lvl, title in headings if lvl <= level]
        if len(chosen) >= 3:
            # A level with dozens of headings per page is labels (table cells, figure parts), not parts.
            if len(chosen) <= 4 * max(1, doc.pages):
                starts.update(chosen)
            break
    step = max(1, math.ceil(doc.pages * MAX_PART_SHARE))
    for page in range(0, doc.pages, step):
        at = doc.page_starts[page]
        # A page boundary close after a heading would make a part of a few lines.
        if not any(abs(at - start) < 400 for start in starts):
            starts[at] = f"page {page + 1}"
    ordered = sorted(starts.items())
    return Sections(tuple(start for start, _ in ordered), tuple(title for _, title in ordered))
