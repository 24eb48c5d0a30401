"""What each good sentence can be asked as: its key, and what the key supports.

Every Statement gets its key: the term it defines, or the most central term it names (never a
generic word, never half of a word, never the document's topic); a statement about the topic, or
whose terms make no fair blank, gets an empty key and is a true/false candidate only. complete()
then finds, for the few candidates an exam takes, their distractors (distractors.py: the key's
siblings only), their false form (falsify.py: a contrast the text draws) and whether a blank is
unambiguous (a defined term), and what keeps a true statement out: a tendency ("typically"), a
subject that is no term of the course, a predicate that says nothing the student could get wrong.
Which candidates an exam asks is coverage.py's choice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import cached_property

from .acronyms import Acronyms
from .blanks import blank_ok
from .candidate import Candidate, Key
from .chars import is_cjk
from .distractors import Distractors
from .falsify import Falsifier
from .inventory import Inventory
from .siblings import Siblings
from .spelling import Spelling
from .standalone import fused_heading
from .statements import Statement
from .terms import Analysis

# "X or non-X", "X或非X", "可X可不X", "A, or B": a statement that covers every case.
_EITHER_WAY = re.compile(
    r"\b(\w{3,}) or (?:non-?|un|in|not )\1\b|(\w{1,4})或(?:非|不)\2|可(\w)可不\3"
    # "… inherited and fixed at birth, or flexibly acquired …": two alternatives, one of them true.
    r"|, (?:either )?or (?!rather\b|else\b)|\beither\b.+\bor\b|，或者?",
    re.I,
)


class Planner:
    """Keys, candidates and their distractors and false forms, for one prepared document."""

    def __init__(self, statements: Sequence[Statement], analysis: Analysis, inventory: Inventory) -> None:
        self.statements = statements
        self.analysis = analysis
        self.inventory = inventory
        self.rules = inventory.rules
        self.siblings = Siblings(inventory)
        self.falsifier = Falsifier(inventory, self.siblings)
        self.distractors = Distractors(inventory, self.siblings, self.falsifier)
        self.acronyms = Acronyms(inventory.doc.text)
        self.spelling = None if self.rules.cjk else Spelling(inventory.doc.text, self.rules.zipf)

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

    def _named_keys(self, statement: Statement) -> list[tuple[Key, float]]:
        """The terms the sentence names where a blank is clean, most central first."""
        text = statement.sentence.text
        found: dict[tuple[int, int], tuple[Key, float]] = {}
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
            if weight > 0:
                known = self.inventory.known.get(surface.lower(), surface)
                proper = term.kind in ("name", "acronym") or surface.isupper() or known[:1].isupper()
                key = Key(occurrence.start, occurrence.end, surface, proper=proper)
                found[(key.start, key.end)] = (key, weight)
        return sorted(found.values(), key=lambda pair: -pair[1])

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
            if fused_heading(statement.sentence.text, self.inventory.written_lower, self.rules):
                continue
            if self.spelling is not None and self.spelling.misspelt(statement.sentence.text):
                continue  # "the oriented surfae": a typo a teacher would have to correct first
            key = self._defined_key(statement) if statement.kind == "definition" else None
            others: tuple[Key, ...] = ()
            if key is not None:
                weight = 1.0 + self.inventory.centrality(key.name)
            else:
                keys = self._named_keys(statement)
                if self._terms_named(statement) < 2:
                    continue  # one term and nothing else the course names: a remark without its context
                if keys and keys[0][1] >= bar:
                    key, weight = keys[0][0], 0.55 * keys[0][1]
                    others = tuple(k for k, w in keys[1:] if w >= bar and self._explained(statement, k))
                elif (self.rules.cjk or self.rules.verb_at(statement.sentence.text) is not None) and self._anchored(
                    statement
                ):
                    key, weight = Key(0, 0, ""), 0.25 * bar  # about the topic, or no term makes a fair blank
                else:
                    continue
            if not self._explained(statement, key):
                continue
            part = self.inventory.sections.of(statement.sentence.start)
            found.append(Candidate(statement, key, weight, part, other_keys=others))
        return found

    def _explained(self, statement: Statement, key: Key) -> bool:
        """No acronym outside the blank that the document spells out elsewhere but this sentence does not."""
        text = statement.sentence.text
        return not self.acronyms.unexplained(text[: key.start] + " " + text[key.end :], text)

    def complete(self, candidate: Candidate) -> Candidate:
        """The candidate with its distractors, its false form and whether its blank is unambiguous.
        A statement whose key has too few siblings for multiple choice may be asked about another
        term it names that has them (a true/false question reads the same either way)."""
        candidate.distractors = () if candidate.key.blank else tuple(self.distractors.of(candidate))
        for other in candidate.other_keys if len(candidate.distractors) < 3 else ():
            swapped = replace(candidate, key=other)
            distractors = tuple(self.distractors.of(swapped))
            if len(distractors) >= 3:
                candidate.key, candidate.distractors = other, distractors
                break
        text = candidate.sentence_text
        candidate.bare_acronym = self.acronyms.unexplained(text[candidate.key.start : candidate.key.end], text)
        candidate.false = self.falsifier.false_version(candidate.statement, (candidate.key.start, candidate.key.end))
        candidate.cloze_ok = self._cloze_ok(candidate)
        candidate.informative = self._informative(candidate)
        candidate.hedged = self._hedged(candidate.sentence_text)
        candidate.anchored = candidate.key.defined or (
            self._anchored(candidate.statement) and self._says_something(candidate.statement)
        )
        candidate.also = () if self.rules.cjk else self.acronyms.other_names(candidate.key.name)
        return candidate

    def _hedged(self, text: str) -> bool:
        if self.rules.cjk:
            from .keyphrases_zh import words  # jieba loads on first use

            found = set(words(text))
            # jieba keeps "极为重要" one word: a judgement inside a longer word counts too.
            found |= {word for word in self.rules.opinions if len(word) > 1 and word in text}
        else:
            found = {w.lower() for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", text)}
        rules = self.rules
        return any(not words.isdisjoint(found) for words in (rules.hedges, rules.opinions, rules.negations))

    def _anchored(self, statement: Statement) -> bool:
        """The subject is a term of the document: it opens the sentence (after an article) and ends
        before the verb; in Chinese, the first clause names one."""
        text = statement.sentence.text
        if self.rules.cjk:
            end = min((i for i in (text.find("，"), text.find(",")) if i > 0), default=len(text))
        else:
            verb = self.rules.verb_at(text)
            if verb is None:
                return True  # no verb found: nothing to say about the subject
            end = verb
        for occurrence in self.analysis.occurrences.get(statement.sentence.index, ()):
            surface = occurrence.surface(text)
            if occurrence.end > end or occurrence.term.kind in ("number", "year", "percent"):
                continue
            if not self.rules.cjk and not self._heads_subject(text[: occurrence.start], text[occurrence.end : end]):
                continue
            if not self.inventory.is_generic(surface) and self.inventory.centrality(surface) > 0:
                return True
        return False

    def _says_something(self, statement: Statement) -> bool:
        """After its verb the sentence names a term of the document that is not its subject again:
        "Karatsuba's algorithm is based on a simple observation" (which?) and "Wave guide dispersion
        arises from the wave guide effects" say nothing a student could know or get wrong."""
        text = statement.sentence.text
        if _EITHER_WAY.search(text):
            return False  # "Herbicides can be selective or non-selective": true whatever is true
        if text.count(",") + text.count("，") + text.count("、") >= 5:
            return False  # a long enumeration: checking it is a test of memory, item by item
        verb = None if self.rules.cjk else self.rules.verb_at(text)
        if verb is None:
            return True  # Chinese, or no verb found: the two terms every candidate names must do
        subject = {w.lower() for w in re.findall(r"[^\W\d_]+", text[:verb])}
        for occurrence in self.analysis.occurrences.get(statement.sentence.index, ()):
            surface = occurrence.surface(text)
            if occurrence.start < verb or self.inventory.is_generic(surface):
                continue
            if occurrence.term.kind in ("number", "year", "percent"):
                return True
            if self.inventory.centrality(surface) > 0:
                new = {w.lower() for w in re.findall(r"[^\W\d_]+", surface)} - subject
                # Two new words, or one that is no everyday word ("effects", "observation").
                if len(new) >= 2 or any(self.rules.zipf(w) < 4.0 for w in new):
                    return True
        return False

    def _heads_subject(self, before: str, after: str) -> bool:
        """A term opens the subject ("The eugenics movement …") or ends it with only modifiers before
        it ("The plastid-encoded RNA polymerase (PEP) …"), not after a preposition ("People with
        mental illness …")."""
        words = [w for w in re.findall(r"[^\W\d_]+", before.lower()) if w not in ("the", "a", "an")]
        if not words:
            return True
        return not re.sub(r"\([^()]*\)", "", after).strip() and not any(w in self.rules.stop for w in words)

    def _informative(self, candidate: Candidate) -> bool:
        stem = candidate.with_key(" ")
        if self.rules.cjk:
            return len(stem.strip()) >= 12
        return len([w for w in re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", stem) if w.lower() not in self.rules.stop]) >= 5

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
