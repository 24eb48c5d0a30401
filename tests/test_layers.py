"""The layers only point down, and nothing imports the old top-level names (api, worker, dashboard)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT

OLD_TOP_LEVEL = {"api", "worker", "dashboard", "generator"}
SOURCES = ["examgen", "api", "worker", "dashboard", "tests", "bench", "setup.py"]


def python_files() -> list[Path]:
    found: list[Path] = []
    for name in SOURCES:
        path = ROOT / name
        found += [path] if path.is_file() else [p for p in path.rglob("*.py") if "node_modules" not in p.parts]
    return found


@pytest.mark.procs
def test_import_contracts_hold() -> None:
    # pyproject.toml's [tool.importlinter]: layers, a generator that imports nothing of the service,
    # a core that imports nothing above it. lint-imports exits 1 on any broken contract.
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 kept, 0 broken" in done.stdout


def test_no_module_imports_an_old_top_level_name() -> None:
    offenders = []
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [
                f"{path.relative_to(ROOT)}:{node.lineno} {n}" for n in names if n.split(".")[0] in OLD_TOP_LEVEL
            ]
    assert offenders == []


@pytest.mark.procs
def test_the_generator_runs_without_the_service() -> None:
    # A fresh interpreter: generating an exam loads neither Redis, RQ, Litestar nor the settings.
    script = (
        "import sys, pathlib\n"
        "from examgen.generator import ExamOptions, generate_exam, render_exam\n"
        f"data = pathlib.Path({str(ROOT / 'tests/data/pdfs/water-cycle-handout.pdf')!r}).read_bytes()\n"
        "exam = generate_exam(data, 'x.pdf', ExamOptions(num_questions=3), max_pages=10)\n"
        "render_exam(exam, 'moodle')\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('redis', 'rq', 'litestar'))\n"
        "loaded += [m for m in sys.modules if m.startswith('examgen.') and not m.startswith('examgen.generator')]\n"
        "print(len(exam.questions), loaded)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split(" ", 1)[1].strip() == "[]", done.stdout
