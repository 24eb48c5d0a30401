"""The stages a whole exam and a single regenerated question share: page text -> clean document ->
language -> sentences -> statements -> terms and their centrality -> ranked candidates.

Both callers must see exactly the same candidates for the same text, so a regenerated question is
drawn from the pool the exam was drawn from; keeping the stages here is what guarantees that.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .candidate import Candidate
from .errors import PdfProblem
from .inventory import Inventory
from .keyphrases_latin import analyze_latin
from .keyphrases_zh import analyze_chinese
from .lang import Profile, profile
from .language import detect_language
from .layout import Document, build_document
from .plan import Planner
from .sections import Sections, find_sections
from .sentences import Sentence, split_sentences
from .statements import Statement, is_prose, statement

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
    rules: Profile
    sentences: list[Sentence]
    statements: list[Statement]
    sections: Sections
    planner: Planner
    words: int

    @property
    def candidates(self) -> list[Candidate]:
        return self.planner.candidates

    @property
    def inventory(self) -> Inventory:
        return self.planner.inventory


def prepare(pages: list[str], language: str, progress: Callable[[int], None] | None = None) -> Prepared:
    """Every stage after reading, from each page's text. PdfProblem when there is too little text."""
    doc = build_document(pages)
    words = count_words(doc.text)
    if words < MIN_WORDS:
        raise PdfProblem.too_little_text(words)
    lang = detect_language(doc.text, language)
    rules = profile(lang)
    sentences = split_sentences(doc, rules)
    if progress is not None:
        progress(87)
    budget = ANALYSED_CHARS_ZH if rules.cjk else ANALYSED_CHARS
    body = [s for s in sentences if doc.body_end < 0 or s.start < doc.body_end]
    chosen = set(analysed(body, budget))
    prose = [s.index for s in body if s.index in chosen and is_prose(s.text, rules)]
    statements = [found for s in body if s.index in chosen and (found := statement(s, rules)) is not None]
    usable = [s.sentence.index for s in statements]
    if rules.cjk:
        analysis = analyze_chinese(sentences, usable, prose)
    else:
        analysis = analyze_latin(sentences, usable, prose, rules)
    if progress is not None:
        progress(92)
    sections = find_sections(doc)
    defined = [s for s in statements if s.kind == "definition"]
    inventory = Inventory(doc, sections, sentences, analysis, defined, rules)
    return Prepared(doc, lang, rules, sentences, statements, sections, Planner(statements, analysis, inventory), words)
