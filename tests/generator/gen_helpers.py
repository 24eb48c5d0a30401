"""Helpers for the generator tests: where the real PDFs are, the generated Chinese handout, the text
the generator extracts, and the checks every generated question must pass."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import msgspec
from chinese_fixture import build_pdf

from examgen.generator import Exam
from examgen.generator.exam import to_builtins
from examgen.generator.extract import read_pages
from examgen.generator.layout import build_document
from examgen.generator.question_types import BLANK
from tests.support import PDFS


def pdf_dir() -> Path:
    return PDFS


@cache
def chinese_pdf_bytes() -> bytes:
    """Built once per test process (reportlab takes a moment)."""
    return build_pdf()


def extracted_text(data: bytes) -> str:
    """The text questions must quote from: what the generator itself extracts."""
    return build_document(read_pages(data, 10_000).pages).text


# Keys the exam JSON adds to the contract's (never renaming one).
EXTRA = ("explanation", "accepted_answers")


def plain(exam: Exam) -> dict[str, Any]:
    """The exam as the JSON a client reads."""
    return to_builtins(exam)


def typed(exam: Exam | dict[str, Any]) -> Exam:
    """An exam written as JSON in a test, as the typed value the generator's functions take."""
    return exam if isinstance(exam, Exam) else msgspec.convert(exam, type=Exam)


def assert_sound(
    typed: Exam | dict[str, Any], text: str, types: tuple[str, ...] = ("mcq", "cloze", "true_false")
) -> None:
    """Every rule of docs/contract.md for every question, read in the exam's JSON, with the question in
    the failure message."""
    exam = plain(typed) if isinstance(typed, Exam) else typed
    assert set(exam) >= {"title", "language", "source", "generator", "questions"}
    assert set(exam["source"]) == {"filename", "pages", "sha256"}
    questions = exam["questions"]
    assert questions, "an exam has at least one question"
    assert len({q["id"] for q in questions}) == len(questions)
    assert len({q["source_text"] for q in questions}) == len(questions), "two questions from one sentence"
    for q in questions:
        where = f"{q['id']}: {q}"
        assert set(q) >= {"id", "type", "prompt", "options", "answer", "source_page", "source_text"}, where
        assert set(q) <= {"id", "type", "prompt", "options", "answer", "source_page", "source_text", *EXTRA}, where
        assert isinstance(q["explanation"], str) and q["explanation"].strip(), where
        if q["type"] == "cloze":
            assert q["accepted_answers"][0] == q["answer"], where
        assert q["type"] in types, where
        assert q["source_text"] in text, where
        assert 1 <= q["source_page"] <= exam["source"]["pages"], where
        if q["type"] == "true_false":
            assert isinstance(q["answer"], bool), where
            assert q["options"] is None and BLANK not in q["prompt"], where
            assert q["answer"] == (q["prompt"] == q["source_text"]), where
            continue
        answer = q["answer"]
        assert isinstance(answer, str) and answer, where
        assert answer in q["source_text"], where
        assert q["prompt"].count(BLANK) == 1, where
        assert q["prompt"].replace(BLANK, answer) == q["source_text"], where
        assert answer.lower() not in q["prompt"].lower(), where
        if q["type"] == "cloze":
            assert q["options"] is None, where
        else:
            options = q["options"]
            assert len(options) == 4 and len({o.lower() for o in options}) == 4, where
            assert options.count(answer) == 1, where
            for option in options:
                if option != answer:
                    assert option.lower() not in answer.lower() and answer.lower() not in option.lower(), where


ENGLISH_COURSE = [
    "The water cycle describes how water moves between the oceans, the atmosphere and the land.",
    "Evaporation turns liquid water from oceans and lakes into water vapour when the sun heats the surface.",
    "Transpiration is the release of water vapour from the leaves of plants through small pores called stomata.",
    "Condensation forms clouds when rising water vapour cools and turns back into tiny liquid droplets.",
    "Precipitation returns water to the surface as rain, snow, sleet or hail.",
    "Groundwater is water that fills the pores and cracks of rocks below the water table.",
    "An aquifer is a layer of permeable rock that stores groundwater and lets it flow to wells and springs.",
    "About 97 percent of the water on Earth is salt water held in the oceans.",
    "Glaciers and ice caps store roughly 69 percent of the fresh water on the planet.",
    "The Amazon River carries more water to the sea than any other river in the world.",
    "In 1974 the World Meteorological Organization launched the first global programme on the water cycle.",
    "A drainage basin is the area of land from which all surface water flows to a single river mouth.",
    "Runoff is the part of precipitation that flows over the land surface into streams and rivers.",
    "Infiltration is the movement of surface water into the soil, which depends on soil texture and moisture.",
    "Deforestation reduces transpiration and can lower the amount of rainfall in a region.",
    "The residence time of water in the atmosphere is about nine days on average.",
    "Dr. Lena Park measured river discharge at 42 stations along the Danube in 2019.",
    "Hydrologists use a rain gauge to measure the amount of precipitation at a given place.",
    "Desalination removes salt from sea water, but it needs a large amount of energy.",
    "The Aral Sea shrank dramatically after 1960 because rivers feeding it were diverted for irrigation.",
    "Evaporation, transpiration, condensation, precipitation and infiltration are the main processes of the"
    " water cycle.",
]


@cache
def english_pdf_bytes() -> bytes:
    """A two-page English handout (reportlab, Helvetica), built once per test process."""
    import io

    from reportlab import rl_config
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    rl_config.invariant = 1  # no timestamp or random document id: the same bytes every time
    style = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=14)
    flow: list[object] = [Paragraph("Unit 3: The Water Cycle", ParagraphStyle("h", fontSize=14, leading=20))]
    for i in range(0, len(ENGLISH_COURSE), 3):
        flow += [Paragraph(" ".join(ENGLISH_COURSE[i : i + 3]), style), Spacer(1, 6)]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A5, title="The Water Cycle").build(flow)
    return out.getvalue()
