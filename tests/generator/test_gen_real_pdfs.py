"""Every real PDF of tests/data/pdfs gives the outcome its README promises, and every question it
yields passes the rules of docs/contract.md."""

from __future__ import annotations

from pathlib import Path

import pytest
from gen_helpers import assert_sound, english_pdf_bytes, plain

from examgen.generator import ExamOptions, PdfProblem, check_pdf_cheaply, generate_exam, pipeline
from examgen.generator.extract import RawPdf, read_pages
from examgen.generator.layout import build_document

EXAM = {"exam"}
EXAM_OR_SHORT = {"exam", "too_little_text"}
# file -> outcomes the README accepts (an exam, or PdfProblem kinds)
EXPECTED: dict[str, set[str]] = {
    # Lorem-ipsum filler: no sentence states anything, so no question is asked (issue 20: precision first).
    "pdflatex-4-pages.pdf": EXAM_OR_SHORT,
    "multicolumn.pdf": EXAM_OR_SHORT,
    "GeoTopo-komprimiert.pdf": EXAM,
    "002-trivial-libre-office-writer.pdf": EXAM_OR_SHORT,
    "pdflatex-image.pdf": EXAM_OR_SHORT,
    "libreoffice-writer-password.pdf": {"encrypted"},
    "crazyones-encrypted-256.pdf": {"encrypted"},
    "crazyones.pdf": EXAM_OR_SHORT,
    "GeoBase_NHNC1_Data_Model_UML_EN.pdf": EXAM,
    "multilang.pdf": {"too_little_text"},
    "imagemagick-images.pdf": {"no_text"},
    "issue-297.pdf": {"exam", "damaged", "too_little_text", "no_text"},
    "water-cycle-handout.pdf": EXAM,
}
LANGUAGE = {"GeoTopo-komprimiert.pdf": "de", "GeoBase_NHNC1_Data_Model_UML_EN.pdf": "en", "pdflatex-4-pages.pdf": "en"}


def test_every_shared_pdf_is_listed(pdfs: Path) -> None:
    assert {p.name for p in pdfs.glob("*.pdf")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_pdf_outcome(pdfs: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = (pdfs / name).read_bytes()
    progress: list[int] = []
    # Keep what the generator extracted, so the long book is not read twice for the checks.
    seen: list[RawPdf] = []
    monkeypatch.setattr(pipeline, "read_pages", lambda *args, **kw: seen.append(read_pages(*args, **kw)) or seen[-1])
    try:
        exam = plain(
            generate_exam(data, name, ExamOptions(num_questions=12), max_pages=500, on_progress=progress.append)
        )
    except PdfProblem as problem:
        assert problem.kind in EXPECTED[name], f"{name}: {problem.kind}: {problem}"
        assert "pypdf" not in str(problem).lower() and str(problem).endswith(".")
        return
    assert "exam" in EXPECTED[name], f"{name} should have failed with {EXPECTED[name]}"
    assert_sound(exam, build_document(seen[0].pages).text)
    assert exam["source"]["filename"] == name and len(exam["source"]["sha256"]) == 64
    assert exam["generator"] == "builtin"
    assert len(exam["questions"]) <= 12
    if name in LANGUAGE:
        assert exam["language"] == LANGUAGE[name]
    assert progress[0] == 0 and progress[-1] == 100 and progress == sorted(set(progress))
    if name == "GeoTopo-komprimiert.pdf":  # the long book: questions spread over it, fewer than asked explained
        pages = [q["source_page"] for q in exam["questions"]]
        assert len(pages) >= 6 and max(pages) - min(pages) > 40
        assert len(pages) == 12 or exam["notices"]
        assert len(progress) <= exam["source"]["pages"] + 10


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cheap_check(pdfs: Path, name: str) -> None:
    data = (pdfs / name).read_bytes()
    if EXPECTED[name] == {"encrypted"}:
        with pytest.raises(PdfProblem) as caught:
            check_pdf_cheaply(data, 500)
        assert caught.value.kind == "encrypted" and "password" in str(caught.value)
        return
    try:
        pages = check_pdf_cheaply(data, 500)
    except PdfProblem as problem:  # only the broken cross-reference file may be refused
        assert name == "issue-297.pdf" and problem.kind == "damaged"
        return
    assert pages >= 1
    if pages > 1:
        with pytest.raises(PdfProblem) as caught:
            check_pdf_cheaply(data, pages - 1)
        assert caught.value.kind == "too_many_pages"
        assert f"{pages} pages" in str(caught.value) and f"limit of {pages - 1} pages" in str(caught.value)


def test_the_handout_is_the_helpers_own(pdfs: Path) -> None:
    """The service tests' small PDF is the generator tests' handout, byte for byte."""
    assert (pdfs / "water-cycle-handout.pdf").read_bytes() == english_pdf_bytes()
