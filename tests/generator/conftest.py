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
    # In the repository (tests/data/pdfs): a missing file is a failure, never a skip.
    return pdf_dir()


@pytest.fixture(scope="session")
def chinese_pdf() -> bytes:
    return chinese_pdf_bytes()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The 117-page textbook takes seconds per test: `make test` runs it, `make test-fast` does not.
    for item in items:
        if "GeoTopo" in item.nodeid:
            item.add_marker(pytest.mark.slow)
