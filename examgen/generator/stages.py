"""The stages a whole exam and a single regenerated question share: page text -> clean document ->
language -> sentences -> key-phrase analysis -> ranked candidates, with the distractor finder.

Both callers must see exactly the same candidates for the same text, so a regenerated question is
drawn from the pool the exam was drawn from; keeping the stages here is what guarantees that.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .distractors import DistractorFinder
from .errors import PdfProblem
from .keyphrases_latin import analyze_latin
from .keyphrases_zh import analyze_chinese
from .language import detect_language
from .layout import Document, build_document
from .select import Candidate, is_prose, is_usable, rank
from .sentences import Sentence, split_sentences
from .terms import Analysis

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
_LATIN_WORD = re.compile(r"[^\W\d_]{2,}")
_IDEOGRAPH = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


def count_words(text: str) -> int:
    # About two ideographs make a Chinese word; close enough for "too little text" and the message.
    return len(_LATIN_WORD.findall(text)) + len(_IDEOGRAPH.findall(text)) // 2


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


@dataclass(frozen=True)
class Prepared:
    doc: Document
    lang: str
    sentences: list[Sentence]
    analysis: Analysis
    candidates: list[Candidate]
    """Ranked candidates of the body (back matter left out), in document order."""
    finder: DistractorFinder
    words: int


def prepare(pages: list[str], language: str, progress: Callable[[int], None] | None = None) -> Prepared:
    """Every stage after reading, from each page's text. PdfProblem when there is too little text."""
    doc = build_document(pages)
    words = count_words(doc.text)
    if words < MIN_WORDS:
        raise PdfProblem.too_little_text(words)
    lang = detect_language(doc.text, language)
    sentences = split_sentences(doc, lang)
    if progress is not None:
        progress(87)
    budget = ANALYSED_CHARS_ZH if lang == "zh" else ANALYSED_CHARS
    prose = [i for i in analysed(sentences, budget) if is_prose(sentences[i], lang)]
    usable = [i for i in prose if is_usable(sentences[i], lang)]
    if lang == "zh":
        analysis = analyze_chinese(sentences, usable, prose)
    else:
        analysis = analyze_latin(sentences, usable, prose, lang)
    if progress is not None:
        progress(92)
    candidates = [c for c in rank(sentences, analysis, lang) if doc.body_end < 0 or c.sentence.start < doc.body_end]
    return Prepared(doc, lang, sentences, analysis, candidates, DistractorFinder(analysis, lang, doc.text), words)
