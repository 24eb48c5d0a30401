"""`examgen generate` writes the formats that import everywhere, variants and the two copies."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from tests.support import PDFS
from tests.test_generate_command import generate

# Starts processes (forked children with deadlines, `examgen generate`): in `make test`, not `make test-fast`.
pytestmark = pytest.mark.procs


def test_writes_qti_aiken_docx_for_each_variant_and_the_student_copy(tmp_path: Path) -> None:
    pdf = str(PDFS / "water-cycle-handout.pdf")
    done = generate(pdf, "-n", "6", "-o", "out", "--format", "qti,aiken,docx", "--variants", "2", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "out"
    stem = "water-cycle-handout"
    expected = [f"{stem}.{v}.{ext}" for v in "AB" for ext in ("qti.zip", "aiken.txt", "docx")]
    assert sorted(p.name for p in out.iterdir()) == sorted(expected)
    assert done.stdout.split() == [str(Path("out") / name) for name in expected]
    assert "imsmanifest.xml" in zipfile.ZipFile(out / f"{stem}.B.qti.zip").namelist()
    assert "Variant B" in "\n".join(
        p.text for p in docx.Document(io.BytesIO((out / f"{stem}.B.docx").read_bytes())).paragraphs
    )
    if "left out" in done.stderr:
        assert "Aiken holds multiple choice only" in done.stderr

    student = generate(pdf, "-n", "6", "-o", "copy", "--format", "html,docx", "--key", "none", cwd=tmp_path)
    assert student.returncode == 0, student.stderr
    page = (tmp_path / "copy" / f"{stem}.key-none.html").read_text()
    assert 'class="answer-key"' not in page and 'class="exam"' in page


def test_key_modes_apply_to_printable_formats_only(tmp_path: Path) -> None:
    done = generate(str(PDFS / "water-cycle-handout.pdf"), "--format", "gift", "--key", "only", cwd=tmp_path)
    assert done.returncode == 2 and "printable formats only" in done.stderr
    assert list(tmp_path.iterdir()) == []
