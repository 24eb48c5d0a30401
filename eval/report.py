"""What the evaluation prints and keeps: the tables and the floors check."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from .run import NAMES, Outcome

FLOORS = Path(__file__).resolve().parent / "floors.json"


def _cell(cell: dict[str, Any]) -> str:
    if cell["share"] is None:
        return "–"
    return f"{100 * cell['share']:.0f}% ({cell['passed']}/{cell['counted']})"


def documents_table(outcomes: list[Outcome]) -> str:
    lines = ["| document | language | pages | questions | outcome |", "|---|---|---|---|---|"]
    for o in outcomes:
        count = len(o.exam.questions) if o.exam else 0
        said = o.error or ("held out" if o.source.held_out else "exam")
        lines.append(f"| {o.source.name} | {o.language or '–'} | {o.pages or '–'} | {count} | {said} |")
    return "\n".join(lines)


def languages_table(languages: dict[str, dict[str, Any]]) -> str:
    lines = [
        "| language | documents | questions | " + " | ".join(NAMES) + " |",
        "|---" * (3 + len(NAMES)) + "|",
    ]
    for lang, row in languages.items():
        cells = " | ".join(_cell(row[name]) for name in NAMES)
        lines.append(f"| {lang} | {row['documents']} | {row['questions']} | {cells} |")
    return "\n".join(lines)


def floors_from(languages: dict[str, dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Today's shares rounded down to a whole percent: a later run below them has regressed."""
    return {
        lang: {n: math.floor(100 * row[n]["share"]) / 100 for n in NAMES if row[n]["share"] is not None}
        for lang, row in languages.items()
    }


def below_floors(languages: dict[str, dict[str, Any]], floors: dict[str, dict[str, float]]) -> list[str]:
    """One line per measure under its floor. A language or measure with a floor but nothing counted
    today is a regression too: a corpus that stops producing exams must not pass by measuring nothing."""
    found = []
    for lang, limits in sorted(floors.items()):
        row = languages.get(lang)
        for name, floor in sorted(limits.items()):
            share = row[name]["share"] if row else None
            if share is None or share < floor:
                shown = "nothing measured" if share is None else f"{share:.2f}"
                found.append(f"{lang} {name}: {shown} below the floor {floor:.2f}")
    return found


def read_floors(path: Path = FLOORS) -> dict[str, dict[str, float]]:
    loaded: dict[str, dict[str, float]] = json.loads(path.read_text(encoding="utf-8"))
    return loaded
