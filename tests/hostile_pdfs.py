"""Hostile and broken PDFs, made by the tests (never downloaded): bombs, loops, deep nesting."""

from __future__ import annotations

import io
import zlib

from pypdf import PdfWriter


def assemble(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF with a correct xref table from numbered object bodies (object i+1 is objects[i])."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref))
    return out.getvalue()


def _page_with_stream(stream: bytes, extra: bytes = b"") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d %s>>\nstream\n" % (len(stream), extra) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def decompression_bomb(inflated_mb: int = 200) -> bytes:
    """A page whose content stream inflates from a few hundred KB to `inflated_mb` MB."""
    compressor = zlib.compressobj(9)
    chunk = b"0 0 m " * (1024 * 1024 // 6)
    packed = b"".join(compressor.compress(chunk) for _ in range(inflated_mb)) + compressor.flush()
    return assemble(_page_with_stream(packed, b"/Filter /FlateDecode "))


def reference_loop() -> bytes:
    """A page tree whose Kids point back at itself."""
    return assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Pages /Kids [2 0 R] /Parent 2 0 R /Count 1 >>",
        ]
    )


def deep_nesting(depth: int = 50_000) -> bytes:
    """An object nested far deeper than any parser's recursion limit."""
    nested = b"[" * depth + b"]" * depth
    objects = _page_with_stream(b"BT /F1 12 Tf (hi) Tj ET")
    objects.append(nested)
    return assemble(objects)


def many_tiny_pages(count: int = 10_000) -> bytes:
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=72, height=72)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def truncated(pdf: bytes) -> bytes:
    return pdf[: len(pdf) // 2]
