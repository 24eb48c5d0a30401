"""Broken and malicious PDFs end as a PdfProblem with a clear sentence, never as another exception."""

from __future__ import annotations

import logging
import pickle
import zlib

import pytest
from gen_helpers import english_pdf_bytes

from examgen.generator import ExamOptions, PdfProblem, check_pdf_cheaply, generate_exam


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF file from object bodies (object 1 is the catalog), with a correct xref table."""
    out = b"%PDF-1.7\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def _page(contents: bytes) -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        contents,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def _stream(data: bytes, flate: bool = False) -> bytes:
    body = zlib.compress(data) if flate else data
    extra = b" /Filter /FlateDecode" if flate else b""
    return b"<< /Length %d%s >>\nstream\n" % (len(body), extra) + body + b"\nendstream"


def _refused(data: bytes, kinds: set[str]) -> PdfProblem:
    with pytest.raises(PdfProblem) as caught:
        generate_exam(data, "x.pdf", ExamOptions(), max_pages=50)
    assert caught.value.kind in kinds, caught.value
    return caught.value


@pytest.mark.parametrize("data", [b"", b"hello, not a PDF", b"%PDF-1.7\n" + b"\x00" * 500, b"%PDF-1.4\n1 0 obj\n<<"])
def test_garbage_is_damaged(data: bytes) -> None:
    with pytest.raises(PdfProblem) as caught:
        check_pdf_cheaply(data, 50)
    assert caught.value.kind == "damaged" and "damaged" in str(caught.value)
    _refused(data, {"damaged"})


def test_truncated_file_is_recovered_or_refused() -> None:
    data = english_pdf_bytes()
    for cut in (len(data) // 3, len(data) // 2, len(data) - 40):
        try:
            generate_exam(data[:cut], "x.pdf", ExamOptions(), max_pages=50)
        except PdfProblem as problem:
            assert problem.kind in {"damaged", "no_text", "too_little_text"}


def test_decompression_bomb_is_stopped_by_pypdfs_limit(caplog: pytest.LogCaptureFixture) -> None:
    bomb = raw_pdf(_page(_stream(b" " * 120_000_000, flate=True)))  # 120 MB of spaces, ~120 kB packed
    assert len(bomb) < 1_000_000
    assert check_pdf_cheaply(bomb, 50) == 1  # the upload check does not unpack content
    with caplog.at_level(logging.DEBUG):
        problem = _refused(bomb, {"expands_too_far"})
    assert "expands beyond the limit" in str(problem) and "damaged" not in str(problem)
    assert "Limit" not in str(problem) and "pypdf" not in str(problem)
    assert not [r for r in caplog.records if r.name.startswith("pypdf") and r.levelno < logging.ERROR]


@pytest.mark.parametrize("engine", ["pypdf", "pdfium"])
def test_bomb_says_it_expands_beyond_the_limit_with_either_engine(engine: str) -> None:
    pytest.importorskip("pypdfium2")
    from examgen.generator.extract import read_pages

    bomb = raw_pdf(_page(_stream(b"0 0 m " * 15_000_000, flate=True)))  # 90 MB inflated
    with pytest.raises(PdfProblem) as caught:
        read_pages(bomb, 50, engine=engine)
    assert caught.value.kind == "expands_too_far", caught.value


def test_page_tree_loop() -> None:
    objects = _page(_stream(b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"))
    objects[1] = b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>"  # the tree contains itself
    data = raw_pdf(objects)
    try:
        check_pdf_cheaply(data, 50)
    except PdfProblem as problem:
        assert problem.kind == "damaged"
    _refused(data, {"damaged", "too_little_text", "no_text"})


def test_reference_loop_in_resources() -> None:
    objects = _page(_stream(b"BT /F1 12 Tf 72 720 Td (Hello loop) Tj ET"))
    objects[4] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding 5 0 R /Widths 5 0 R >>"
    _refused(raw_pdf(objects), {"damaged", "too_little_text", "no_text"})


def test_page_limit() -> None:
    with pytest.raises(PdfProblem) as caught:
        generate_exam(english_pdf_bytes(), "x.pdf", ExamOptions(), max_pages=1)
    assert caught.value.kind == "too_many_pages"
    assert str(caught.value) == "The PDF has 2 pages, over the limit of 1 pages; split it and upload the parts."


def test_empty_pages_have_no_text() -> None:
    data = raw_pdf(_page(_stream(b"")))
    assert _refused(data, {"no_text"}).sentence.startswith("The PDF has no text layer")


def test_pdf_problem_survives_pickling_and_checks_its_kind() -> None:
    problem = PdfProblem.too_little_text(12)
    copy = pickle.loads(pickle.dumps(problem))
    assert copy.kind == "too_little_text" and str(copy) == str(problem) and "(12 words)" in str(copy)
    with pytest.raises(ValueError):
        PdfProblem("exploded", "Nope.")


def test_words_without_sentences_say_so() -> None:
    rows = b"".join(b"(alpha beta gamma delta epsilon zeta row %d) Tj 0 -14 Td " % n for n in range(40))
    data = raw_pdf(_page(_stream(b"BT /F1 10 Tf 40 780 Td " + rows + b"ET")))
    problem = _refused(data, {"too_little_text"})
    assert "no sentence that states" in str(problem)
