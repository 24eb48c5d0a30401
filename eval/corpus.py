"""Which documents the evaluation runs on: the real texts of eval/texts/ (each listed with its source
and license in eval/texts/README.md), the repository's test PDFs, and the generated fixtures."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ROOT / "eval" / "texts"
TEST_PDFS = ROOT / "tests" / "data" / "pdfs"
_FIXTURES = ROOT / "tests" / "generator"
_COLUMNS = ("file", "source", "license", "language", "subject", "held out")


class CorpusError(Exception):
    """The text folder and its README disagree: a text without a recorded source and license."""


@dataclass(frozen=True)
class Source:
    name: str
    origin: str
    """eval/texts | tests/data/pdfs | fixture"""
    load: Callable[[], bytes]
    held_out: bool = False
    subject: str = ""


def listed_texts(readme: Path) -> list[dict[str, str]]:
    """The rows of the README's table (header: file | source | license | language | subject | held out)."""
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    for line in readme.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            header = None if not line.strip() else header
            continue
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if header is None:
            header = [c.lower() for c in cells]
        elif not set("".join(cells)) <= set("-: "):
            row = dict(zip(header, cells, strict=False))
            if set(_COLUMNS) <= row.keys() and row["file"]:
                rows.append(row)
    return rows


def real_texts(folder: Path = TEXTS) -> list[Source]:
    """Every PDF of the folder, which the README must list; a listed file that is missing fails too,
    as for the test PDFs (tests/data/README.md): a silently smaller set would look like progress."""
    rows = {row["file"]: row for row in listed_texts(folder / "README.md")}
    present = {p.name for p in folder.glob("*.pdf")}
    if unlisted := sorted(present - rows.keys()):
        raise CorpusError(f"{folder}: not listed in README.md (source, license?): {', '.join(unlisted)}")
    if missing := sorted(rows.keys() - present):
        raise CorpusError(f"{folder}: listed in README.md but missing: {', '.join(missing)}")
    return [
        Source(
            name,
            "eval/texts",
            (folder / name).read_bytes,
            held_out=rows[name]["held out"].lower().startswith("y"),
            subject=rows[name]["subject"],
        )
        for name in sorted(present)
    ]


def repository_pdfs() -> list[Source]:
    # All of them: the encrypted and image-only files show up as "no exam", which is their expected outcome.
    return [Source(p.name, "tests/data/pdfs", p.read_bytes) for p in sorted(TEST_PDFS.glob("*.pdf"))]


def _fixture(module: str, function: str) -> Callable[[], bytes]:
    """A PDF builder of tests/generator, imported by name when called: the tests keep one copy of the
    fixture texts, and the linters do not pull the test helpers into the eval package's checks."""

    def build() -> bytes:
        if str(_FIXTURES) not in sys.path:
            sys.path.insert(0, str(_FIXTURES))  # gen_helpers imports its neighbours as top-level modules
        return cast(Callable[[], bytes], getattr(importlib.import_module(module), function))()

    return build


def fixtures() -> list[Source]:
    return [
        Source("english-handout (fixture)", "fixture", _fixture("gen_helpers", "english_pdf_bytes"), subject="water"),
        Source("chinese-handout (fixture)", "fixture", _fixture("chinese_fixture", "build_pdf"), subject="mixed"),
    ]


def everything(include_held_out: bool = False, texts: Path = TEXTS) -> list[Source]:
    chosen = [s for s in real_texts(texts) if include_held_out or not s.held_out]
    return chosen + repository_pdfs() + fixtures()
