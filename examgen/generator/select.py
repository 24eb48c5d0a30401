"""Which sentences become questions: prose filters, ranking, and a spread over the document."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .chars import IDEOGRAPHS, is_cjk
from .sentences import ABBREVIATIONS as _ABBREVIATIONS
from .sentences import Sentence
from .standalone import refers_elsewhere
from .stopwords import DANGLING_START, FIRST_PERSON, VERB_BASES_EN, words_of
from .terms import Analysis, Occurrence

BLANK = "_____"

# Every Unicode math symbol, Greek letters, primes and tildes, "f(x)" and "(X,d)": formula material
# whose meaning pypdf's linear text does not keep.
_MATH_CHARS = "".join(
    chr(c) for c in range(0x20, 0x10000) if unicodedata.category(chr(c)) == "Sm" and chr(c) not in "-"
)
_MATH = re.compile("[" + re.escape(_MATH_CHARS) + r"\u0370-\u03ff′″˜ˆ¯◦∘{}\\^■□⏐]|:=|⁄|\b\w\(\w|\(\w{1,3},\s?\w{1,3}")
# What an equation or figure leaves when pypdf drops it: punctuation after a space, or empty
# brackets ("设 , 有 , 其中 由地球参数决定", "the value ( ) of").
_GAP = re.compile(r"(?<=\S)\s+[,.;:，。；：、](?!\d)|[（(]\s*[)）]|[,，]\s*[,，]")
# Mathematical alphanumeric symbols (𝜌, 𝑽, 𝒏): formula letters, outside the table's range above.
_MATH_LETTERS = re.compile("[\U0001d400-\U0001d7ff]")
_REFERENCE = re.compile(
    r"\b(?:Seite|page|p\.|S\.|Abbildung|Abb\.|Figure|Fig\.|Table|Tabelle|Bemerkung|Definition|Proposition"
    r"|Satz|Lemma|Beispiel|Kapitel|Abschnitt|Section|Chapter|Aufgabe|Exercise|Theorem|Korollar|Gleichung"
    r"|Equation|Example|Appendix|Anhang)\s*\d|§|\b(?:im )?(?:nach)?folgend|\bobig|the following\b|as follows\b"
    r"|\b(?:see|shown|listed) (?:above|below)\b",
    re.IGNORECASE,
)
_ZH_REFERENCE = re.compile(r"[如见][图表]|[上下][图表]|如下|以下|第\s*\d+\s*[章节页]")
# Proof set-up ("Sei X eine Menge", "Let G be a group") only means something inside its proof.
_SETUP = re.compile(r"^(?:Es sei|Sei|Seien|Gegeben sei|Betrachte|Let|Suppose|Assume|Consider)\b")
_URL = re.compile(r"https?://|www\.|\w@\w|\.(?:com|org|net|edu|gov|html?|pdf)\b", re.IGNORECASE)
# Legal boilerplate and change-log rows ("December 2003 Draft Integration of ...") read like prose.
_BOILERPLATE = re.compile(
    r"©|\bcopyright\b|all rights reserved|alle rechte vorbehalten|^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|"
    r"januar|februar|märz|mai|juni|juli|oktober|dezember)[a-zä]*\.? \d{4} [A-Z]",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
# "IIs", "IsS" (formula names), "heißtVerklebung" (words pypdf ran together).
_ODD_CASE = re.compile(r"^[A-Z]{2,}[a-z]|[a-zäöüß][A-ZÄÖÜ]")
_INDEXED = re.compile(r"\D\d+")  # "U1", "x2": variables with an index
_SHORT_DOTTED = re.compile(r"(?<!\w)\w{1,4}\.(?=\s|$)")
_CLOSERS = "\"'”’»)]）」』"
_DEFINING = {
    "en": re.compile(r"\b(?:is|are|was|were|means|refers to|called|known as|defined as|consists? of|contains?)\b"),
    "de": re.compile(r"\b(?:ist|sind|heißt|heißen|nennt man|bezeichnet|versteht man|genannt|besteht)\b"),
    "fr": re.compile(r"\b(?:est|sont|appelle|appelé|désigne)\b"),
    "es": re.compile(r"\b(?:es|son|llama|llamado|denomina)\b"),
    "zh": re.compile(r"是|称为|叫做|指的是|定义为|包括|由"),
}
_ZH_DANGLING = tuple(sorted(DANGLING_START["zh"]))  # str.startswith wants a tuple
_SINGLE_LETTER_WORDS = words_of("a A I à y e o è é")


def _ending(text: str) -> str:
    return text.rstrip(_CLOSERS)[-1:] if text.rstrip(_CLOSERS) else ""


def is_prose(sentence: Sentence, lang: str) -> bool:
    """Running text rather than a formula, table row, heading or reference: its terms may be distractors."""
    text = sentence.text
    if _MATH.search(text) or _URL.search(text) or _BOILERPLATE.search(text) or _MATH_LETTERS.search(text):
        return False
    if lang == "zh":
        return (
            8 <= len(text) <= 200
            and len(IDEOGRAPHS.findall(text)) >= 0.5 * len(text)
            and _ending(text) in "。．！!；;."
        )
    words = _WORD.findall(text)
    if not 5 <= len(words) <= 60 or _ending(text) not in ".!" or text[0].islower():
        return False
    letters = sum(map(str.isalpha, text))
    if letters < 0.78 * (len(text) - text.count(" ")):
        return False
    if sum(map(str.isupper, text)) > 0.35 * letters:
        return False  # headings and UML labels in capitals
    if len(_SHORT_DOTTED.findall(text)) >= 5:
        return False  # a list of abbreviations ("o. B. d. A. ... Prop. ... sog."), not a sentence
    # Variables ("X", "U1") and formula names ("fdA", counted twice): a few are fine in prose.
    variables = sum((len(w) == 1 and w not in _SINGLE_LETTER_WORDS) or bool(_INDEXED.fullmatch(w)) for w in words)
    return variables + 2 * sum(bool(_ODD_CASE.search(w)) for w in words) <= 2


def is_usable(sentence: Sentence, lang: str) -> bool:
    """A sentence a student can answer a question about on its own."""
    if not is_prose(sentence, lang):
        return False
    text = sentence.text
    if text.count("(") != text.count(")") or text.count("[") != text.count("]") or "..." in text or "…" in text:
        return False
    if _GAP.search(text):
        return False  # an equation or figure left a hole
    if lang == "zh":
        return (
            12 <= len(text) <= 90
            and not text.startswith(_ZH_DANGLING)
            and "我" not in text
            and not _ZH_REFERENCE.search(text)
            and not refers_elsewhere(text, lang)
        )
    words = _WORD.findall(text)
    lower = [w.lower() for w in words]
    if not 6 <= len(words) <= 40:
        return False
    if lang == "en" and lower[0] in VERB_BASES_EN:
        return False  # an instruction ("Remove the UML model ..."), not a statement of fact
    if lower[0] in DANGLING_START.get(lang, DANGLING_START["en"]):
        return False  # "This method ...", "However, ..." point at something the student cannot see
    if any(w in FIRST_PERSON.get(lang, FIRST_PERSON["en"]) for w in lower) or refers_elsewhere(text, lang):
        return False
    if _REFERENCE.search(text) or _SETUP.match(text) or lower[-1] in _ABBREVIATIONS:
        return False  # points into the book ("see Figure 3"), or ends on an abbreviation fragment
    return not (text[0].isdigit() and not re.match(r"\d{4}\b", text))


@dataclass(frozen=True)
class Candidate:
    sentence: Sentence
    keys: tuple[Occurrence, ...]
    score: float


def blank_ok(text: str, occurrence: Occurrence) -> bool:
    """The answer must not stay visible once blanked, nor be trivial to reconstruct."""
    surface = occurrence.surface(text)
    prompt = text[: occurrence.start] + BLANK + text[occurrence.end :]
    if surface.lower() in prompt.lower() or len(surface) > 0.5 * len(text):
        return False
    before, after = text[: occurrence.start], text[occurrence.end :]
    if _glued(before[-1:], surface[:1]) or _glued(after[:1], surface[-1:]) or re.match(r"-\w", after):
        return False  # part of a larger word: "0-dimensionale", "Lie-Gruppen"
    if before.count("(") > before.count(")") or before.count("（") > before.count("）"):
        return False  # asides in brackets ("see Figure 1 – ...") are not what a course asks about
    if occurrence.term.kind == "acronym" and _initials_in(surface, text):
        return False  # "The Linear Reference System (_____)": the acronym spells itself
    spelled = re.match(r"\s*\((\w{2,8})\)", after)
    if spelled and _initials_in(spelled.group(1), surface):
        return False  # "The _____ (LRS)": the acronym spells the answer
    return not _inflection_visible(surface, prompt)


def _glued(outside: str, inside: str) -> bool:
    """Latin letters or digits on both sides of the blank's edge (CJK is written without spaces)."""
    if not outside or not inside or is_cjk(outside) or is_cjk(inside):
        return False
    return (outside.isalnum() or outside == "-") and inside.isalnum()


def _inflection_visible(surface: str, prompt: str) -> bool:
    """ "Wege in X lassen sich zu _____ liften" (Wegen): another form of the answer gives it away."""
    words = surface.split()
    if len(words) != 1 or len(surface) < 4 or not surface.isalpha():
        return False
    stem = surface.lower()[: max(4, len(surface) - 2)]
    return re.search(r"\b" + re.escape(stem), prompt.lower()) is not None


def _initials_in(acronym: str, text: str) -> bool:
    letters = "".join(ch for ch in acronym if ch.isalpha()).lower()
    initials = "".join(w[0] for w in _WORD.findall(text)).lower()
    return len(letters) >= 2 and letters in initials


def rank(sentences: Sequence[Sentence], analysis: Analysis, lang: str) -> list[Candidate]:
    best = max((t.score for t in analysis.terms.values()), default=1.0) or 1.0
    defining = _DEFINING.get(lang, _DEFINING["en"])
    seen_texts: set[str] = set()
    ranked = []
    for index in sorted(analysis.occurrences):
        sentence = sentences[index]
        normal = " ".join(sentence.text.lower().split())
        if normal in seen_texts:
            continue  # repeated boilerplate: ask about it once
        keys = tuple(o for o in analysis.occurrences[index] if blank_ok(sentence.text, o))[:4]
        if not keys:
            continue
        seen_texts.add(normal)
        size = len(sentence.text) if lang == "zh" else 3 * len(sentence.text.split())
        fit = 1.0 if 30 <= size <= 90 else 0.85
        score = keys[0].term.score / best * fit * (1.2 if defining.search(sentence.text) else 1.0)
        ranked.append(Candidate(sentence, keys, score))
    return ranked


def spread(
    candidates: Sequence[Candidate],
    text_length: int,
    count: int,
    accept: Callable[[Candidate, Occurrence], bool],
) -> list[tuple[Candidate, Occurrence]]:
    """Up to `count` questions: the best candidate of each stretch of the document first, then the
    best of the rest; never two from one sentence and never the same answer twice."""
    bins: list[list[Candidate]] = [[] for _ in range(count)]
    for candidate in candidates:
        slot = min(count - 1, candidate.sentence.start * count // max(1, text_length))
        bins[slot].append(candidate)
    order = sorted(candidates, key=lambda c: (-c.score, c.sentence.index))
    chosen: list[tuple[Candidate, Occurrence]] = []
    used_answers: set[str] = set()
    taken: set[int] = set()

    def take(candidate: Candidate) -> bool:
        if candidate.sentence.index in taken:
            return False
        for occurrence in candidate.keys:
            answer = occurrence.surface(candidate.sentence.text).lower()
            if answer in used_answers or not accept(candidate, occurrence):
                continue
            chosen.append((candidate, occurrence))
            used_answers.add(answer)
            taken.add(candidate.sentence.index)
            return True
        return False

    # Spreading must not drag in a weak sentence just because its stretch (a title page, a table)
    # has nothing better: below half the score of the count-th best, a stretch stays empty.
    floor = 0.5 * order[min(count, len(order)) - 1].score if order else 0.0
    for stretch in bins:
        for candidate in sorted(stretch, key=lambda c: (-c.score, c.sentence.index)):
            if candidate.score >= floor and take(candidate):
                break
    for candidate in order:
        if len(chosen) >= count:
            break
        take(candidate)
    chosen.sort(key=lambda pair: pair[0].sentence.start)
    return chosen
