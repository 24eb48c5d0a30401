"""From pypdf's per-page text to one clean text: running headers gone, lines joined, pages tracked.

Sentences are later cut out of `Document.text` as plain substrings, so every question's source_text
is literally in the document and its page is the page its first character came from. A hard
paragraph break is stored as "\n"; the sentence splitter never lets a sentence cross one.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

from .chars import count_cjk, is_cjk, normalize_line


@dataclass(frozen=True)
class Document:
    text: str
    page_starts: tuple[int, ...]
    """page_starts[i] is the offset in text where page i+1 begins."""
    body_end: int = -1
    """Offset where back matter (references, index, image credits...) begins; -1 when there is none."""

    @property
    def pages(self) -> int:
        return len(self.page_starts)

    def page_of(self, offset: int) -> int:
        return max(1, bisect.bisect_right(self.page_starts, offset))


_DIGITS = re.compile(r"\d+")
_ROMAN = re.compile(r"\b[ivxlc]{1,7}\b")
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*)?(?:page|seite|p\.|s\.)?\s*(?:\d{1,4}|[ivxlcdm]{1,7})"
    r"(?:\s*(?:/|of|von|de)\s*\d{1,4})?(?:\s*[-–—])?$|^第\s*\d{1,4}\s*页(?:\s*共\s*\d+\s*页)?$",
    re.IGNORECASE,
)
_LEADERS = re.compile(r"(?:\.\s?){4,}\s*\S{0,6}$|(?:…\s?){3,}|_{6,}")
_ENUMERATION = re.compile(r"^(?:[•▪◦·*]|[-–—]\s|\(?[0-9ivx]{1,4}\)|\(?[a-h]\)|\d{1,2}\.\s)")
# Captions are paragraphs of their own; LaTeX often sets them as one full-width line.
_CAPTION = re.compile(
    r"^(?:(?:Abbildung|Abb\.|Figure|Fig\.|Table|Tabelle|Tab\.|Listing)\s*\d+(?:\.\d+)*\s*[:.–—-]|[图表]\s*\d)",
    re.IGNORECASE,
)
_TERMINAL = '.!?。！？；;:：…”")）'
# Headings of the back matter: nothing after them is course content worth asking about.
_BACK_MATTER = re.compile(
    r"^(?:[A-Z\d]{1,3}\.?\s+)?(?:Literatur(?:verzeichnis)?|Bibliogra(?:phy|fie|phie)|References|Index|"
    r"Stichwortverzeichnis|Sachverzeichnis|Abkürzungsverzeichnis|Symbolverzeichnis|Abbildungsverzeichnis|"
    r"Bildquellen|Glossar|Glossary|List of (?:Figures|Tables|Abbreviations)|Lösungen der Übungsaufgaben|"
    r"参考文献|索引|术语表)\s*$",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_HEADER_MAX = 80  # running headers are short; a longer repeated line is more likely body text
_EDGE = 2  # lines at the top and at the bottom of a page that may be running headers or footers


def _signature(line: str) -> str:
    # Running headers differ from page to page only in their numbers ("GeoBase® 6", "GeoBase® vii").
    return _ROMAN.sub("#", _DIGITS.sub("#", line.lower()))


def _strip_running_lines(pages: list[list[str]]) -> list[list[str]]:
    seen: Counter[str] = Counter()
    for lines in pages:
        edges = {_signature(line) for line in lines[:_EDGE] + lines[-_EDGE:] if len(line) <= _HEADER_MAX}
        seen.update(edges)
    # A line with a (page) number needs to repeat on two pages to count as running; plain text lines
    # must be common, so repeated lines of real prose in short documents survive.
    plain_needed = max(3, len(pages) // 4)

    def running(line: str) -> bool:
        sig = _signature(line)
        return seen[sig] >= (2 if "#" in sig else plain_needed) and len(line) <= _HEADER_MAX

    cleaned = []
    for lines in pages:
        top, bottom = lines[:_EDGE], lines[_EDGE:][-_EDGE:]
        middle = lines[_EDGE : len(lines) - len(bottom)]
        keep_top = [line for line in top if not running(line) and not _PAGE_NUMBER.match(line)]
        keep_bottom = [line for line in bottom if not running(line) and not _PAGE_NUMBER.match(line)]
        cleaned.append(keep_top + middle + keep_bottom)
    return cleaned


def _width(line: str) -> int:
    """How wide a line is set, in half-width characters: an ideograph takes two."""
    return len(line) + count_cjk(line)


def _typical_length(lines: list[str], fallback: int) -> int:
    # The 80th percentile line length is a full line of body text even on pages with captions,
    # formulas or table cells, which are shorter.
    lengths = sorted(_width(line) for line in lines if len(line) >= 8)
    if len(lengths) < 6:
        # Too few lines to judge: the document's figure, or this page's longest line if the
        # document's is unknown (Chinese lines hold half the characters of Latin ones).
        return fallback if fallback > 0 else max(lengths, default=60)
    return lengths[int(len(lengths) * 0.8)]


def _starts_lower(line: str) -> bool:
    return line[:1].islower()


class _Joiner:
    def __init__(self, vocabulary: set[str]) -> None:
        self.vocabulary = vocabulary

    def separator(self, prev: str, nxt: str, typical: int, new_page: bool = False) -> str:
        """ "" to glue, " " to continue the sentence, "\n" for a hard break, "-" to drop prev's hyphen."""
        if _ENUMERATION.match(nxt) or _CAPTION.match(nxt) or _CAPTION.match(prev):
            return "\n"
        # After a full stop the sentence is over anyway; breaking keeps a heading that follows (at the
        # top of the next page, or after a full Chinese line) out of the next sentence.
        if prev[-1] in "。．！？" or (new_page and prev[-1] in ".!?" and not re.search(r"\b\w{1,3}\.$", prev)):
            return "\n"
        width = _width(prev)
        short = width < 0.72 * typical
        if prev[-1] in _TERMINAL and short:
            return "\n"
        if prev[-1] == "-" and len(prev) > 1 and prev[-2].isalpha():
            return self._hyphen(prev, nxt)
        if is_cjk(prev[-1]) or is_cjk(nxt[0]):
            # A heading line without punctuation, then the text: keep them apart.
            if width < 0.6 * typical and prev[-1] not in "，、":
                return "\n"
            # Chinese lines are set justified, full to the margin: one that stops short on an ideograph
            # ends its paragraph, though the notes left out the full stop ("…临时变量等" / "核心栈位于…").
            ended = is_cjk(prev[-1]) and is_cjk(nxt[0]) and width < 0.85 * typical
            return "\n" if ended else ""
        if short and width < 0.6 * typical and not _starts_lower(nxt) and prev[-1] not in ",;(-–":
            return "\n"
        return " "

    def _hyphen(self, prev: str, nxt: str) -> str:
        if not _starts_lower(nxt):
            return ""  # "Schwarz-" + "Weiß", "E-" + "Mail": a real hyphen
        head = re.search(r"[^\W\d_]+-$", prev)
        tail = re.match(r"[^\W\d_]+", nxt)
        if head and tail:
            first, second = head.group(0)[:-1].lower(), tail.group(0).lower()
            if f"{first}-{second}" in self.vocabulary and f"{first}{second}" not in self.vocabulary:
                return ""  # the document writes this compound with a hyphen elsewhere
        return "-"


def build_document(raw_pages: list[str]) -> Document:
    pages = []
    for raw in raw_pages:
        normalized = (normalize_line(line) for line in raw.splitlines())
        pages.append([line for line in normalized if line and not _LEADERS.search(line)])
    pages = _strip_running_lines(pages)
    all_lines = [line for lines in pages for line in lines]
    vocabulary = set(_WORDS.findall(" ".join(all_lines).lower()))
    joiner = _Joiner(vocabulary)
    fallback = _typical_length(all_lines, 0)

    parts: list[str] = []
    length = 0
    starts: list[int] = []
    prev: str | None = None
    body_end = -1
    for number, lines in enumerate(pages):
        typical = _typical_length(lines, fallback)
        # The separator before a page's first line still belongs to the page before it, so a sentence
        # running over the break keeps the page it started on.
        starts.append(length)
        for index, line in enumerate(lines):
            if prev is not None:
                sep = joiner.separator(prev, line, typical, new_page=index == 0)
                if sep == "-":
                    parts[-1] = parts[-1][:-1]
                    length -= 1
                    sep = ""
                parts.append(sep)
                length += len(sep)
            if body_end < 0 and number >= 0.6 * len(pages) and _BACK_MATTER.match(line):
                body_end = length
            parts.append(line)
            length += len(line)
            prev = line
    return Document(text="".join(parts), page_starts=tuple(starts), body_end=body_end)
