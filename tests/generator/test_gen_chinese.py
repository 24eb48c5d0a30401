"""The Chinese pipeline on a real PDF made with reportlab's STSong-Light font."""

from __future__ import annotations

import re

from chinese_fixture import CHAPTERS
from gen_helpers import assert_sound, extracted_text, plain

from examgen.generator import ExamOptions, generate_exam
from examgen.generator.terms import find_numbers

CJK_GAP = re.compile(r"[\u4e00-\u9fff，。、] +[\u4e00-\u9fff，。、]")


def test_lines_are_joined_without_spaces_and_page_numbers_dropped(chinese_pdf: bytes) -> None:
    text = extracted_text(chinese_pdf)
    joined = text.replace("\n", "")  # paragraph breaks are fine; spaces or lost characters are not
    for _, paragraphs in CHAPTERS:
        for paragraph in paragraphs:
            assert paragraph in joined  # every paragraph back in one piece, though the PDF broke its lines
    headings = [title for title, _ in CHAPTERS]  # "第一章 光合作用" has its space in the source
    assert not any(CJK_GAP.search(line) for line in text.split("\n") if line not in headings)
    assert not re.search(r"第\s*\d+\s*页", text)  # the "第 N 页" footers are gone


def test_chinese_exam_is_sound(chinese_pdf: bytes) -> None:
    exam = plain(generate_exam(chinese_pdf, "讲义.pdf", ExamOptions(num_questions=15), max_pages=50))
    assert exam["language"] == "zh" and exam["title"] == "中国高中课程讲义"
    assert exam["source"]["pages"] >= 3
    assert len(exam["questions"]) >= 12
    assert_sound(exam, extracted_text(chinese_pdf))
    assert {q["type"] for q in exam["questions"]} == {"mcq", "cloze", "true_false"}
    assert len({q["source_page"] for q in exam["questions"]}) >= 3  # spread over the handout
    for q in exam["questions"]:
        assert not CJK_GAP.search(q["prompt"]) and not CJK_GAP.search(q["source_text"])
        if q["type"] == "mcq" and find_numbers(q["answer"], chinese=True):
            # a number's distractors are numbers too
            assert all(find_numbers(option, chinese=True) for option in q["options"]), q


def test_forced_language_uses_the_chinese_pipeline(chinese_pdf: bytes) -> None:
    exam = plain(generate_exam(chinese_pdf, "x.pdf", ExamOptions(num_questions=5, language="zh"), max_pages=50))
    assert exam["language"] == "zh" and 1 <= len(exam["questions"]) <= 5


def test_only_mcq_gives_only_good_mcq(chinese_pdf: bytes) -> None:
    exam = plain(generate_exam(chinese_pdf, "x.pdf", ExamOptions(num_questions=8, types=("mcq",)), max_pages=50))
    assert exam["questions"] and all(q["type"] == "mcq" for q in exam["questions"])
    assert_sound(exam, extracted_text(chinese_pdf), types=("mcq",))
