"""Options (count, types, title, language), determinism and progress reporting."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from gen_helpers import ENGLISH_COURSE, assert_sound, english_pdf_bytes, extracted_text, plain

from examgen.generator import ExamOptions, generate_exam

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("types", [("mcq",), ("cloze",), ("true_false",), ("mcq", "true_false"), ("cloze", "mcq")])
def test_requested_types_only(types: tuple[str, ...]) -> None:
    data = english_pdf_bytes()
    exam = plain(generate_exam(data, "water.pdf", ExamOptions(num_questions=10, types=types), max_pages=10))
    assert_sound(exam, extracted_text(data), types=types)
    kinds = Counter(q["type"] for q in exam["questions"])
    assert set(kinds) <= set(types)
    if len(types) == 2:
        # Both types, as even as the handout allows: multiple choice only where three siblings exist.
        assert len(kinds) == 2
    if types == ("true_false",):
        answers = {q["answer"] for q in exam["questions"]}
        assert answers == {True, False}


def test_num_questions_is_a_maximum() -> None:
    data = english_pdf_bytes()
    three = plain(generate_exam(data, "w.pdf", ExamOptions(num_questions=3), max_pages=10))
    assert len(three["questions"]) == 3
    many = plain(generate_exam(data, "w.pdf", ExamOptions(num_questions=100), max_pages=10))
    assert 10 <= len(many["questions"]) <= len(ENGLISH_COURSE)  # one per sentence at most, never padded
    assert_sound(many, extracted_text(data))


def test_titles() -> None:
    data = english_pdf_bytes()
    assert generate_exam(data, "w.pdf", ExamOptions(num_questions=1), max_pages=10).title == "The Water Cycle"
    titled = plain(generate_exam(data, "w.pdf", ExamOptions(num_questions=1, title="  Quiz   3 "), max_pages=10))
    assert titled["title"] == "Quiz 3"


@pytest.mark.parametrize(
    "options",
    [
        ExamOptions(num_questions=0),
        ExamOptions(num_questions=101),
        ExamOptions(types=()),
        ExamOptions(types=("essay",)),
        ExamOptions(language="fr"),
    ],
)
def test_invalid_options(options: ExamOptions) -> None:
    with pytest.raises(ValueError):
        generate_exam(english_pdf_bytes(), "w.pdf", options, max_pages=10)


def test_same_input_same_exam() -> None:
    data = english_pdf_bytes()
    first = plain(generate_exam(data, "w.pdf", ExamOptions(), max_pages=10))
    assert plain(generate_exam(data, "w.pdf", ExamOptions(), max_pages=10)) == first
    other = plain(generate_exam(data, "w.pdf", ExamOptions(num_questions=9), max_pages=10))
    assert other != first


_CHILD = """
import json, sys
sys.path.insert(0, sys.argv[1])
from gen_helpers import chinese_pdf_bytes, english_pdf_bytes
from examgen.generator import ExamOptions, generate_exam
exams = [generate_exam(make(), "f.pdf", ExamOptions(num_questions=12), max_pages=50)
         for make in (english_pdf_bytes, chinese_pdf_bytes)]
import msgspec
print(json.dumps(msgspec.to_builtins(exams), ensure_ascii=False, sort_keys=True))
"""


@pytest.mark.procs
def test_same_exam_in_other_processes() -> None:
    """Nothing may depend on hash() or set order: other hash seeds give the very same exams."""
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(Path(__file__).parent)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1]
    assert outputs[0][0]["questions"] and outputs[0][1]["questions"]


def test_progress_moves_forward_to_100() -> None:
    seen: list[int] = []
    generate_exam(english_pdf_bytes(), "w.pdf", ExamOptions(), max_pages=10, on_progress=seen.append)
    assert seen[0] == 0 and seen[-1] == 100
    assert seen == sorted(seen) and len(seen) == len(set(seen))
    assert len(seen) <= 2 + 10  # per page while reading, then a few stages
