"""Fixtures of the generator tests (no Redis needed): the real PDFs and the Chinese handout."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The helper modules sit next to the tests; make them importable whichever way pytest is started.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_helpers import chinese_pdf_bytes, pdf_dir


@pytest.fixture(scope="session")
def pdfs() -> Path:
    folder = pdf_dir()
    if not folder.is_dir():
        pytest.skip(f"real PDFs not found at {folder} (set EXAMGEN_PDFS)")
    return folder


@pytest.fixture(scope="session")
def chinese_pdf() -> bytes:
    return chinese_pdf_bytes()
