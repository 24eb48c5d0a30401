"""`examgen generate`: the generator on a local PDF, with no Redis and no server."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.support import EXAMGEN, PDFS, free_port

# Starts processes (forked children with deadlines, `examgen generate`): in `make test`, not `make test-fast`.
pytestmark = pytest.mark.procs


def generate(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # REDIS_URL names a port where nothing listens: the command must not need Redis at all.
    env = {"PATH": "/usr/bin:/bin", "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}
    return subprocess.run([EXAMGEN, "generate", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_writes_each_format_asked_for(tmp_path: Path) -> None:
    done = generate(
        str(PDFS / "water-cycle-handout.pdf"), "-n", "4", "-o", "out", "--format", "json,gift,moodle", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        "water-cycle-handout.gift.txt",
        "water-cycle-handout.json",
        "water-cycle-handout.moodle.xml",
    ]
    exam = json.loads((out / "water-cycle-handout.json").read_text())
    assert 1 <= len(exam["questions"]) <= 4 and exam["source"]["filename"] == "water-cycle-handout.pdf"
    assert "questions from 2 pages" in done.stderr


def test_a_pdf_without_text_exits_1_with_its_sentence(tmp_path: Path) -> None:
    done = generate(str(PDFS / "imagemagick-images.pdf"), cwd=tmp_path)
    assert done.returncode == 1
    assert "no text layer" in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_bad_options_exit_2(tmp_path: Path) -> None:
    assert generate(str(PDFS / "crazyones.pdf"), "--types", "essay", cwd=tmp_path).returncode == 2
    assert generate(str(PDFS / "crazyones.pdf"), "--format", "pdf", cwd=tmp_path).returncode == 2
    assert generate(str(tmp_path / "missing.pdf"), cwd=tmp_path).returncode == 2


def test_fewer_questions_than_asked_are_said_on_stderr(tmp_path: Path) -> None:
    done = generate(str(PDFS / "water-cycle-handout.pdf"), "-n", "60", "-o", "out", "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    exam = json.loads((tmp_path / "out" / "water-cycle-handout.json").read_text())
    assert len(exam["questions"]) < 60 and exam["notices"]
    assert f"supports {len(exam['questions'])} good questions of the 60 asked" in done.stderr
