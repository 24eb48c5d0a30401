"""EXAMGEN_PDF_ENGINE=pdfium: the real PDFs give the outcomes they give with pypdf, PDFium's failures
become the same PdfProblem kinds, and files PDFium would inflate without limit go to pypdf instead."""

from __future__ import annotations

import base64
import importlib.util
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from gen_helpers import assert_sound, plain
from test_gen_real_pdfs import EXPECTED

from examgen.core import settings as settings_module
from examgen.core.settings import SettingsError
from examgen.generator import EngineUnavailable, ExamOptions, PdfProblem, extract, generate_exam, pipeline
from examgen.generator.extract import RawPdf, pdfium_risk, read_pages
from examgen.generator.layout import build_document
from tests import hostile_pdfs

pdfium = pytest.importorskip("pypdfium2")

ENCRYPTED = sorted(name for name, outcome in EXPECTED.items() if outcome == {"encrypted"})
# The pdfium engine hands these to pypdf (pdfium_risk): their streams cannot be measured beforehand.
# reportlab writes the handout's streams as ASCII85 then Flate: a chain pdfium_risk leaves to pypdf.
READ_BY_PYPDF = {*ENCRYPTED, "imagemagick-images.pdf", "water-cycle-handout.pdf"}


@pytest.fixture
def pdfium_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the reads PDFium itself does, so a silent fallback to pypdf cannot pass for pdfium."""
    calls: list[int] = []
    real = extract._read_pages_pdfium

    def counted(*args: Any) -> RawPdf:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(extract, "_read_pages_pdfium", counted)
    return calls


def _outcome(data: bytes, name: str, engine: str = "pypdf") -> tuple[str, dict[str, Any] | None]:
    try:
        exam = plain(generate_exam(data, name, ExamOptions(num_questions=12), max_pages=500, engine=engine))
    except PdfProblem as problem:
        assert "pdfium" not in str(problem).lower() and str(problem).endswith(".")
        return problem.kind, None
    return "exam", exam


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_pdf_same_outcome_as_pypdf(
    pdfs: Path, name: str, monkeypatch: pytest.MonkeyPatch, pdfium_calls: list[int]
) -> None:
    data = (pdfs / name).read_bytes()
    with_pypdf, pypdf_exam = _outcome(data, name)
    seen: list[RawPdf] = []

    def keep(*args: Any, **kwargs: Any) -> RawPdf:  # the pages the generator read, for the soundness check
        seen.append(read_pages(*args, **kwargs))
        return seen[-1]

    monkeypatch.setattr(pipeline, "read_pages", keep)
    with_pdfium, exam = _outcome(data, name, "pdfium")
    assert with_pdfium == with_pypdf and with_pdfium in EXPECTED[name]
    assert len(pdfium_calls) == (0 if name in READ_BY_PYPDF else 1)
    if exam is not None and pypdf_exam is not None:
        assert_sound(exam, build_document(seen[0].pages).text)
        assert exam["language"] == pypdf_exam["language"] and exam["title"] == pypdf_exam["title"]
        assert exam["source"] == pypdf_exam["source"]


@pytest.mark.parametrize("name", ENCRYPTED)
def test_pdfium_itself_refuses_encrypted_files(pdfs: Path, name: str) -> None:
    # read_pages never lets PDFium see these (pdfium_risk); its own refusal must still map right.
    with pytest.raises(PdfProblem) as caught:
        extract._read_pages_pdfium(pdfium, (pdfs / name).read_bytes(), 500, None)
    assert caught.value.kind == "encrypted"


def test_pdfium_text_keeps_pypdfs_line_structure(pdfs: Path) -> None:
    data = (pdfs / "multicolumn.pdf").read_bytes()
    pages = read_pages(data, 50, engine="pdfium").pages
    # PDFium marks a line-end hyphen with U+FFFE and joins the lines; layout must see "adip-" / "iscing".
    assert not any("\ufffe" in page or "\r" in page for page in pages)
    assert "consectetuer adip-\niscing elit" in pages[0]
    assert pages[0].splitlines() == read_pages(data, 50, engine="pypdf").pages[0].replace("ﬁ", "fi").splitlines()


def test_page_limit_and_no_text(pdfs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(PdfProblem) as caught:
        generate_exam(
            (pdfs / "pdflatex-4-pages.pdf").read_bytes(), "x.pdf", ExamOptions(), max_pages=3, engine="pdfium"
        )
    assert caught.value.kind == "too_many_pages"
    assert str(caught.value) == "The PDF has 4 pages, over the limit of 3 pages; split it and upload the parts."
    # The image-only file goes to pypdf because of its LZW images; PDFium's own image count must
    # reach the same verdict.
    monkeypatch.setattr(extract, "pdfium_risk", lambda data: None)
    with pytest.raises(PdfProblem) as caught:
        generate_exam(
            (pdfs / "imagemagick-images.pdf").read_bytes(), "x.pdf", ExamOptions(), max_pages=50, engine="pdfium"
        )
    assert caught.value.kind == "no_text"


# -- hostile files -------------------------------------------------------------------------------


def _one_page(stream: bytes, extra: bytes = b"") -> bytes:
    return hostile_pdfs.assemble(hostile_pdfs._page_with_stream(stream, extra))


def _packed(megabytes: int) -> bytes:
    packer = zlib.compressobj(9)
    chunk = b"0 0 m " * (1024 * 1024 // 6)
    return b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()


def _inline_image_bomb(megabytes: int) -> bytes:
    packer = zlib.compressobj(9)
    image = b"".join(packer.compress(b"\0" * 1024 * 1024) for _ in range(megabytes)) + packer.flush()
    side = int((megabytes * 1024 * 1024) ** 0.5)
    content = b"BT /F1 12 Tf 72 720 Td (Hi) Tj ET BI /W %d /H %d /BPC 8 /CS /G /F /Fl ID " % (side, side)
    return _one_page(zlib.compress(content + image + b" EI"), b"/Filter /FlateDecode ")


# Each inflates to about 100 MB (over pypdf's 75 MB limit) from a few hundred kB; PDFium would
# inflate every one of them (measured: 1 GB of them aborts the process under a 1.5 GB memory limit).
BOMBS: dict[str, Callable[[], bytes]] = {
    "flate": lambda: hostile_pdfs.decompression_bomb(100),
    "nested flate": lambda: _one_page(zlib.compress(_packed(100)), b"/Filter [/FlateDecode /FlateDecode] "),
    "ascii85 then flate": lambda: _one_page(
        base64.a85encode(_packed(100), adobe=True)[2:], b"/Filter [/ASCII85Decode /FlateDecode] "
    ),
    "inline image": lambda: _inline_image_bomb(100),
    # PDFium reads "/Fl#61teDecode" as /FlateDecode (measured: it inflates this one).
    "escaped filter name": lambda: _one_page(
        base64.a85encode(_packed(100), adobe=True)[2:], b"/Filter [/ASCII85Decode /Fl#61teDecode] "
    ),
    "lzw": lambda: _one_page(b"\x80\x0b\x60\x50\x22\x0c\x0c\x85\x01", b"/Filter /LZWDecode "),
    "indirect filter": lambda: _one_page(_packed(1), b"/Filter 6 0 R "),
}


@pytest.mark.parametrize("kind", sorted(BOMBS))
def test_bombs_are_read_by_pypdf(kind: str, pdfium_calls: list[int], caplog: pytest.LogCaptureFixture) -> None:
    data = BOMBS[kind]()
    assert len(data) < 1_000_000
    assert pdfium_risk(data) is not None
    try:
        expected: str | RawPdf = read_pages(data, 50, engine="pypdf")
    except PdfProblem as problem:
        expected = problem.kind
    caplog.set_level("INFO", logger=extract.__name__)
    try:
        got: str | RawPdf = read_pages(data, 50, engine="pdfium")
    except PdfProblem as problem:
        got = problem.kind
    assert got == expected and not pdfium_calls
    assert "instead of pdfium" in caplog.text


def test_real_pdfs_pass_the_scan(pdfs: Path) -> None:
    for path in sorted(pdfs.glob("*.pdf")):
        risk = pdfium_risk(path.read_bytes())
        assert (risk is None) == (path.name not in READ_BY_PYPDF), f"{path.name}: {risk}"


def test_streams_under_the_limit_go_to_pdfium(pdfium_calls: list[int]) -> None:
    data = _one_page(_packed(20), b"/Filter /FlateDecode ")  # 20 MB: large, but under 75 MB
    assert pdfium_risk(data) is None
    raw = read_pages(data, 50, engine="pdfium")
    assert raw.pages == [""] and raw.letters == 0 and pdfium_calls == [1]


SMALL_HOSTILE: dict[str, Callable[[], bytes]] = {
    "reference loop": hostile_pdfs.reference_loop,
    "deep nesting": hostile_pdfs.deep_nesting,
    "truncated": lambda: hostile_pdfs.truncated(hostile_pdfs.many_tiny_pages(20)),
    "not a pdf": lambda: b"hello, not a PDF",
    "header only": lambda: b"%PDF-1.4\n1 0 obj\n<<",
    "empty page": lambda: _one_page(b""),
}


@pytest.mark.parametrize("kind", sorted(SMALL_HOSTILE))
def test_hostile_files_fail_cleanly_in_pdfium(kind: str, pdfium_calls: list[int]) -> None:
    data = SMALL_HOSTILE[kind]()
    try:
        generate_exam(data, "x.pdf", ExamOptions(), max_pages=50, engine="pdfium")
    except PdfProblem as problem:
        assert problem.kind in {"damaged", "no_text", "too_little_text"}, problem
        assert "pdfium" not in str(problem).lower()
    else:
        pytest.fail(f"{kind}: an exam from a hostile file")
    if data.startswith(b"%PDF-"):
        assert pdfium_calls == [1], "PDFium itself must have met the file"


def test_many_pages_hit_the_page_limit(pdfium_calls: list[int]) -> None:
    with pytest.raises(PdfProblem) as caught:
        generate_exam(hostile_pdfs.many_tiny_pages(2_000), "x.pdf", ExamOptions(), max_pages=500, engine="pdfium")
    assert caught.value.kind == "too_many_pages" and "2000 pages" in str(caught.value)
    assert pdfium_calls == [1]


def test_every_page_failing_is_damaged(pdfs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(document: Any, index: int) -> str:
        raise RuntimeError("PDFium could not load the page")

    monkeypatch.setattr(extract, "_pdfium_page_text", broken)
    with pytest.raises(PdfProblem) as caught:
        read_pages((pdfs / "crazyones.pdf").read_bytes(), 50, engine="pdfium")
    assert caught.value.kind == "damaged"


# -- settings --------------------------------------------------------------------------------------


def test_engine_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EXAMGEN_PDF_ENGINE", raising=False)
    assert settings_module.PdfSettings().engine == "pypdf"
    monkeypatch.setenv("EXAMGEN_PDF_ENGINE", " PDFium ")
    assert settings_module.PdfSettings().engine == "pdfium"
    monkeypatch.setenv("EXAMGEN_PDF_ENGINE", "mupdf")
    with pytest.raises(SettingsError, match="EXAMGEN_PDF_ENGINE must be one of pypdf, pdfium"):
        settings_module.PdfSettings()


def test_pdfium_selected_but_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXAMGEN_PDF_ENGINE", "pdfium")
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(SettingsError, match=r"examgen\[pdfium\]"):
        settings_module.PdfSettings()
    # And if the package vanishes after start: a configuration error, never a PdfProblem about the file.
    monkeypatch.setitem(sys.modules, "pypdfium2", None)
    with pytest.raises(EngineUnavailable, match=r"examgen\[pdfium\]"):
        read_pages(b"%PDF-1.7\n", 50, engine="pdfium")
