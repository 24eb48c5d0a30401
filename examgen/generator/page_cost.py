"""Bounds on what one PDF may cost to read, whatever its pages hold.

pypdf's text extraction copies the page's text so far at every text operator (7.1: `crlf_space_check`
builds `output + text` to look at its last character), so one page costs about (text operators) x
(text size): a 200 KB page of 10 KB text reads in 0.1 s, a 1 MB one in 1.3 s, 5 MB in 17 s. Ordinary
pages hold a few kilobytes of text; a page whose content would cost more than a page of about 1.4 MB
of text is read only that far. The document as a whole stops being read past the text of a very
large book, so no upload costs more than the biggest ordinary one.
"""

from __future__ import annotations

import logging
import re

from pypdf import PageObject
from pypdf.generic import DecodedStreamObject, NameObject

log = logging.getLogger(__name__)

# (text-showing operators so far) x (content bytes so far): an upper bound on pypdf's copying. A page
# of 1 MB of text set one line per operator comes to 1e10.
MAX_PAGE_COST = 2 * 10**10
# Characters of extracted text, all pages together, after which the remaining pages are left empty:
# over twice a 500-page textbook of dense prose.
MAX_DOCUMENT_CHARS = 5_000_000
# Tj, TJ, and the quote operators (after a string operand): where pypdf emits text.
_TEXT_SHOW = re.compile(rb"(?<![A-Za-z0-9#])T[Jj](?![A-Za-z0-9#])|[)>]\s*['\"]")


def bounded_page(page: PageObject) -> PageObject:
    """The page, its content stream cut after the operator where reading it would pass MAX_PAGE_COST."""
    try:
        contents = page.get_contents()
        data = contents.get_data() if contents is not None else b""
    except Exception:
        return page  # extraction itself meets the same damage and reports it its own way
    if len(data) * len(data) // 2 <= MAX_PAGE_COST:
        return page  # not even one operator per two bytes could pass the bound: ordinary pages
    for count, found in enumerate(_TEXT_SHOW.finditer(data), start=1):
        if count * found.end() > MAX_PAGE_COST:
            log.info("page text cut after %d text operators (%d of %d content bytes)", count, found.end(), len(data))
            cut = DecodedStreamObject()
            # The cut can fall inside a text object or a saved graphics state; pypdf reads an
            # unterminated one as if it were closed.
            cut.set_data(data[: found.end()])
            page[NameObject("/Contents")] = cut
            break
    return page
