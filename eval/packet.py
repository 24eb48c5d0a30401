"""The material a blind judge gets (the brief in docs/quality.md): per document the whole extracted
text, page by page, and its questions; nothing of the generator.

    python -m eval --packet DIR [--held-out] [--only NAME,...] [--exams DIR]

writes DIR/<document>/source.txt and DIR/<document>/questions.md for every chosen document, and
DIR/manifest.json (each document's language, whether it is held out, and each question's type and
answer), which `--tally` reads to sort the judges' verdicts. `--exams DIR` takes the exams from
<DIR>/<document>.json instead of generating them: how exams of an earlier release are judged with
the same packet.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import msgspec

from examgen.generator import Exam, ExamOptions, PdfProblem, generate_exam
from examgen.generator.extract import read_pages
from examgen.generator.question_types import Question, TrueFalse

from .corpus import Source

MAX_PAGES = 500
OPTIONS = ExamOptions(num_questions=10)  # the brief's default options
MANIFEST = "manifest.json"


def stem(name: str) -> str:
    """The folder of a document in a packet: its file name without ".pdf"."""
    return name.removesuffix(".pdf")


class JudgedQuestion(msgspec.Struct):
    id: str
    type: str
    answer: str | bool


class JudgedDocument(msgspec.Struct):
    name: str
    language: str
    held_out: bool
    asked: int
    questions: list[JudgedQuestion]
    notices: list[str] = msgspec.field(default_factory=list)


class Manifest(msgspec.Struct):
    options: str
    documents: list[JudgedDocument]


@dataclass(frozen=True)
class Packed:
    source: Source
    exam: Exam | None
    error: str = ""


def source_text(pages: list[str]) -> str:
    """Every page as extracted, artefacts left as they are, between `===== page N =====` lines."""
    return "".join(f"===== page {n} =====\n{text.rstrip()}\n\n" for n, text in enumerate(pages, 1))


def _answer(question: Question) -> str:
    if isinstance(question, TrueFalse):
        return "True" if question.answer else "False"
    return str(question.answer)


def questions_markdown(name: str, exam: Exam) -> str:
    """Each question: id, type, page, prompt, options A–D, the answer given, accepted answers."""
    out = [f"# Questions made from {name}", "", f"{len(exam.questions)} questions.", ""]
    for question in exam.questions:
        out += [f"## {question.id}", "", f"- type: {question.type}", f"- source page: {question.source_page}"]
        out += ["- prompt:", "", f"  > {question.prompt}", ""]
        for letter, option in zip("ABCD", question.options or [], strict=False):
            out.append(f"  - {letter}) {option}")
        if question.options:
            out.append("")
        out.append(f"- answer given: {_answer(question)}")
        accepted = getattr(question, "accepted_answers", None)
        if accepted:
            out.append(f"- accepted answers: {' | '.join(accepted)}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _exam_for(source: Source, exams: Path | None) -> Packed:
    if exams is not None:
        path = exams / f"{stem(source.name)}.json"
        if not path.is_file():
            return Packed(source, None, f"no exam at {path}")
        return Packed(source, msgspec.json.decode(path.read_bytes(), type=Exam))
    try:
        return Packed(source, generate_exam(source.load(), source.name, OPTIONS, max_pages=MAX_PAGES))
    except PdfProblem as problem:
        return Packed(source, None, str(problem))


def write_packet(sources: list[Source], folder: Path, exams: Path | None = None) -> list[Packed]:
    folder.mkdir(parents=True, exist_ok=True)
    packed = [_exam_for(source, exams) for source in sources]
    documents = []
    for item in packed:
        if item.exam is None:
            continue
        place = folder / stem(item.source.name)
        place.mkdir(exist_ok=True)
        pages = read_pages(item.source.load(), MAX_PAGES).pages
        (place / "source.txt").write_text(source_text(pages), encoding="utf-8")
        (place / "questions.md").write_text(questions_markdown(item.source.name, item.exam), encoding="utf-8")
        documents.append(
            JudgedDocument(
                stem(item.source.name),
                item.exam.language,
                item.source.held_out,
                OPTIONS.num_questions,
                [JudgedQuestion(q.id, q.type, _answer(q)) for q in item.exam.questions],
                list(item.exam.notices),
            )
        )
    manifest = Manifest(f"{OPTIONS.num_questions} questions, every type, language auto", documents)
    (folder / MANIFEST).write_bytes(json.dumps(msgspec.to_builtins(manifest), ensure_ascii=False, indent=1).encode())
    return packed


def read_manifest(path: Path) -> Manifest:
    return msgspec.json.decode(path.read_bytes(), type=Manifest)
