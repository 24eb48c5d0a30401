"""Sentences worth asking about: clean, standing alone, and stating something about a term.

A sentence becomes a Statement only when a student could read it alone on an exam page: running
prose (no formula, table row, heading, list opening or extraction debris), nothing pointing at
text around it (standalone.py), not an exercise or talk about the course. A definition ("X is a
Y that ...", "Y is called X", 晶体：……, ……称为X) also names the term it defines: the best answer a
question about the sentence can have.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from .chars import IDEOGRAPHS
from .citations import strip_citations
from .lang import Profile
from .sentences import Sentence
from .standalone import is_meta, refers_elsewhere

# Every Unicode math symbol, Greek letters, primes and tildes, "f(x)" and "(X,d)": formula material
# whose meaning the linear text layer does not keep.
_MATH_CHARS = "".join(
    chr(c) for c in range(0x20, 0x10000) if unicodedata.category(chr(c)) == "Sm" and chr(c) not in "-"
)
_MATH = re.compile(
    "[" + re.escape(_MATH_CHARS) + r"\u0370-\u03ff′″˜ˆ¯◦∘{}\\^■□⏐µ∂∇∑∫]|:=|⁄|\b\w\(\w|\(\w{1,3},\s?\w{1,3}\)"
)
# What an equation or figure leaves when the text layer drops it: punctuation after a space, empty
# brackets ("设 , 有 , 其中 由地球参数决定", "the value ( ) of"), a space between two ideographs.
_GAP = re.compile(
    r"(?<=\S)\s+[,.;:，。；：、](?!\d)|[（(]\s*[)）]|[,，]\s*[,，]|[\u4e00-\u9fff]\s+[\u4e00-\u9fff]"
    r"|[\u4e00-\u9fff]\s+[，。；：、）]|[：:]\s*[，,]|\s{2,}"
)
_MATH_LETTERS = re.compile("[\U0001d400-\U0001d7ff\ue000-\uf8ff\ufffd\u00a8\u00b4\u02c6-\u02dd]")
_URL = re.compile(r"https?://|www\.|\w@\w|\.(?:com|org|net|edu|gov|html?|pdf)\b", re.IGNORECASE)
# Licence, credits and thanks: about the document, not its subject.
_BOILERPLATE = re.compile(
    r"©|\bcopyright\b|all rights reserved|alle rechte vorbehalten|licen[cs]e|creative commons|\bredistribute"
    r"|acknowledg|\bwe thank\b|\bthanks to\b|版权|许可协议|致谢",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_LATIN_TOKEN = re.compile(r"(?<![A-Za-z])[A-Za-z]+(?![A-Za-z])")
# "IIs", "heißtVerklebung", "intoplants" (words the text layer ran together), "x2", "U1" (indices).
_ODD_CASE = re.compile(r"^[A-Z]{2,}[a-z]{2}|[a-zäöüß][A-ZÄÖÜ]")
_RUN_TOGETHER = re.compile(r"[A-Za-z]{22,}")
# "Aversive stimulus stimulus that is …": a word twice, a heading run into its line.
_TWICE = re.compile(r"\b([^\W\d_]{3,}) \1\b", re.IGNORECASE)
# "… represented verbally. the secondary mode …": two sentences, the second without its capital.
_RUN_ON = re.compile(r"[^\W\d_]{5}\. [a-z]")
_INDEXED = re.compile(r"\D\d+|\d+[A-Za-z]")
_SHORT_DOTTED = re.compile(r"(?<!\w)\w{1,4}\.(?=\s|$)")
_ENUMERATION = re.compile(r"^(?:[•▪◦·*\-–—]|\(?\d{1,2}[.)]|\(?[a-hivx]{1,4}\)|[①-⑳]|[一二三四五六七八九十]+[、.．])")
# Numbered steps inside a sentence ("①绘制决策树…"): a procedure in note form, not a statement.
_STEPS = re.compile(r"[①-⑳]|(?<![\w.])\(?[1-9][)）](?=\s?\S)")
_CITATION_KEY = re.compile(r"\b[A-Za-z]{3,}(?:19|20)\d\d[a-z]?\b")
_CLOSERS = "\"'”’»)]）」』"
# Ellipses, and the marks of Markdown or wiki syntax a plain export keeps ("**", "==", "##").
_MARKUP = re.compile(r"\.\.\.|…|==|\*\*|__|##|`|\|")
# After these a noun phrase must come, never a verb in the third person.
_NOUN_FIRST = frozenset(["of", "the", "a", "an", "in", "on", "at", "from", "with", "into", "onto", "about"])
_SINGLE_LETTER_WORDS = frozenset(["a", "A", "I", "à", "y", "e", "o", "è", "é"])
_BE = frozenset(["is", "are", "was", "were", "has", "have", "had", "can", "may", "will", "would", "must"])
# Not "!" or "！": "偏导数连续仅仅是可微的充分条件！" is a note's emphasis, which an item drops.
_LATIN_ENDS = "."
_CJK_ENDS = "。．；;."


@dataclass(frozen=True)
class Statement:
    sentence: Sentence
    kind: str
    """ "definition" or "statement" (a clean sentence that defines nothing)."""
    term: tuple[int, int] | None = None
    """The defined term's span in the sentence text (a name given in brackets after it included)."""
    name: str = ""
    """The term without the name in brackets ("Simple Power Analysis" of "Simple Power Analysis (SPA)")."""
    also: str = ""
    """The name in brackets, another answer that counts ("SPA", 晶胞)."""
    body: str = ""
    """What defines the term."""
    rule: str = ""
    """The name of the definition pattern that read it ("colon" for a glossary line "X: …")."""

    @property
    def term_text(self) -> str:
        return self.sentence.text[self.term[0] : self.term[1]] if self.term else ""


def _ending(text: str) -> str:
    trimmed = text.rstrip(_CLOSERS)
    return trimmed[-1:] if trimmed else ""


def is_clean(text: str, rules: Profile) -> bool:
    """Running prose with nothing the text layer broke: no formula, gap, debris, table row or list mark."""
    if _MATH.search(text) or _URL.search(text) or _BOILERPLATE.search(text) or _MATH_LETTERS.search(text):
        return False
    if _GAP.search(text) or _ENUMERATION.match(text) or _MARKUP.search(text) or _STEPS.search(text):
        return False
    if text.count("(") != text.count(")") or text.count("（") != text.count("）") or text.count("[") != text.count("]"):
        return False
    if text.count('"') % 2 or text.count("“") != text.count("”"):
        return False
    if rules.cjk:
        ideographs = len(IDEOGRAPHS.findall(text))
        latin = _LATIN_TOKEN.findall(text)
        if not 14 <= len(text) <= 100 or ideographs < 0.6 * len(text.replace(" ", "")):
            return False
        if any(len(token) == 1 for token in latin) or re.search(r"\d", text.replace("。", "")):
            # A lone Latin letter is a symbol of a formula the student cannot see; digits are
            # equation numbers, list numbers or figures far more often than facts in notes.
            return False
        items = re.split(r"[，,]", text.rstrip("。．；;."))[-1].split("、")
        if len(items) >= 3 and all(len(item) <= 6 for item in items):
            return False  # "…，知识专业性、手段技术性、方式规范性": keywords after the statement, no claim
        return _ending(text) in _CJK_ENDS
    words = _WORD.findall(text)
    if not 7 <= len(words) <= 38 or _ending(text) not in _LATIN_ENDS or not text[:1].isupper():
        return False
    letters = sum(map(str.isalpha, text))
    if letters < 0.8 * (len(text) - text.count(" ")) or sum(map(str.isupper, text)) > 0.25 * letters:
        return False
    if len(_SHORT_DOTTED.findall(text)) >= 3 or _RUN_TOGETHER.search(text) or _RUN_ON.search(text):
        return False
    if _TWICE.search(text):
        return False
    if _CITATION_KEY.search(text):
        return False  # "Helmholz schubert2004 was the first …": a bibliography key the notes kept
    if any((len(w) == 1 and w not in _SINGLE_LETTER_WORDS) or _INDEXED.fullmatch(w) for w in words):
        return False  # a variable ("x", "H", "U1"): it means something only next to its formula
    pairs = list(itertools.pairwise(words))
    if any(w[:1].isupper() and w.lower() in rules.stop and prev[-1:].islower() for prev, w in pairs):
        return False  # "FI-n min None of the responses …": a label run into the sentence it heads
    if any(prev.lower() in _NOUN_FIRST and w.endswith("s") and _verb_only(w.lower(), rules) for prev, w in pairs):
        return False  # "better monitoring of provides …": a word lost between the two
    return not any(_ODD_CASE.search(w) for w in words)


def _verb_only(word: str, rules: Profile) -> bool:
    return word in rules.verbs and not rules.is_noun(word)  # "provides", not "leaves"


def is_prose(text: str, rules: Profile) -> bool:
    """Running text rather than a formula, table row, heading or reference: looser than is_clean, for
    the statistics of the document's terms and the pool of their siblings."""
    if _MATH.search(text) or _URL.search(text) or _BOILERPLATE.search(text) or _MATH_LETTERS.search(text):
        return False
    if rules.cjk:
        return 8 <= len(text) <= 200 and len(IDEOGRAPHS.findall(text)) >= 0.5 * len(text)
    words = _WORD.findall(text)
    if not 4 <= len(words) <= 80:
        return False
    letters = sum(map(str.isalpha, text))
    return letters >= 0.7 * (len(text) - text.count(" ")) and sum(map(str.isupper, text)) <= 0.35 * letters


def stands_alone(text: str, rules: Profile) -> bool:
    return not refers_elsewhere(text, rules) and not is_meta(text, rules) and "?" not in text and "？" not in text


def _trim_term(text: str, start: int, end: int, rules: Profile) -> tuple[int, int]:
    """The term without an article in front ("The Calvin cycle" -> "Calvin cycle") or quotes around it."""
    term = text[start:end]
    lead = re.match(r"(?:the|a|an|der|die|das|ein|eine|le|la|les|l['’]|un|une|el|los|las|una?)\s+", term, re.I)
    if lead and not rules.cjk:
        start += lead.end()
    while start < end and text[start] in "\"'“‘«":
        start += 1
    while end > start and text[end - 1] in "\"'”’»,":
        end -= 1
    return start, end


def definition(sentence: Sentence, rules: Profile) -> Statement | None:
    """The statement as a definition of a term, if one of the language's patterns reads it so."""
    text = sentence.text
    for rule in rules.definitions:
        match = rule.pattern.match(text)
        if match is None:
            continue
        start, end = _trim_term(text, match.start("term"), match.end("term"), rules)
        groups = match.groupdict()
        if groups.get("gloss") and match.start("gloss") > end:
            # "…称为简单图 simple graph": the English name after the blank would give it away.
            end = match.end("gloss")
        term = text[start:end]
        also = groups.get("abbr") or groups.get("gloss") or ""
        bracket = max(term.rfind("("), term.rfind("（"))
        name = term[:bracket].rstrip() if bracket > 0 else term
        if groups.get("gloss") and name.endswith(groups["gloss"]):
            name = name[: -len(groups["gloss"])].rstrip()
        if not name or not _term_shape_ok(name, rules) or rules.describes(match.group("body")):
            continue
        return Statement(sentence, "definition", (start, end), name, also.strip(), match.group("body"), rule.name)
    return None


def _term_shape_ok(name: str, rules: Profile) -> bool:
    """A defined term is a short noun phrase of the text, not a clause or a label ("Note", 例题)."""
    if rules.cjk:
        if not 2 <= len(name) <= 12 or name.endswith(tuple(rules.not_terms)) or name in rules.weak:
            return False
        return not re.search(r"[的了是在和与及或把被将对从]$|^[在对从由把被将使让当若如]", name) and rules.is_noun(name)
    words = name.split()
    lower = [w.lower() for w in words]
    if not 1 <= len(words) <= 5 or lower[0] in rules.stop or lower[-1] in rules.stop:
        return False
    if any(w in rules.verbs or w in rules.not_terms or w.endswith("ly") for w in lower):
        return False
    # "main problem" is no term; "Simple Power Analysis", written as a name, is one.
    if lower[0] in rules.weak and not (len(words) > 1 and all(w[:1].isupper() for w in words)):
        return False
    return rules.is_noun(words[-1].strip("'’"))


def statement(sentence: Sentence, rules: Profile) -> Statement | None:
    """The sentence as a Statement, or None when it is no sentence to ask about."""
    text = strip_citations(sentence.text)  # what the student will read
    if not is_clean(text, rules):
        return None
    if not stands_alone(text, rules):
        # "The statement that is being supported, the point of our argument is called the
        # conclusion": the writer's "our" points nowhere in a definition, and nothing else does.
        found = definition(sentence, rules) if stands_alone(rules.reader.sub("", text), rules) else None
        return found if found is not None and rules.reader.search(text) else None
    if rules.cjk and text.endswith(("；", ";")):
        return None  # an item of a list run into one paragraph: its heading said what it is about
    found = definition(sentence, rules)
    if found is not None:
        return found
    if not rules.declarative(text) or (not rules.cjk and ":" in text) or _vague_subject(text, rules):
        return None
    glossary = rules.cjk and _GLOSSARY_HEAD.match(text) is not None
    return Statement(sentence, "statement", rule="colon" if glossary else "")


_GLOSSARY_HEAD = re.compile(r"[^：:，。；]{1,12}[：:]|[A-Za-z][A-Za-z -]{0,30}[,，]\s*[(（]")
"""A short head and a colon, or a foreign head word and its grammar note: a line of a glossary or
of notes ("中子：探测晶体的磁有序结构", "Being, (大写或不可数名词) 指的是…")."""


def _vague_subject(text: str, rules: Profile) -> bool:
    """ "The pathway uses ...", "A workaround is ...": a lone everyday noun as the subject, definite
    (the one the text introduced before) or a stand-in for something unnamed."""
    words = text.split()
    if rules.cjk or len(words) < 3:
        return False
    first = words[0].lower()
    if first in ("a", "an", "one") and any(w.lower().strip(",") in rules.not_terms for w in words[1:3]):
        return True  # "A workaround is …", "A radical alternative is …"
    if first.endswith(("'s", "’s")) and words[1].lower() in rules.not_terms:
        return True  # "Binet's solution was …": to which problem?
    if first not in ("the", "this", "that", "these", "those") or not words[1].isalpha() or not words[1].islower():
        return False
    verb = rules.verb_at(text)
    return words[2].lower() in rules.verbs | _BE or (verb is not None and text.startswith(words[2], verb))
