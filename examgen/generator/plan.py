"""What each good sentence can be asked as, and which sentences an exam of n questions asks about.

Every Statement gets its key: the term it defines, or the most central term it names (never a
generic word, never half of a word). A Candidate knows what it supports: multiple choice only with
three siblings of the key (siblings.py), a blank only when the key is a term the stem pins down, a
false statement only from a contrast the text draws (falsify.py); a true statement always.

The exam then covers the document's parts before it asks twice about one (sections.py), best
candidates first, and never asks the same key twice or about two sentences of one passage. A
document with fewer good candidates than asked gives fewer questions: precision first.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from .chars import is_cjk
from .english import other_number
from .falsify import Falsifier
from .inventory import Inventory
from .siblings import Siblings
from .statements import Statement
from .terms import Analysis, Occurrence

BLANK = "_____"
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_ALSO_CALLED = re.compile(r"\s?[（(]([^()（）]{1,40})[)）]")
# A key in a coordination ("the modular reduction and _____", "PSI and _____", A、_____和C) is
# guessed from its neighbour, or filled as well by the other item: no blank there.
_COORDINATED_AFTER = re.compile(r"^\s*(?:,|&|and\b|or\b|und\b|oder\b|et\b|ou\b|y\b|、|和|与|及|或|以及)")
_COORDINATED_BEFORE = re.compile(
    r"(?:,|&|\band|\bor|\bund|\boder|\bet|\bou|\by|、|和|与|及|或|以及)\s*(?:(?:the|a|an|some|its|their|all)\s+)?$"
)


@dataclass(frozen=True)
class Key:
    start: int
    end: int
    """The answer's span in the sentence text."""
    name: str
    """The answer without a name in brackets."""
    also: str = ""
    """The name the text gives it in brackets ("SPA", 晶胞)."""
    defined: bool = False
    proper: bool = False
    """A name or an acronym, written with its capital inside sentences: it has no plural to accept."""


@dataclass
class Candidate:
    statement: Statement
    key: Key
    score: float
    part: int
    distractors: tuple[str, ...] = ()
    false: str | None = None
    cloze_ok: bool = False
    also: tuple[str, ...] = ()
    """Other names the document gives the key elsewhere: the acronym of a name, the name of an acronym."""

    @property
    def sentence_text(self) -> str:
        return self.statement.sentence.text

    @property
    def answer(self) -> str:
        return self.sentence_text[self.key.start : self.key.end]

    def with_key(self, replacement: str) -> str:
        text = self.sentence_text
        return text[: self.key.start] + replacement + text[self.key.end :]

    def supports(self, kind: str) -> bool:
        if kind == "mcq":
            return len(self.distractors) >= 3 and self.informative
        if kind == "cloze":
            return self.cloze_ok and self.informative
        # A glossary line ("晶格：…") reads as a statement only once made false; as written, a
        # reader asks "true of what?". Everything else is a true statement as written.
        return self.statement.rule != "colon" or self.false is not None

    def supports_true(self) -> bool:
        return self.statement.rule != "colon"

    informative: bool = True
    """The stem says enough to pin the answer down ("_____ is based on a simple observation" does not)."""

    def answers(self, english: bool) -> list[str]:
        """What a cloze accepts: the answer, the name in brackets, the name alone, the other number."""
        found = [self.answer]
        if self.key.also:
            found += [self.key.name, self.key.also]
        elif (named := _ALSO_CALLED.match(self.sentence_text, self.key.end)) and _another_name(
            named.group(1), self.key.name
        ):
            found.append(named.group(1).strip())
        found += self.also
        if english and not self.key.proper:
            found.append(other_number(self.key.name) or "")
        unique: dict[str, str] = {}
        for answer in found:
            if answer:
                unique.setdefault(answer.lower(), answer)
        return list(unique.values())


def _another_name(bracketed: str, key: str) -> bool:
    """The text in brackets after a key names it again: an acronym of it, the full form of an acronym,
    or a gloss in another script ("三磷酸腺苷（ATP）", "Rubisco (ribulose-...)"), never an example
    or an aside ("(like intelligence)")."""
    inner = bracketed.strip()
    if not inner or re.match(r"(?:like|e\.g|i\.e|such as|for example|see|cf|also|or|and|例如|如|即)\b", inner, re.I):
        return False
    if inner.replace("-", "").isupper() and len(inner) <= 10:
        return True
    if key.replace("-", "").isupper() and _initials_in(key, inner):
        return True
    return is_cjk(key[:1]) != is_cjk(inner[:1]) and len(inner) <= 40


def blank_ok(text: str, start: int, end: int) -> bool:
    """The answer must not stay visible once blanked (nor a word of it), nor be part of a longer
    word, nor one item of a coordination."""
    surface = text[start:end]
    prompt = text[:start] + BLANK + text[end:]
    if surface.lower() in prompt.lower() or len(surface) > 0.5 * len(text):
        return False
    if _COORDINATED_AFTER.match(text[end:]) or _COORDINATED_BEFORE.search(text[:start]):
        return False
    if any(
        len(word) >= 4 and re.search(r"\b" + re.escape(word.lower()), prompt.lower()) for word in _WORD.findall(surface)
    ):
        return False  # "_____ arises from the wave guide effects": the stem spells the answer
    before, after = text[:start], text[end:]
    if _glued(before[-1:], surface[:1]) or _glued(after[:1], surface[-1:]) or re.match(r"-\w", after):
        return False
    if before.count("(") > before.count(")") or before.count("（") > before.count("）"):
        return False  # asides in brackets are not what a course asks about
    spelled = re.match(r"\s*[(（](\w{2,8})[)）]", after)
    if spelled and _initials_in(spelled.group(1), surface):
        return False  # "The _____ (LRS)": the acronym spells the answer
    return not _inflection_visible(surface, prompt)


def _glued(outside: str, inside: str) -> bool:
    if not outside or not inside or is_cjk(outside) or is_cjk(inside):
        return False
    return (outside.isalnum() or outside == "-") and inside.isalnum()


def _inflection_visible(surface: str, prompt: str) -> bool:
    words = surface.split()
    if len(words) != 1 or len(surface) < 4 or not surface.isalpha() or is_cjk(surface[0]):
        return False
    stem = surface.lower()[: max(4, len(surface) - 2)]
    return re.search(r"\b" + re.escape(stem), prompt.lower()) is not None


def _initials_in(acronym: str, text: str) -> bool:
    """The acronym's letters are initials of the text's words ("SCA" of "Side-Channel Analysis")."""
    letters = "".join(ch for ch in acronym if ch.isalpha()).lower()
    initials = "".join(w[0] for w in re.findall(r"[^\W\d_]+", text)).lower()
    return len(letters) >= 2 and letters in initials


def _spelled_before(acronym: str, before: str) -> str | None:
    """The fewest words ending `before` whose initials spell the acronym in order, first and last
    letter on the first and last word ("plastid-encoded RNA polymerase" for PEP)."""
    letters = "".join(ch for ch in acronym if ch.isalpha()).lower()
    words = list(re.finditer(r"[^\W\d_]+", before))
    for count in range(2, min(len(words), 8) + 1):
        run = words[-count:]
        initials = [w.group()[0].lower() for w in run]
        if initials[0] != letters[0] or initials[-1] != letters[-1]:
            continue
        remaining = iter(initials)
        if all(letter in remaining for letter in letters):
            return before[run[0].start() :].strip()
    return None


class Planner:
    """Keys, candidates and their distractors and false forms, for one prepared document."""

    def __init__(self, statements: Sequence[Statement], analysis: Analysis, inventory: Inventory) -> None:
        self.statements = statements
        self.analysis = analysis
        self.inventory = inventory
        self.rules = inventory.rules
        self.siblings = Siblings(inventory)
        self.falsifier = Falsifier(inventory, self.siblings)

    # -- keys ----------------------------------------------------------------------------------
    def _defined_key(self, statement: Statement) -> Key | None:
        if statement.term is None:
            return None
        start, end = statement.term
        if not blank_ok(statement.sentence.text, start, end) or self.inventory.is_generic(statement.name):
            return None
        if self.inventory.is_topic(statement.name):
            return None  # "_____ is the process in which light energy is captured": a photosynthesis course
        known = self.inventory.known.get(statement.name.lower(), statement.name)
        proper = known[:1].isupper() or statement.name.isupper()
        return Key(start, end, statement.name, statement.also, defined=True, proper=proper)

    def _trivial(self, text: str, start: int, end: int) -> bool:
        """A blank the rest of the sentence or the course fills by itself: the document's own topic
        (its title names it), or a term parallel to another of the sentence ("空间尺度…，_____…" for
        时间尺度, "主体与_____" for 客体)."""
        surface = text[start:end].lower()
        if self.inventory.is_topic(surface):
            return True
        head = self.siblings.head(surface)
        rest = (text[:start] + " " + text[end:]).lower()
        if head and len(head) >= 2 and head in rest:
            return True
        return any(surface in pair and (pair[0] if pair[1] == surface else pair[1]) in rest for pair in self._pairs)

    @cached_property
    def _pairs(self) -> list[tuple[str, str]]:
        return [(a.lower(), b.lower()) for a, b in self.rules.contrasts]

    def _whole(self, text: str, start: int, end: int) -> bool:
        """The span is a whole term: it swallows no verb (English) and, in Chinese, no noun is glued
        to either side of it ("体心|立方格子", "预|测试数据" cut a term in two)."""
        verb = self.rules.verb_at(text)
        if verb is not None and start <= verb < end:
            return False
        if not self.rules.cjk:
            return True
        from .keyphrases_zh import glued_to_noun  # jieba loads on first use

        return not glued_to_noun(text, start, end)

    def _named_key(self, statement: Statement) -> tuple[Key, float] | None:
        """The most central term the sentence names, where a blank is clean."""
        text = statement.sentence.text
        best: tuple[Key, float] | None = None
        for occurrence in self.analysis.occurrences.get(statement.sentence.index, ()):
            term = occurrence.term
            if term.kind in ("number", "year", "percent") or not blank_ok(text, occurrence.start, occurrence.end):
                continue
            surface = occurrence.surface(text)
            if self.inventory.is_generic(surface) or not self._noun_phrase(surface):
                continue
            if not self._whole(text, occurrence.start, occurrence.end):
                continue
            if self._trivial(text, occurrence.start, occurrence.end):
                continue
            # A statement is about its subject: "声子是晶体中…" asks for 声子, not the 晶体 it names.
            weight = self.inventory.centrality(surface) * (2.0 if occurrence.start == 0 else 1.0)
            if weight > 0 and (best is None or weight > best[1]):
                known = self.inventory.known.get(surface.lower(), surface)
                proper = term.kind in ("name", "acronym") or surface.isupper() or known[:1].isupper()
                best = (Key(occurrence.start, occurrence.end, surface, proper=proper), weight)
        return best

    def _counter(self, surface: str) -> bool:
        """ "一分子" of 一分子葡萄糖: a numeral and what it counts, where the number is the fact (the text
        writes the same word with other numbers, or alone). 三磷酸腺苷 is a name: 磷酸腺苷 never stands
        without its 三."""
        numeral = re.match(r"[一二三四五六七八九十百千万两]+", surface)
        if numeral is None:
            return False
        rest = surface[numeral.end() :]
        text = self.inventory.doc.text
        at = text.find(rest)
        while at >= 0 and rest:
            if not text[:at].endswith(numeral.group(0)):
                return True
            at = text.find(rest, at + 1)
        return not rest

    def _terms_named(self, statement: Statement) -> int:
        """How many different terms of the document the sentence names (generic words not counted)."""
        text = statement.sentence.text
        names = {
            o.surface(text).lower()
            for o in self.analysis.occurrences.get(statement.sentence.index, ())
            if o.term.kind not in ("number", "year", "percent") and self.inventory.centrality(o.surface(text)) > 0
        }
        return len(names)

    def _noun_phrase(self, surface: str) -> bool:
        if self.rules.cjk:
            # A Chinese key is Chinese ("simple graph" glosses 简单图, it is not the term itself).
            if not any(is_cjk(ch) for ch in surface) or re.match(r"[几每各]", surface) or self._counter(surface):
                return False
            if surface.endswith(tuple(self.rules.not_terms)):
                return False  # "东汉时期", "暗反应阶段": when, not what
            if surface.lower() not in self.inventory.known:
                return False  # a word jieba cut out of a longer one ("中|性气体")
            from .keyphrases_zh import is_name  # jieba loads on first use

            if is_name(surface):
                return False  # jieba's names are guesses: "塞克斯" of 塞克斯都·恩培里柯
            stats = self.inventory.stats(surface)
            return self.rules.is_noun(surface) and (stats.count >= 2 or not self.inventory.long)
        words = surface.split()
        if not words or not self.rules.is_noun(words[-1]) or words[-1].lower() in self.rules.not_terms:
            return False
        stats = self.inventory.stats(surface)
        if stats.count < 2 and not surface.isupper() and self.inventory.long:
            return False  # in a long text a phrase met once is a side remark, not a term of the course
        if len(words) == 1 and not surface.isupper():
            # A lone word must be a noun and not also an adjective ("inferior"), and specific: an
            # everyday noun ("molecule", "fibre", "cavity") makes a trivial blank.
            return self.rules.noun_key(surface) and stats.zipf < 3.5
        return True

    # -- candidates ----------------------------------------------------------------------------
    @cached_property
    def candidates(self) -> list[Candidate]:
        """Every statement that names a central term, with its score; distractors come later, for
        the few that are chosen (they cost a search of the siblings each)."""
        found: list[Candidate] = []
        central = sorted((c for c in map(self.inventory.centrality, self.inventory.known) if c > 0), reverse=True)
        # A statement that only names peripheral terms tests a side remark: the bar is the median
        # centrality of the terms the document uses.
        bar = central[len(central) // 2] if central else 0.0
        seen: set[str] = set()
        for statement in self.statements:
            folded = " ".join(statement.sentence.text.lower().split())
            if folded in seen:
                continue  # a sentence the notes repeat (a summary, a running head): ask about it once
            seen.add(folded)
            key = self._defined_key(statement) if statement.kind == "definition" else None
            if key is not None:
                weight = 1.0 + self.inventory.centrality(key.name)
            else:
                named = self._named_key(statement)
                if named is None or named[1] < bar or self._terms_named(statement) < 2:
                    continue  # one term and nothing else the course names: a remark without its context
                key, weight = named[0], 0.55 * named[1]
            if self._unexplained_acronym(statement.sentence.text, key):
                continue
            part = self.inventory.sections.of(statement.sentence.start)
            found.append(Candidate(statement, key, weight, part))
        return found

    @cached_property
    def _expanded(self) -> dict[str, str]:
        """Acronyms the document spells out somewhere ("plastid-encoded RNA polymerase (PEP)")."""
        found: dict[str, str] = {}
        text = self.inventory.doc.text
        for match in re.finditer(r"\(([A-Z][A-Z0-9]{1,6})\)", text):
            name = _spelled_before(match.group(1), text[max(0, match.start() - 120) : match.start()])
            if name:
                found.setdefault(match.group(1), name)
        return found

    def _unexplained_acronym(self, text: str, key: Key) -> bool:
        """The sentence uses an acronym the document spells out elsewhere, but not here ("PEP is
        homologous to …"): a reader of the question alone may take it for something else."""
        outside = text[: key.start] + " " + text[key.end :]
        for acronym in re.findall(r"(?<![\w-])[A-Z][A-Z0-9]{1,6}(?![\w-])", outside):
            name = self._expanded.get(acronym)
            if name and name.lower() not in text.lower() and f"({acronym})" not in text:
                return True
        return False

    def complete(self, candidate: Candidate) -> Candidate:
        """The candidate with its distractors, its false form and whether its blank is unambiguous."""
        candidate.distractors = tuple(self._distractors(candidate))
        candidate.false = self.falsifier.false_version(candidate.statement, (candidate.key.start, candidate.key.end))
        candidate.cloze_ok = self._cloze_ok(candidate)
        candidate.informative = self._informative(candidate)
        candidate.also = self._other_names(candidate.key.name)
        return candidate

    def _other_names(self, name: str) -> tuple[str, ...]:
        """ "Algebraic Normal Form (ANF)" anywhere in the text: ANF accepts the name, the name ANF."""
        if self.rules.cjk:
            return ()
        text = self.inventory.doc.text
        if name.replace("-", "").isupper() and 2 <= len(name) <= 8:
            for match in re.finditer(r"((?:[A-Za-z][\w'’-]*[ -]){1,6}?)\(" + re.escape(name) + r"\)", text):
                words = re.findall(r"[A-Za-z][\w'’]*", match.group(1))
                for size in range(len(name), len(name) + 3):
                    tail = words[-size:]
                    initials = "".join(w[0] for w in tail if w.lower() not in self.rules.stop).upper()
                    if len(tail) == size and initials == name.upper():
                        return (" ".join(tail),)
            return ()
        named = re.search(re.escape(name) + r"\s?\(([A-Z][A-Za-z0-9-]{1,7})\)", text, re.IGNORECASE)
        return (named.group(1),) if named and _initials_in(named.group(1), name) else ()

    def _informative(self, candidate: Candidate) -> bool:
        stem = candidate.with_key(" ")
        if self.rules.cjk:
            return len(stem.strip()) >= 12
        return len([w for w in _WORD.findall(stem) if w.lower() not in self.rules.stop]) >= 5

    def _cloze_ok(self, candidate: Candidate) -> bool:
        """A blank the stem pins down: the term a definition defines. Any other statement leaves room
        for another answer ("_____ is invariant under propagation": BPP, but brightness as well),
        which a blind reading found in most such blanks; those are asked as true/false or, with
        three siblings, as multiple choice."""
        return candidate.key.defined and not self._sibling_also_fits(candidate)

    def _sibling_also_fits(self, candidate: Candidate) -> bool:
        return any(
            self.falsifier.states(candidate.with_key(sibling.text)) for sibling in self.siblings.of(candidate.key.name)
        )

    # -- distractors ---------------------------------------------------------------------------
    def _distractors(self, candidate: Candidate, want: int = 3) -> list[str]:
        key, text = candidate.key, candidate.sentence_text
        lower = text.lower()
        chosen: list[str] = []
        for sibling in self.siblings.of(key.name):
            if not self._good_sibling(sibling.text, key.name):
                continue
            option = self._shaped(sibling.text, candidate)
            if option is None or option.lower() in lower:
                continue
            if any(o.lower() in option.lower() or option.lower() in o.lower() for o in chosen):
                continue
            if self.falsifier.states(candidate.with_key(option)):
                continue  # the stem is as true with this option: two right answers
            chosen.append(option)
            if len(chosen) == want:
                break
        return chosen

    def _good_sibling(self, sibling: str, key: str) -> bool:
        """A term the document really uses (twice, or defines), written as a term ("immigration
        Policy" and "Balance material dispersion" are not), and not the key said another way
        ("Germany's eugenic movement" for "German eugenics movement")."""
        low = sibling.lower()
        if self.inventory.long and self.inventory.stats(sibling).count < 2 and low not in self.inventory.defined:
            return False
        if self.rules.cjk:
            if re.match(r"[一二三四五六七八九十两几个每各该此这那]", sibling) or not self.rules.is_noun(sibling):
                return False
            from .keyphrases_zh import stands_as_word  # jieba loads on first use

            return low in self.inventory.known and stands_as_word(sibling, self.inventory.doc.text)
        words = sibling.split()
        if any(a[:1].islower() and b[:1].isupper() for a, b in itertools.pairwise(words)):
            return False
        if words[0].lower() in self.rules.verbs or (words[0].islower() and self.rules.verb_or_adverb(words[0])):
            return False
        return not _same_stems(sibling, key, self.rules.stop)

    def _shaped(self, sibling: str, candidate: Candidate) -> str | None:
        """The sibling written as the key is (a name in brackets when the key has one, the key's
        number and article, its capital at the start of the sentence), or None when it cannot be."""
        key, answer = candidate.key, candidate.answer
        if self.inventory.is_generic(sibling) or not 0.4 <= len(sibling) / max(1, len(key.name)) <= 2.6:
            return None
        option = sibling
        if key.also:
            named = re.search(
                re.escape(sibling) + r"\s?[(（]([^()（）]{1,24})[)）]", self.inventory.doc.text, re.IGNORECASE
            )
            if named is None:
                return None
            option = named.group(0)
        if not self.rules.cjk:
            last, key_last = option.split()[-1].strip("()"), key.name.split()[-1]
            if self.rules.is_plural(last) != self.rules.is_plural(key_last):
                return None
            before = re.findall(r"\w+", candidate.sentence_text[: key.start].lower())[-1:]
            if before and before[0] in ("a", "an") and (before[0] == "an") != (option[:1].lower() in "aeiou"):
                return None
            if answer[:1].isupper() and key.start == 0:
                option = option[:1].upper() + option[1:]
        return option


def _same_stems(a: str, b: str, stop: frozenset[str]) -> bool:
    """One phrase is the other in other words: every content word of the shorter shares its first five
    letters with a word of the longer ("Germany's eugenic movement" / "German eugenics movement")."""

    def stems(text: str) -> set[str]:
        return {w.lower()[:5] for w in _WORD.findall(text) if w.lower() not in stop and len(w) > 2}

    first, second = stems(a), stems(b)
    return bool(first and second) and (first <= second or second <= first)


def spread(
    candidates: Sequence[Candidate], count: int, usable: Callable[[Candidate], bool], near: int = 2
) -> list[Candidate]:
    """Up to `count` candidates: the best of each part of the document first (parts in the order of
    their best candidate), then a second round, and so on; never the same key twice. Two sentences
    within `near` of each other (one passage) are both asked about only when every part has had its
    turn and questions are still missing."""
    if not candidates:
        return []
    chosen: list[Candidate] = []
    keys: set[str] = set()
    places: list[int] = []
    rejected: set[int] = set()  # candidates `usable` refused: never asked again
    for distance in (near, 0):
        by_part: dict[int, list[Candidate]] = {}
        for candidate in sorted(candidates, key=lambda c: (-c.score, c.statement.sentence.index)):
            if candidate not in chosen and id(candidate) not in rejected:
                by_part.setdefault(candidate.part, []).append(candidate)
        order = sorted(by_part, key=lambda part: -by_part[part][0].score)
        added = True
        while added and len(chosen) < count:
            added = False
            for part in order:
                if len(chosen) >= count:
                    break
                for candidate in list(by_part[part]):
                    index = candidate.statement.sentence.index
                    name = candidate.key.name.lower()
                    if name in keys or any(abs(index - at) <= distance for at in places):
                        continue
                    by_part[part].remove(candidate)
                    if not usable(candidate):
                        rejected.add(id(candidate))
                        continue
                    chosen.append(candidate)
                    keys.add(name)
                    places.append(index)
                    added = True
                    break
    return sorted(chosen, key=lambda c: c.statement.sentence.start)


def occurrences_of(analysis: Analysis, index: int) -> Sequence[Occurrence]:
    return analysis.occurrences.get(index, ())
