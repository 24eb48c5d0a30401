"""What the evaluation prints and keeps: the table, the floors check, and the sample for a blind judge."""

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
        count = len(o.exam["questions"]) if o.exam else 0
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


def _plain_question(number: int, question: dict[str, Any]) -> list[str]:
    kind = {"mcq": "multiple choice", "cloze": "fill in the blank", "true_false": "true or false"}[question["type"]]
    lines = [f"**Q{number}** ({kind}, from page {question['source_page']})", "", f"> {question['prompt']}", ""]
    if question["type"] == "mcq":
        lines += [f"- {letter}) {option}" for letter, option in zip("ABCD", question["options"], strict=False)]
        lines.append("")
    answer = question["answer"]
    shown = ("true" if answer else "false") if isinstance(answer, bool) else answer
    lines += [f"Answer given: {shown}", "", "Verdict: ______ (as is / light edit / unusable)   Reason: ______", ""]
    return lines


def sample_markdown(outcomes: list[Outcome]) -> str:
    """Per document: the sentences the questions were made from, then the questions and their keys.
    Nothing of the generator (no scores, no measures, no earlier verdicts): the judge must be blind."""
    out = [
        "# Questions to judge",
        "",
        "For each question: would you hand it to students as is, after a light edit (about a minute),",
        "or not at all (unusable)? Judge each on its own, from the source sentences only; write the",
        "verdict and a short reason. Made by `python -m eval --sample eval/sample.md` (default options,",
        "10 questions).",
        "",
    ]
    for outcome in outcomes:
        if outcome.exam is None:
            continue
        questions = outcome.exam["questions"]
        out += [f"## {outcome.source.name}", "", "### Source sentences", ""]
        seen: list[str] = []
        for q in sorted(questions, key=lambda q: (q["source_page"], outcome.text.find(q["source_text"]))):
            if q["source_text"] not in seen:
                seen.append(q["source_text"])
                out.append(f"- (page {q['source_page']}) {q['source_text']}")
        out += ["", "### Questions", ""]
        for number, question in enumerate(questions, 1):
            out += _plain_question(number, question)
    return "\n".join(out).rstrip() + "\n"
