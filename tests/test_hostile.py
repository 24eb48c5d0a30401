"""Guarantee 4: hostile and broken PDFs end as failed jobs with a sentence; the worker survives."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests import hostile_pdfs
from tests.support import PDFS, Stack

# Starts examgen processes or servers: in `make test`, not in `make test-fast`.
pytestmark = pytest.mark.procs

SMALL_PDF = (PDFS / "water-cycle-handout.pdf").read_bytes()

CASES: dict[str, tuple[Callable[[], bytes], str]] = {
    "truncated": (lambda: hostile_pdfs.truncated(SMALL_PDF), r"damaged"),
    "decompression bomb": (hostile_pdfs.decompression_bomb, r"expands beyond the limit"),
    "reference loop": (hostile_pdfs.reference_loop, r"damaged|no text layer|too little text"),
    "deep nesting": (hostile_pdfs.deep_nesting, r"damaged|too little text|no text layer"),
    "10,000 tiny pages": (hostile_pdfs.many_tiny_pages, r"10000 pages, over the limit of 500"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_pdf_fails_with_a_sentence_and_the_next_job_finishes(stack: Stack, case: str) -> None:
    make, sentence = CASES[case]
    done = stack.wait(stack.submit(f"{case}.pdf", make())["job_id"], timeout_s=180)
    if done["status"] == "finished":
        pytest.fail(f"{case}: expected a failed job, got an exam")
    assert done["status"] == "failed", done
    assert re.search(sentence, done["error"]), done["error"]
    assert "Traceback" not in done["error"] and "/" not in done["error"].replace("w/o", "")
    after = stack.wait(stack.submit("water-cycle-handout.pdf")["job_id"])
    assert after["status"] == "finished"
