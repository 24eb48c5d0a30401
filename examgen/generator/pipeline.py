"""generate_exam: PDF bytes in, exam JSON out, stage by stage."""

from __future__ import annotations

import hashlib
import logging
import random
import re
from collections.abc import Callable, Sequence
from pathlib import PurePath
from typing import Any

from .distractors import DistractorFinder
from .errors import PdfProblem
from .extract import RawPdf, read_pages
from .keyphrases_latin import analyze_latin
from .keyphrases_zh import analyze_chinese
from .labels import explanation
from .language import detect_language
from .layout import Document, build_document
from .llm import LlmBackend, llm_questions
from .options import ExamOptions
from .questions import Draft, build_questions
from .select import Candidate, is_prose, is_usable, rank, spread
from .sentences import Sentence, split_sentences
from .terms import Occurrence
from .validate import question_problems

log = logging.getLogger(__name__)

MIN_WORDS = 40
# The text the later stages look at, at most: a 500-page upload (the page limit) of lecture notes or
# slides (1,100 characters a page in GeoTopo-komprimiert.pdf), or 200 dense book pages. A longer text
# (one page of a hostile PDF can hold megabytes) is sampled evenly, so no upload costs more than the
# biggest ordinary one, and the sample still spans the whole document.
ANALYSED_CHARS = 600_000
# jieba's part-of-speech pass costs about ten times the Latin analysis per character (40,000
# characters/s here): a quarter of the characters, which carry about twice a Latin character's
# content, keeps a Chinese upload's worst case near a Latin one's.
ANALYSED_CHARS_ZH = 250_000
# How many (sentence, key) pairs may be offered distractors before the exam makes do with what it has.
_TRIES_PER_QUESTION = 40
_LATIN_WORD = re.compile(r"[^\W\d_]{2,}")
_IDEOGRAPH = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


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


def count_words(text: str) -> int:
    # About two ideographs make a Chinese word; close enough for "too little text" and the message.
    return len(_LATIN_WORD.findall(text)) + len(_IDEOGRAPH.findall(text)) // 2


def _check_text(raw: RawPdf, doc: Document) -> int:
    pages = len(raw.pages)
    # Scans carry at most a header line of real text per page, and images on most pages.
    if raw.letters < 40 * pages and (raw.letters == 0 or raw.image_pages >= max(1, pages // 2)):
        raise PdfProblem.no_text()
    words = count_words(doc.text)
    if words < MIN_WORDS:
        raise PdfProblem.too_little_text(words)
    return words


def analysed(sentences: Sequence[Sentence], budget: int = ANALYSED_CHARS) -> list[int]:
    """Indices of the sentences to analyse: all of them, or an even sample of about `budget` characters."""
    total = sum(len(s.text) for s in sentences)
    if total <= budget:
        return [s.index for s in sentences]
    keep, credit = [], 0.0
    for sentence in sentences:
        # Error diffusion: each sentence earns its share of the budget, and is kept once it has paid.
        credit += len(sentence.text) * budget / total
        if credit >= len(sentence.text):
            credit -= len(sentence.text)
            keep.append(sentence.index)
    return keep


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
) -> dict[str, Any]:
    """The whole pipeline: the exam JSON (docs/contract.md) of a PDF.

    max_pages: a longer PDF is refused (PdfProblem). engine: the text engine (extract.ENGINES).
    llm: a model to write the questions, the offline method as fallback. on_progress(percent)
    moves forward through the stages (per page while reading). Raises PdfProblem for the cases a
    user can fix, EngineUnavailable when the engine cannot run here."""
    options = options.validated()
    progress = _Progress(on_progress)
    progress(0)
    digest = hashlib.sha256(data).hexdigest()
    raw = read_pages(data, max_pages, lambda done, total: progress(2 + 83 * done // total), engine=engine)
    doc = build_document(raw.pages)
    words = _check_text(raw, doc)
    lang = detect_language(doc.text, options.language)
    sentences = split_sentences(doc, lang)
    progress(87)

    budget = ANALYSED_CHARS_ZH if lang == "zh" else ANALYSED_CHARS
    prose = [i for i in analysed(sentences, budget) if is_prose(sentences[i], lang)]
    usable = [i for i in prose if is_usable(sentences[i], lang)]
    if lang == "zh":
        analysis = analyze_chinese(sentences, usable, prose)
    else:
        analysis = analyze_latin(sentences, usable, prose, lang)
    progress(92)

    seed = f"{digest}|{options.fingerprint()}"
    finder = DistractorFinder(analysis, lang, doc.text)
    found: dict[tuple[int, int], tuple[str, ...]] = {}

    def distractors(candidate: Candidate, occurrence: Occurrence) -> tuple[str, ...]:
        # A generator of its own per key, so one question's choices never shift another's.
        slot = (candidate.sentence.index, occurrence.start)
        if slot not in found:
            rng = random.Random(f"{seed}|{slot}")
            position = candidate.sentence.index / max(1, len(sentences))
            found[slot] = tuple(finder.find(candidate.sentence.text, occurrence, rng, position))
        return found[slot]

    tries = [0]

    def accept(candidate: Candidate, occurrence: Occurrence) -> bool:
        # Each try searches the distractor pools; an exam that finds no distractors anywhere (mcq
        # only, a text of one kind of term) must not try every sentence of a huge document.
        tries[0] += 1
        if tries[0] > _TRIES_PER_QUESTION * options.num_questions:
            return False
        have = len(distractors(candidate, occurrence))
        if options.types == ("mcq",):
            return have >= 3
        return True

    candidates = [c for c in rank(sentences, analysis, lang) if doc.body_end < 0 or c.sentence.start < doc.body_end]
    chosen = spread(candidates, len(doc.text), options.num_questions, accept)
    drafts = [
        Draft(c, o, distractors(c, o), finder.false_statement(c.sentence.text, o, distractors(c, o))) for c, o in chosen
    ]
    progress(95)

    questions = build_questions(drafts, options.types, random.Random(seed), lang)
    generator = "builtin"
    # The model sees the sentences the offline pass chose, then the next best ones as spares.
    offered = [c.sentence for c, _ in chosen]
    taken = {s.index for s in offered}
    offered += [c.sentence for c in sorted(candidates, key=lambda c: -c.score) if c.sentence.index not in taken]
    offered = offered[: 2 * options.num_questions + 10]
    from_model = llm_questions(offered, questions, options, lang, doc.text, doc.pages, llm)
    if from_model is not None:
        questions, generator = from_model
    progress(98)

    sound: list[dict[str, Any]] = []
    for question in questions:
        problems = question_problems(question, doc.text, doc.pages)
        if problems:  # a bug, not a user error: leave the question out and say so in the log
            log.warning("dropping generated question %s: %s", question.get("id"), "; ".join(problems))
            continue
        extra: dict[str, Any] = {"explanation": explanation(question, lang)}
        if question["type"] == "cloze":
            # A model's cloze comes without variants. Another form counts when the text uses it
            # ("aquifer" for "aquifers"; never "informations").
            accepted = question.get("accepted_answers") or [question["answer"]]
            extra["accepted_answers"] = [accepted[0], *(a for a in accepted[1:] if a.lower() in finder.text_lower)]
        sound.append({**question, "id": f"q{len(sound) + 1}", **extra})
    if not sound:
        raise PdfProblem.too_little_text(words, no_sentences=True)
    progress(100)
    return {
        "title": _title(options, raw, filename),
        "language": lang,
        "source": {"filename": filename, "pages": doc.pages, "sha256": digest},
        "generator": generator,
        "questions": sound,
    }
