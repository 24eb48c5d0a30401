"""Render an openly licensed Markdown text to a PDF for eval/texts/ (a stand-in where no real PDF of
a subject could be found; eval/texts/README.md labels each such file as rendered).

    python -m eval.render_markdown SOURCE.md OUT.pdf [--title TITLE]

markdown-it-py (already installed with rich) parses the Markdown; reportlab sets it in A4 pages with
its built-in Chinese CID font (STSong-Light), page numbers at the foot, the way a plain export from
a note-taking tool would look. The source file is kept beside the PDF, unchanged, so the rendering
can be checked and repeated. The same input gives the same bytes (reportlab's invariant mode).
"""

from __future__ import annotations

import argparse
import html
import io
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

FONT = "STSong-Light"
_SIZES = {"h1": 17, "h2": 14, "h3": 12, "h4": 11}


def _inline(token: Token) -> str:
    """An inline token's text as reportlab's paragraph markup: bold kept, everything else plain."""
    out = []
    for child in token.children or []:
        if child.type in ("strong_open", "strong_close"):
            out.append("<b>" if child.type == "strong_open" else "</b>")
        elif child.type in ("softbreak", "hardbreak"):
            out.append("<br/>")
        elif child.type in ("text", "code_inline"):
            out.append(html.escape(child.content, quote=False))
    return "".join(out)


def flowables(markdown: str) -> list[Flowable]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=16, spaceAfter=4)
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    flow: list[Flowable] = []
    heading = ""
    numbers: list[int] = []
    cells: list[str] | None = None  # the cells of the table row being read
    for token in tokens:
        if token.type == "tr_open":
            cells = []
        elif token.type == "tr_close" and cells is not None:
            # One line per cell, as a plain export sets a table: no cell runs into the next.
            flow.extend(Paragraph(cell, body) for cell in cells if cell.strip())
            cells = None
        elif token.type == "inline" and cells is not None:
            cells.append(_inline(token))
        elif token.type == "heading_open":
            heading = token.tag
        elif token.type == "heading_close":
            heading = ""
        elif token.type == "ordered_list_open":
            numbers.append(0)
        elif token.type == "bullet_list_open":
            numbers.append(-1)
        elif token.type in ("ordered_list_close", "bullet_list_close"):
            numbers.pop()
        elif token.type == "list_item_open" and numbers and numbers[-1] >= 0:
            numbers[-1] += 1
        elif token.type == "inline":
            text = _inline(token)
            if not text.strip():
                continue
            if heading:
                size = _SIZES.get(heading, 11)
                style = ParagraphStyle(heading, fontName=FONT, fontSize=size, leading=size * 1.5, spaceBefore=8)
                flow.append(Paragraph(f"<b>{text}</b>", style))
            elif numbers:
                mark = f"{numbers[-1]}." if numbers[-1] >= 0 else "•"
                indent = 14 * len(numbers)
                style = ParagraphStyle("item", parent=body, leftIndent=indent + 10, firstLineIndent=-10)
                flow.append(Paragraph(f"{mark} {text}", style))
            else:
                flow.append(Paragraph(text, body))
        elif token.type == "fence" or token.type == "code_block":
            for line in token.content.splitlines():
                if line.strip():
                    flow.append(Paragraph(html.escape(line), body))
        elif token.type == "hr":
            flow.append(Spacer(1, 8))
    return flow


def _page_number(canvas: Canvas, document: SimpleDocTemplate) -> None:
    canvas.setFont(FONT, 9)
    canvas.drawCentredString(A4[0] / 2, 1.2 * cm, str(document.page))


def render(markdown: str, title: str) -> bytes:
    rl_config.invariant = 1  # no timestamp or random id: the same bytes every time
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=A4, title=title, leftMargin=2.2 * cm, rightMargin=2.2 * cm)
    document.build(flowables(markdown), onFirstPage=_page_number, onLaterPages=_page_number)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--title", default="")
    args = parser.parse_args()
    text = args.source.read_text(encoding="utf-8")
    args.out.write_bytes(render(text, args.title or args.source.stem))
    print(f"{args.out}: {args.out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
