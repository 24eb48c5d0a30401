"""The evaluation (eval/, docs/quality.md): its measures pass on a sound exam and catch each defect."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest

from eval.corpus import CorpusError, fixtures, real_texts
from eval.measures import MEASURES, Text, debris, spread, swap
from eval.packet import read_manifest, write_packet
from eval.report import below_floors
from eval.run import NAMES, by_language, evaluate
from eval.tally import tally_files
from examgen.generator import Question

WATER = Text(
    "Proteins have a complex structure. An aquifer is a layer of permeable rock that stores groundwater. "
    "Dr. Lena Park measured river discharge at 42 stations along the Danube. Glaciers store fresh water.",
    "en",
)
ZH = Text("比赛时无法继续进行。光合作用的主要场所是叶绿体。上文描述的情况改变了许多。", "zh")


def _typed(fields: dict[str, Any]) -> Question:
    """A question of the exam's JSON as the typed value the measures read; fields a test leaves out
    get neutral values."""
    kind = fields["type"]
    full = {"id": "q1", "source_page": 1, "source_text": "", "options": None, **fields}
    if kind == "cloze":
        full.setdefault("accepted_answers", [full["answer"]])
    if kind == "true_false":
        full["answer"] = bool(full.get("answer"))
    question: Question = msgspec.convert(full, type=Question)
    return question


def _tf(source: str, prompt: str) -> dict[str, Any]:
    return {"type": "true_false", "prompt": prompt, "source_text": source, "answer": source == prompt, "options": None}


def _mcq(prompt: str, answer: str, options: list[str]) -> dict[str, Any]:
    return {"type": "mcq", "prompt": prompt, "answer": answer, "options": options, "source_text": ""}


def test_the_english_fixture_scores_on_every_measure() -> None:
    outcome = evaluate(fixtures()[0])
    assert outcome.exam is not None and outcome.language == "en"
    assert set(outcome.scores) == set(NAMES)
    row = by_language([outcome])["en"]
    for name in ("stands_alone", "terms_of_text", "options_distinct", "clean_stem"):
        assert row[name]["counted"] > 0, name
        assert row[name]["share"] == 1.0, (name, outcome.failures)
    assert row["spread"]["share"] == 1.0  # two pages, both asked about


@pytest.mark.parametrize(
    ("prompt", "answer", "doc"),
    [
        ("The first is when the _____ disagree because they have opposing consequences.", "participants", WATER),
        ("In other systems, _____ are appointed by the parliament.", "judges", WATER),
        ("_____描述的情况改变了许多。", "上文", ZH),
    ],
)
def test_a_stem_that_refers_elsewhere_is_caught(prompt: str, answer: str, doc: Text) -> None:
    question = {"type": "cloze", "prompt": prompt, "answer": answer, "options": None}
    assert MEASURES["stands_alone"](_typed(question), doc) == (0, 1)
    alone = {**question, "prompt": "An _____ is a layer of permeable rock.", "answer": "aquifer"}
    assert MEASURES["stands_alone"](_typed(alone), WATER) == (1, 1)


def test_keys_and_distractors_not_in_the_text_are_caught() -> None:
    question = _mcq("An _____ is a layer of permeable rock.", "aquifer", ["aquifer", "glaciers", "rock", "photon"])
    assert MEASURES["terms_of_text"](_typed(question), WATER) == (3, 4)
    swapped = _tf("Glaciers store fresh water.", "Glaciers store salt water.")
    assert MEASURES["terms_of_text"](_typed(swapped), WATER) == (0, 1)


def test_a_chinese_key_across_a_word_boundary_is_no_term() -> None:
    cut = {"type": "cloze", "prompt": "比赛_____继续进行。", "answer": "时无法", "options": None}
    assert MEASURES["terms_of_text"](_typed(cut), ZH) == (0, 1)  # 比赛时|无法: it occurs, but is no word
    whole = {**cut, "prompt": "_____时无法继续进行。", "answer": "比赛"}
    assert MEASURES["terms_of_text"](_typed(whole), ZH) == (1, 1)


def test_a_term_the_text_names_once_is_a_term() -> None:
    """ "…，称为漂移不稳定性": several jieba words, met once, but the text names them as one term."""
    doc = Text("电场使扰动增强，则会造成不稳定性，称为漂移不稳定性。漂移运动与质量无关。", "zh")
    named = {"type": "cloze", "prompt": "…，称为_____。", "answer": "漂移不稳定性", "options": None}
    assert MEASURES["terms_of_text"](_typed(named), doc) == (1, 1)
    once = {**named, "answer": "造成不稳定性"}  # the same shape of words, not named as a term
    assert MEASURES["terms_of_text"](_typed(once), doc) == (0, 1)


@pytest.mark.parametrize(
    ("source", "prompt", "agrees"),
    [
        ("Proteins have a complex structure.", "Proteins have a complex denature.", False),  # noun -> verb
        ("Proteins have a complex structure.", "Proteins have a complex structures.", False),  # number
        ("Proteins have a complex structure.", "Proteins have a complex shape.", True),
        ("He measured it at 42 stations.", "He measured it at 42 km.", False),  # unit
        ("He measured it at 42 stations.", "He measured it at 35 stations.", True),
        ("It is an aquifer of rock.", "It is an glacier of rock.", False),  # "an" before a consonant
        ("光合作用的主要场所是叶绿体。", "光合作用的主要场所是吸收。", False),  # jieba: n(r) -> v
    ],
)
def test_a_swap_of_another_part_of_speech_is_caught(source: str, prompt: str, agrees: bool) -> None:
    doc = ZH if "光" in source else WATER
    assert MEASURES["swap_agrees"](_typed(_tf(source, prompt)), doc) == (int(agrees), 1)


def test_swaps_are_widened_to_whole_words_and_true_statements_are_not_counted() -> None:
    assert swap(_typed(_tf("a complex structure.", "a complex denature.")), "en") == ("structure", "denature")
    true = _tf("Glaciers store fresh water.", "Glaciers store fresh water.")
    assert MEASURES["swap_agrees"](_typed(true), WATER) == (0, 0)


@pytest.mark.parametrize(
    "options",
    [["aquifer", "confined aquifer", "glacier", "river"], ["Aquifer", "aquifer", "glacier", "river"]],
)
def test_overlapping_or_duplicate_options_are_caught(options: list[str]) -> None:
    question = _mcq("An _____ is a layer of rock.", "aquifer", options)
    assert MEASURES["options_distinct"](_typed(question), WATER) == (0, 1)
    fine = _mcq("An _____ is a layer of rock.", "aquifer", ["aquifer", "glacier", "river", "ocean"])
    assert MEASURES["options_distinct"](_typed(fine), WATER) == (1, 1)


@pytest.mark.parametrize(
    ("prompt", "kind", "found"),
    [
        ("\uf0b7 CART – _____ and Regression Trees split the data.", "cloze", "private-use"),
        ("The flux S 𝜌𝜎 dS through the _____ is zero.", "cloze", "math-letters"),
        ("The co¨ordinate _____ is fixed.", "cloze", "broken-glyph"),
        ("The Probabilitydensityfunctionofthevariable is a _____.", "cloze", "run-together"),
        ("The _____ of _____ is fixed.", "cloze", "gap"),
        ("The value _____ is fixed.", "true_false", "gap"),
    ],
)
def test_extraction_debris_in_stems_is_caught(prompt: str, kind: str, found: str) -> None:
    question = {"type": kind, "prompt": prompt, "answer": "x"}
    assert found in debris(_typed(question))
    assert MEASURES["clean_stem"](_typed(question), WATER) == (0, 1)
    assert debris(_typed({"type": "cloze", "prompt": "The water _____ is fixed.", "answer": "x"})) == []


def test_spread_counts_distinct_pages_out_of_what_is_possible() -> None:
    assert spread([_typed({"type": "true_false", "prompt": "x"})] * 4, pages=5) == (1, 4)
    pages = [_typed({"type": "true_false", "prompt": "x", "source_page": p}) for p in (1, 2, 2)]
    assert spread(pages, pages=2) == (2, 2)


def test_the_check_fails_below_a_floor_or_when_nothing_was_measured() -> None:
    languages = {"en": {name: {"share": 0.9} for name in NAMES}}
    assert below_floors(languages, {"en": {"stands_alone": 0.9}}) == []
    assert below_floors(languages, {"en": {"stands_alone": 0.95}})
    assert below_floors(languages, {"zh": {"stands_alone": 0.5}})  # no Chinese exam at all


def test_every_real_text_needs_a_row_with_source_and_license(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(
        "| file | source | license | language | subject | held out |\n|---|---|---|---|---|---|\n"
        "| `a.pdf` | https://example.invalid/a | CC BY 4.0 | en | biology | yes |\n",
        encoding="utf-8",
    )
    with pytest.raises(CorpusError, match=r"missing: a\.pdf"):
        real_texts(tmp_path)
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    [text] = real_texts(tmp_path)
    assert text.held_out and text.subject == "biology"
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(CorpusError, match=r"not listed.*b\.pdf"):
        real_texts(tmp_path)


def test_the_repository_text_folder_is_consistent() -> None:
    real_texts()  # eval/texts/README.md and the PDFs beside it agree


def _one_text(tmp_path: Path) -> Path:
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "handout.pdf").write_bytes(fixtures()[0].load())
    (folder / "README.md").write_text(
        "| file | source | license | language | subject | held out |\n|---|---|---|---|---|---|\n"
        "| handout.pdf | made here | CC0 | en | water | yes |\n",
        encoding="utf-8",
    )
    return folder


def test_a_packet_holds_the_whole_text_page_by_page_and_the_questions_nothing_else(tmp_path: Path) -> None:
    packet = tmp_path / "packet"
    (made,) = write_packet(real_texts(_one_text(tmp_path)), packet)
    assert made.exam is not None and made.exam.questions
    assert sorted(p.name for p in (packet / "handout").iterdir()) == ["questions.md", "source.txt"]
    source = (packet / "handout" / "source.txt").read_text(encoding="utf-8")
    assert source.startswith("===== page 1 =====\n") and "===== page 2 =====" in source
    questions = (packet / "handout" / "questions.md").read_text(encoding="utf-8")
    for question in made.exam.questions:
        assert f"## {question.id}" in questions and question.prompt in questions
        assert question.explanation not in questions  # the judge sees no explanation field
    manifest = read_manifest(packet / "manifest.json")
    assert [(d.name, d.language, d.held_out) for d in manifest.documents] == [("handout", "en", True)]


def test_the_tally_counts_each_judges_verdicts_per_language_type_and_defect(tmp_path: Path) -> None:
    packet = tmp_path / "packet"
    (made,) = write_packet(real_texts(_one_text(tmp_path)), packet)
    assert made.exam is not None
    ids = [q.id for q in made.exam.questions]
    verdicts = (["AS IS", "Light edit", "UNUSABLE"] * len(ids))[: len(ids)]
    rows = [f"| {q} | x | {v} | weak-distractors, trivial-key | why |" for q, v in zip(ids, verdicts, strict=True)]
    judge = packet / "judge-1.md"
    judge.write_text("# Review\n\n### handout (en)\n\n| id | type | verdict | tags | reason |\n|---|---|---|---|---|\n"
                     + "\n".join(rows) + "\n", encoding="utf-8")  # fmt: skip
    shown = tally_files([judge])
    as_is = verdicts.count("AS IS")
    assert f"| en, held out | {len(ids)} | {as_is} (" in shown
    assert f"| trivial-key | {len(ids)} |" in shown
    assert "not understood" not in shown


def test_a_generic_answer_is_caught() -> None:
    trivial = _typed({"type": "cloze", "prompt": "They used to have a more complete _____.", "answer": "picture"})
    assert MEASURES["key_specific"](trivial, WATER) == (0, 1)
    term = _typed({"type": "cloze", "prompt": "An _____ is a layer of permeable rock.", "answer": "aquifer"})
    assert MEASURES["key_specific"](term, WATER) == (1, 1)


KIN = Text(
    "Evaporation, transpiration and infiltration move water. Runoff flows over land. "
    "Surface runoff and subsurface runoff differ. A disulfide bond forms in a protein.",
    "en",
)


@pytest.mark.parametrize(
    ("options", "kin"),
    [
        (["evaporation", "transpiration", "infiltration", "runoff"], False),  # runoff is in no list with the key
        (["Surface runoff", "subsurface runoff", "evaporation", "transpiration"], False),
        (["evaporation", "transpiration", "infiltration", "protein"], False),
    ],
)
def test_distractors_not_of_the_keys_kind_are_caught(options: list[str], kin: bool) -> None:
    question = _mcq("_____ moves water into the air.", "evaporation", options)
    assert MEASURES["options_kin"](_typed(question), KIN) == (int(kin), 1)


def test_distractors_listed_with_the_key_or_sharing_its_head_are_of_its_kind() -> None:
    listed = _mcq("_____ moves water.", "evaporation", ["evaporation", "transpiration", "infiltration", "runoff"])
    assert MEASURES["options_kin"](_typed(listed), Text(KIN.text + " Evaporation or runoff.", "en")) == (1, 1)
    heads = _mcq("_____ flows over land.", "Surface runoff", ["Surface runoff", "subsurface runoff", "runoff"])
    assert MEASURES["options_kin"](_typed({**heads, "options": [*heads["options"], "storm runoff"]}), KIN) == (1, 1)


def test_a_false_statement_the_document_states_is_caught() -> None:
    stated = _tf("Glaciers store salt water.", "Glaciers store fresh water.")
    assert MEASURES["false_is_false"](_typed(stated), WATER) == (0, 1)
    made_up = _tf("Glaciers store fresh water.", "Glaciers store salt water.")
    assert MEASURES["false_is_false"](_typed(made_up), WATER) == (1, 1)
