"""Generated one-page PDFs of any text size, for the tests (and profiling) of the generator's cost.

The text is English-like prose from a fixed seed: sentences with terms that recur, numbers, years
and abbreviations ("e.g.", "Dr."), laid out as full-width lines so layout joins them into one long
paragraph, the worst case for anything that works per paragraph.
"""

from __future__ import annotations

import io
import random


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_NOUNS = _words(
    "aquifer basin glacier river delta estuary sediment mineral crystal membrane enzyme protein "
    "network protocol router packet compiler parser register kernel market contract treaty court "
    "parliament charter molecule catalyst isotope reactor turbine circuit sensor signal spectrum"
)
_ADJECTIVES = _words("permeable coastal alpine digital binary linear thermal federal organic central")
_VERBS = _words("stores carries controls measures filters shapes reduces transports encodes regulates")


def prose(chars: int, seed: int = 7) -> str:
    """About `chars` characters of sentences, deterministic for a seed."""
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < chars:
        noun, other, third = rng.sample(_NOUNS, 3)
        adjective, verb = rng.choice(_ADJECTIVES), rng.choice(_VERBS)
        shape = rng.randrange(4)
        if shape == 0:
            sentence = f"A {adjective} {noun} {verb} the {other} of every {third} in the region."
        elif shape == 1:
            year, share = rng.randrange(1800, 2020), rng.randrange(2, 99)
            sentence = f"In {year} Dr. Park showed that the {noun} {verb} about {share} percent of the {other}."
        elif shape == 2:
            sentence = f"The {noun} is a {adjective} {other}, e.g. the {third} that {verb} the {noun}."
        else:
            sentence = f"Each {other} {verb} a {adjective} {third} and the {noun} {verb} it again."
        parts.append(sentence)
        size += len(sentence) + 1
    return " ".join(parts)


def big_page_pdf(chars: int, seed: int = 7, pages: int = 1) -> bytes:
    """`pages` A4 pages whose extracted text is about `chars` characters long in all (lines run off
    the page: extraction does not clip, and a small file with a huge text is the hostile case)."""
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    rl_config.invariant = 1
    text = prose(chars, seed)
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    per_page = len(text) // pages + 1
    for page in range(pages):
        lines = pdf.beginText(20, 820)
        lines.setFont("Helvetica", 2)
        lines.setLeading(2.4)
        width, at, stop = 110, page * per_page, min(len(text), (page + 1) * per_page)
        while at < stop:
            end = text.rfind(" ", at, at + width) if at + width < stop else stop
            end = end if end > at else at + width
            lines.textLine(text[at:end])
            at = end + 1
        pdf.drawText(lines)
        pdf.showPage()
    pdf.save()
    return out.getvalue()
