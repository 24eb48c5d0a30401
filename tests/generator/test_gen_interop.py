"""QTI, Aiken, DOCX, the student copy and the key, variants: each export read back by a reader
made for it, not only by ours.

- GIFT: pygiftparserrgmf (a ply grammar of Moodle's GIFT documentation; an independent parser).
- Moodle XML: moodle-xml-parser reads the multiple-choice questions (Moodle publishes no XSD).
- QTI 1.2: lxml parses the package, and qti_rules.py checks every element against the QTI ASI
  1.2 DTD's content models (the XSD is not in any registry package; see that module).
- DOCX: python-docx reads the document back.
- Aiken: no parser on PyPI reads it; the lines are checked against Moodle's documented rules.
"""

from __future__ import annotations

import io
import re
import string
import zipfile
from typing import Any

import docx
import moodle_xml_parser.parser as moodle_reader
import pytest
from gen_helpers import english_pdf_bytes, plain, typed
from lxml import etree
from pygiftparser import parser as gift_reader
from qti_rules import CP_MODELS, CP_NS, QTI_MODELS, QTI_NS, problems
from test_gen_exports import _exam

from examgen.generator import ExamOptions, aiken_skipped, generate_exam, make_variant, render_exam, variant_letters


@pytest.fixture(scope="module")
def exam() -> dict[str, Any]:
    # The English handout: every question type comes out of it (the real test PDFs are filler text
    # or diagram labels, which give no sound questions since issue 20).
    made = plain(generate_exam(english_pdf_bytes(), "water.pdf", ExamOptions(num_questions=12), max_pages=50))
    assert {q["type"] for q in made["questions"]} == {"mcq", "cloze", "true_false"}
    return made


def _gift_plain(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


@pytest.mark.parametrize("which", ["nasty", "generated"])
def test_gift_reads_back_with_an_independent_parser(which: str, exam: dict[str, Any]) -> None:
    source = _exam() if which == "nasty" else exam
    parsed = gift_reader.parse(render_exam(typed(source), "gift")[0])
    kinds = {"mcq": "MultipleChoiceRadio", "cloze": "Short", "true_false": "TrueFalse"}
    assert [q.name for q in parsed.questions] == [q["id"] for q in source["questions"]]
    for question, read in zip(source["questions"], parsed.questions, strict=True):
        assert type(read.answer).__name__ == kinds[question["type"]]
        right = [o for o in read.answer.options if o.percentage == 1.0]
        assert len(right) == 1
        if question["type"] == "mcq":
            texts = [_gift_plain(o.text) for o in read.answer.options]
            assert texts == [
                " ".join(o.split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                for o in question["options"]
            ]
            assert _gift_plain(right[0].text) == texts[question["options"].index(question["answer"])]
        elif question["type"] == "true_false":
            assert right[0].text == ("True" if question["answer"] else "False")


def test_moodle_xml_reads_back_with_moodle_xml_parser(exam: dict[str, Any]) -> None:
    for source in (_exam(), exam, plain(make_variant(typed(exam), "C"))):
        read = moodle_reader.parse_string(render_exam(typed(source), "moodle")[0])["multichoice"]
        mcqs = [q for q in source["questions"] if q["type"] == "mcq"]
        assert [q.name for q in read] == [q["id"] for q in mcqs]
        for question, parsed in zip(mcqs, read, strict=True):
            assert (
                parsed.text_pre_parse == " ".join(question["prompt"].split())
                or parsed.text_pre_parse == question["prompt"]
            )
            assert [o.answer for o in parsed.options] == question["options"]
            assert [o.answer for o in parsed.options if o.score_fraction == 100.0] == [question["answer"]]


def _qti(source: dict[str, Any]) -> tuple[etree._Element, etree._Element, zipfile.ZipFile]:
    body, media = render_exam(typed(source), "qti")
    assert media == "application/zip" and isinstance(body, bytes)
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.testzip() is None
    manifest = etree.fromstring(archive.read("imsmanifest.xml"))
    href = manifest.find(f"{{{CP_NS}}}resources/{{{CP_NS}}}resource").get("href")
    assert sorted(archive.namelist()) == sorted(["imsmanifest.xml", href])
    return manifest, etree.fromstring(archive.read(href)), archive


@pytest.mark.parametrize("which", ["nasty", "generated"])
def test_qti_package_meets_the_qti_12_and_content_packaging_models(which: str, exam: dict[str, Any]) -> None:
    source = _exam() if which == "nasty" else exam
    manifest, assessment, _ = _qti(source)
    assert problems(manifest, CP_NS, CP_MODELS) == []
    assert problems(assessment, QTI_NS, QTI_MODELS) == []
    resource = manifest.find(f"{{{CP_NS}}}resources/{{{CP_NS}}}resource")
    assert resource.get("type") == "imsqti_xmlv1p2"
    assert resource.find(f"{{{CP_NS}}}file").get("href") == resource.get("href")
    ns = {"q": QTI_NS}
    items_and_labels = [
        node.get("ident") for node in assessment.iter(f"{{{QTI_NS}}}item", f"{{{QTI_NS}}}response_label")
    ]
    assert len(items_and_labels) == len(set(items_and_labels))
    items = assessment.findall(".//q:item", ns)
    assert [item.get("ident") for item in items] == [q["id"] for q in source["questions"]]
    canvas_types = {
        "mcq": "multiple_choice_question",
        "true_false": "true_false_question",
        "cloze": "short_answer_question",
    }
    for question, item in zip(source["questions"], items, strict=True):
        fields = {
            f.findtext("q:fieldlabel", namespaces=ns): f.findtext("q:fieldentry", namespaces=ns)
            for f in item.findall("q:itemmetadata/q:qtimetadata/q:qtimetadatafield", ns)
        }
        assert fields["question_type"] == canvas_types[question["type"]]
        assert item.findtext("q:presentation/q:material/q:mattext", namespaces=ns) == " ".join(
            question["prompt"].split()
        )
        correct = item.findtext("q:resprocessing/q:respcondition/q:conditionvar/q:varequal", namespaces=ns)
        if question["type"] == "cloze":
            assert correct == question["answer"]
            continue
        labels = {
            label.get("ident"): label.findtext("q:material/q:mattext", namespaces=ns)
            for label in item.findall(".//q:response_label", ns)
        }
        expected = question["answer"] if question["type"] == "mcq" else ("True" if question["answer"] else "False")
        assert labels[correct] == " ".join(str(expected).split())


def test_the_qti_checker_finds_what_the_dtd_forbids(exam: dict[str, Any]) -> None:
    _, assessment, _ = _qti(exam)
    item = assessment.find(f".//{{{QTI_NS}}}response_lid/../..")
    item.append(item.find(f"{{{QTI_NS}}}presentation"))  # presentation after resprocessing
    item.find(f".//{{{QTI_NS}}}response_lid").set("rcardinality", "One")
    found = problems(assessment, QTI_NS, QTI_MODELS)
    assert len(found) == 2 and "item" in found[0] and "rcardinality" in found[1]


def test_qti_is_the_same_bytes_for_the_same_exam(exam: dict[str, Any]) -> None:
    assert render_exam(typed(exam), "qti")[0] == render_exam(typed(exam), "qti")[0]
    assert render_exam(typed(exam), "qti", variant="B")[0] != render_exam(typed(exam), "qti")[0]


def test_aiken_holds_the_multiple_choice_questions_by_moodles_rules(exam: dict[str, Any]) -> None:
    body, media = render_exam(typed(exam), "aiken")
    assert media.startswith("text/plain") and isinstance(body, str)
    mcqs = [q for q in exam["questions"] if q["type"] == "mcq"]
    blocks = body.strip("\n").split("\n\n")
    assert len(blocks) == len(mcqs)
    for question, block in zip(mcqs, blocks, strict=True):
        lines = block.split("\n")
        assert lines[0] == " ".join(question["prompt"].split())
        assert not re.match(r"^([A-Z][.)]\s|ANSWER\s*:)", lines[0])
        letters = string.ascii_uppercase[: len(question["options"])]
        assert lines[1:-1] == [
            f"{letter}. {option}" for letter, option in zip(letters, question["options"], strict=True)
        ]
        assert lines[-1] == f"ANSWER: {letters[question['options'].index(question['answer'])]}"
    assert aiken_skipped(typed(exam)) == [q["id"] for q in exam["questions"] if q["type"] != "mcq"]


def test_aiken_guards_a_question_that_reads_as_a_choice() -> None:
    source = _exam()
    source["questions"][0]["prompt"] = "B. _____ is the answer"
    first = render_exam(typed(source), "aiken")[0].split("\n")[0]
    assert first == "- B. _____ is the answer"


def _docx_texts(body: str | bytes) -> list[str]:
    assert isinstance(body, bytes)
    return [p.text for p in docx.Document(io.BytesIO(body)).paragraphs if p.text.strip()]


def test_docx_reads_back_with_python_docx_in_each_copy(exam: dict[str, Any]) -> None:
    whole = _docx_texts(render_exam(typed(exam), "docx")[0])
    assert whole[0] == exam["title"]
    for number, question in enumerate(exam["questions"], start=1):
        prompt = question["prompt"].replace("_____", "__________")
        assert f"{number}. {' '.join(prompt.split())}" in whole
        for letter, option in zip(string.ascii_uppercase, question["options"] or [], strict=False):
            assert f"{letter}. {option}" in whole
    assert "Answer key" in whole
    student = _docx_texts(render_exam(typed(exam), "docx", key="none")[0])
    assert "Answer key" not in student and "Questions" in student
    key_only = _docx_texts(render_exam(typed(exam), "docx", key="only")[0])
    assert "Questions" not in key_only and "Answer key" in key_only
    answers = key_only[key_only.index("Answer key") + 1 :]
    assert len(answers) == len(exam["questions"])


def test_html_student_copy_and_answer_key_are_separate(exam: dict[str, Any]) -> None:
    student = str(render_exam(typed(exam), "html", key="none")[0])
    key_only = str(render_exam(typed(exam), "html", key="only")[0])
    both = str(render_exam(typed(exam), "html")[0])
    assert 'class="answer-key"' not in student and 'class="exam"' in student
    assert 'class="answer-key"' in key_only and 'class="exam"' not in key_only
    assert 'class="answer-key"' in both and 'class="exam"' in both


def test_variants_shuffle_questions_and_options_the_same_way_every_time(exam: dict[str, Any]) -> None:
    assert variant_letters(3) == "ABC"
    a, b, c = (plain(make_variant(typed(exam), letter)) for letter in "ABC")
    assert [q["id"] for q in a["questions"]] == [q["id"] for q in exam["questions"]]
    assert plain(make_variant(typed(exam), "B")) == b
    orders = {tuple(q["id"] for q in v["questions"]) for v in (a, b, c)}
    assert len(orders) == 3
    by_id = {q["id"]: q for q in exam["questions"]}
    moved_options = 0
    for variant in (b, c):
        assert sorted(q["id"] for q in variant["questions"]) == sorted(by_id)
        for question in variant["questions"]:
            original = by_id[question["id"]]
            assert question["answer"] == original["answer"]
            if original["options"]:
                assert sorted(question["options"]) == sorted(original["options"])
                moved_options += question["options"] != original["options"]
    assert moved_options > 0
    # Each variant's key follows its own order.
    key_b = str(render_exam(typed(exam), "html", key="only", variant="B")[0])
    first = b["questions"][0]
    assert "Variant B" in key_b
    if first["type"] == "mcq":
        assert f"{string.ascii_uppercase[first['options'].index(first['answer'])]}. " in key_b


@pytest.mark.parametrize(
    ("fmt", "options"),
    [
        ("pdf", {}),
        ("html", {"key": "all"}),
        ("gift", {"key": "only"}),
        ("json", {"variant": "b"}),
        ("json", {"variant": "AB"}),
    ],
)
def test_unknown_format_key_or_variant_is_refused(fmt: str, options: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        render_exam(typed(_exam()), fmt, **options)
