"""JSON, HTML, GIFT and Moodle XML exports: they parse, and they escape what they must."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from gen_helpers import chinese_pdf_bytes, plain, typed
from hypothesis import given
from hypothesis import strategies as st

from examgen.generator import ExamOptions, generate_exam, render_exam
from examgen.generator.export_gift import gift_escape

NASTY = "<script>alert('x')</script> & {GIFT} ~ = # : \\ \"quoted\""


def _exam(title: str = NASTY) -> dict[str, Any]:
    return {
        "title": title,
        "language": "en",
        "source": {"filename": "a<b>&.pdf", "pages": 3, "sha256": "0" * 64},
        "generator": "builtin",
        "questions": [
            {
                "id": "q1",
                "type": "mcq",
                "prompt": "The ratio 1:2 = {half} _____ & <b>bold</b>.",
                "options": ["~tilde", "#hash", "x=y", "a\\b"],
                "answer": "#hash",
                "source_page": 1,
                "source_text": "The ratio 1:2 = {half} #hash & <b>bold</b>.",
            },
            {
                "id": "q2",
                "type": "cloze",
                "prompt": "光合作用的场所是_____。",
                "options": None,
                "answer": "叶绿体*",
                "source_page": 2,
                "source_text": "光合作用的场所是叶绿体*。",
            },
            {
                "id": "q3",
                "type": "true_false",
                "prompt": "Water boils at 100 °C: {always}.",
                "options": None,
                "answer": False,
                "source_page": 3,
                "source_text": "Water boils at 90 °C: {always}.",
            },
            {
                "id": "q4",
                "type": "true_false",
                "prompt": "Ice floats.",
                "options": None,
                "answer": True,
                "source_page": 3,
                "source_text": "Ice floats.",
            },
        ],
    }


def test_json_round_trips_and_keeps_unicode() -> None:
    body, media = render_exam(typed(_exam()), "json")
    assert media == "application/json"
    assert json.loads(body) == _exam()
    assert "光合作用" in body  # ensure_ascii=False: readable UTF-8, not \\u escapes


def test_html_escapes_and_puts_the_key_last() -> None:
    body, media = render_exam(typed(_exam()), "html")
    assert media.startswith("text/html") and "charset=utf-8" in media
    assert '<meta charset="utf-8">' in body
    assert "<script>" not in body and "&lt;script&gt;" in body and "<b>bold" not in body
    questions, key = body.index('class="questions"'), body.index('class="answer-key"')
    assert questions < key and body.rindex('class="mcq"') < key
    assert "page-break-before: always" in body and "break-before: page" in body
    key_part = body[key:]
    assert "B. #hash" in key_part and "False" in key_part and "True" in key_part
    assert "叶绿体*" in key_part and "光合作用的场所是" in body[:key]


def test_html_labels_follow_the_language() -> None:
    exam = {**_exam("讲义"), "language": "zh"}
    body, _ = render_exam(typed(exam), "html")
    assert 'lang="zh"' in body and "参考答案" in body and "第1页" in body


def _gift_unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _gift_questions(body: str) -> list[tuple[str, str, str]]:
    """(name, question text, answer block) for each question: a tiny GIFT reader honouring escapes."""
    found = []
    for block in body.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith(("//", "$CATEGORY"))]
        if not lines:
            continue
        text = " ".join(lines)
        match = re.fullmatch(r"::((?:\\.|[^:\\])*)::((?:\\.|[^{\\])*)\{((?:\\.|[^}\\])*)\}", text)
        assert match, f"not GIFT: {text!r}"
        found.append((match.group(1), match.group(2), match.group(3)))
    return found


def test_gift_parses_back() -> None:
    body, media = render_exam(typed(_exam()), "gift")
    assert media.startswith("text/plain")
    questions = _gift_questions(body)
    assert [name for name, _, _ in questions] == ["q1", "q2", "q3", "q4"]
    exam = _exam()
    for (_, text, _), question in zip(questions, exam["questions"], strict=True):
        # Moodle reads GIFT question text as HTML: what it shows is the prompt, markup as text.
        assert html.unescape(_gift_unescape(text).strip()) == question["prompt"]
        assert "<" not in text
    choices = re.findall(r"([=~])((?:\\.|[^=~\\])*)", questions[0][2])
    assert [(mark, _gift_unescape(choice).strip()) for mark, choice in choices] == [
        ("~", "~tilde"),
        ("=", "#hash"),
        ("~", "x=y"),
        ("~", "a\\b"),
    ]
    assert questions[1][2] == "=叶绿体*" and questions[2][2] == "FALSE" and questions[3][2] == "TRUE"
    category = next(line for line in body.splitlines() if line.startswith("$CATEGORY"))
    assert "{" not in category and "<" not in category and ":" not in category.split(":", 1)[1]


@given(st.text(max_size=80))
def test_gift_escaping_property(text: str) -> None:
    escaped = gift_escape(text)
    assert "\n" not in escaped
    # once every backslash pair is read as an escape, no special character is left bare
    unescaped_specials = re.sub(r"\\.", "", escaped)
    assert not any(ch in unescaped_specials for ch in "~=#{}:\\")
    assert html.unescape(_gift_unescape(escaped)) == " ".join(text.split())
    assert "<" not in escaped and ">" not in escaped
    plain = gift_escape(text, as_html=False)
    assert _gift_unescape(plain) == " ".join(text.split())


def test_gift_shows_script_as_text_as_moodle_xml_does() -> None:
    exam = _exam()
    exam["questions"][0]["prompt"] = "<script>alert(1)</script> is _____."
    exam["questions"][0]["options"] = ["<img src=x onerror=alert(1)>", "#hash"]
    gift = render_exam(typed(exam), "gift")[0]
    body = "\n".join(line for line in gift.splitlines() if not line.startswith("//"))  # comments are not imported
    assert "<script>" not in body and "<img" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and r"&lt;img src\=x onerror\=alert(1)&gt;" in body
    moodle = render_exam(typed(exam), "moodle")[0]
    assert "&amp;lt;script&amp;gt;" in moodle  # XML-escaped HTML-escaped: the same text reaches Moodle


def test_moodle_xml() -> None:
    body, media = render_exam(typed(_exam()), "moodle")
    assert media == "application/xml" and body.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    quiz = ET.fromstring(body.encode("utf-8"))
    questions = quiz.findall("question")
    assert [q.get("type") for q in questions] == ["category", "multichoice", "shortanswer", "truefalse", "truefalse"]
    assert questions[0].findtext("category/text") == f"$course$/examgen/{NASTY}"
    mcq = questions[1]
    assert html.unescape(mcq.findtext("questiontext/text") or "") == _exam()["questions"][0]["prompt"]
    answers = {html.unescape(a.findtext("text") or ""): a.get("fraction") for a in mcq.findall("answer")}
    assert answers == {"~tilde": "0", "#hash": "100", "x=y": "0", "a\\b": "0"}
    short = questions[2]
    assert short.findtext("answer/text") == "叶绿体\\*" and short.findtext("usecase") == "0"
    false_one = {a.findtext("text"): a.get("fraction") for a in questions[3].findall("answer")}
    assert false_one == {"true": "0", "false": "100"}
    true_one = {a.findtext("text"): a.get("fraction") for a in questions[4].findall("answer")}
    assert true_one == {"true": "100", "false": "0"}


def test_unknown_format() -> None:
    with pytest.raises(ValueError):
        render_exam(typed(_exam()), "pdf")


def test_every_format_of_a_generated_chinese_exam() -> None:
    exam = plain(generate_exam(chinese_pdf_bytes(), "讲义.pdf", ExamOptions(num_questions=6), max_pages=50))
    assert json.loads(render_exam(typed(exam), "json")[0]) == exam
    page = render_exam(typed(exam), "html")[0]
    for question in exam["questions"]:
        assert all(html.escape(part) in page for part in question["prompt"].split("_____"))
    assert len(_gift_questions(render_exam(typed(exam), "gift")[0])) == len(exam["questions"])
    quiz = ET.fromstring(render_exam(typed(exam), "moodle")[0].encode("utf-8"))
    assert len(quiz.findall("question")) == len(exam["questions"]) + 1
