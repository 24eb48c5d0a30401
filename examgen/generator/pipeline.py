"""generate_exam: PDF bytes in, exam JSON out, stage by stage."""

from __future__ import annotations

import hashlib
import logging
import random
from collections.abc import Callable
from pathlib import PurePath

import msgspec

from .candidate import Candidate
from .coverage import spread
from .errors import PdfProblem
from .exam import Exam, Source
from .extract import RawPdf, read_pages
from .llm import LlmBackend, llm_questions
from .notices import fewer_questions
from .options import ExamOptions
from .question_types import Cloze, Question
from .questions import build_questions
from .stages import prepare
from .validate import question_problems

log = logging.getLogger(__name__)

# How many candidates may be offered distractors and false forms before the exam makes do with what it has.
_TRIES_PER_QUESTION = 40


class _Progress:
    """Forwards percentages that move forward; drops repeats and steps back."""

    def __init__(self, callback: Callable[[int], None] | None) -> None:
        self.callback = callback
        self.last = -1

    def __call__(self, percent: int) -> None:
        percent = max(0, min(100, percent))
        if self.callback is not None and percent > self.last:
            self.last = percent
            self.callback(percent)


def _check_text(raw: RawPdf) -> None:
    pages = len(raw.pages)
    # Scans carry at most a header line of real text per page, and images on most pages.
    if raw.letters < 40 * pages and (raw.letters == 0 or raw.image_pages >= max(1, pages // 2)):
        raise PdfProblem.no_text()


def _title(options: ExamOptions, raw: RawPdf, filename: str) -> str:
    if options.title:
        return options.title
    if raw.title:
        return raw.title
    stem = PurePath(filename.replace("\\", "/")).stem.strip()
    return stem or "Exam"


def generate_exam(
    data: bytes,
    filename: str,
    options: ExamOptions,
    *,
    max_pages: int,
    engine: str = "pypdf",
    llm: LlmBackend | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> Exam:
    """The whole pipeline: the exam (docs/contract.md) of a PDF.

    max_pages: a longer PDF is refused (PdfProblem). engine: the text engine (extract.ENGINES).
    llm: a model to write the questions, the offline method as fallback. on_progress(percent)
    moves forward through the stages (per page while reading). Raises PdfProblem for the cases a
    user can fix, EngineUnavailable when the engine cannot run here."""
    exam, _ = generate_with_pages(
        data, filename, options, max_pages=max_pages, engine=engine, llm=llm, on_progress=on_progress
    )
    return exam


def generate_with_pages(
    data: bytes,
    filename: str,
    options: ExamOptions,
    *,
    max_pages: int,
    engine: str = "pypdf",
    llm: LlmBackend | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[Exam, list[str]]:
    """generate_exam, and the text of each page it read: what regenerate_question needs later
    to make one more question from the same source without the PDF."""
    options = options.validated()
    progress = _Progress(on_progress)
    progress(0)
    digest = hashlib.sha256(data).hexdigest()
    raw = read_pages(data, max_pages, lambda done, total: progress(2 + 83 * done // total), engine=engine)
    _check_text(raw)
    prepared = prepare(raw.pages, options.language, progress)
    doc, lang, planner = prepared.doc, prepared.lang, prepared.planner
    tries = [0]

    def usable(candidate: Candidate) -> bool:
        # Each try searches the siblings and contrasts of one key; a document where nothing supports
        # the requested types (mcq only, a text without lists) must not try every sentence.
        tries[0] += 1
        if tries[0] > _TRIES_PER_QUESTION * options.num_questions:
            return False
        planner.complete(candidate)
        return any(candidate.supports(kind) for kind in options.types)

    chosen = spread(prepared.candidates, options.num_questions, usable)
    progress(95)
    seed = f"{digest}|{options.fingerprint()}"
    questions = build_questions(chosen, options.types, random.Random(seed), lang)
    generator = "builtin"
    # The model sees the sentences the offline pass chose, then the next best ones as spares.
    offered = [c.statement.sentence for c in chosen]
    taken = {s.index for s in offered}
    offered += [
        c.statement.sentence
        for c in sorted(prepared.candidates, key=lambda c: -c.score)
        if c.statement.sentence.index not in taken
    ]
    offered = offered[: 2 * options.num_questions + 10]
    from_model = llm_questions(offered, questions, options, lang, doc.text, doc.pages, llm)
    if from_model is not None:
        questions, generator = from_model
    progress(98)

    sound: list[Question] = []
    for question in questions:
        problems = question_problems(question, doc.text, doc.pages)
        if problems:  # a bug, not a user error: leave the question out and say so in the log
            log.warning("dropping generated question %s: %s", question.id, "; ".join(problems))
            continue
        if isinstance(question, Cloze):
            # Another form counts when the text uses it ("aquifer" for "aquifers"; never "informations").
            accepted = question.answers()
            kept = [accepted[0], *(a for a in accepted[1:] if a.lower() in prepared.inventory.text_lower)]
            question = msgspec.structs.replace(question, accepted_answers=kept)
        sound.append(msgspec.structs.replace(question, id=f"q{len(sound) + 1}"))
    if not sound:
        raise PdfProblem.too_little_text(prepared.words, no_sentences=True)
    progress(100)
    exam = Exam(
        title=_title(options, raw, filename),
        language=lang,
        source=Source(filename, doc.pages, digest),
        generator=generator,
        questions=sound,
        notices=fewer_questions(len(sound), options.num_questions, raw.pages, prepared.words, prepared.rules.labels),
    )
    return exam, raw.pages
