"""The document's terms and how central each is: what a question should be about.

A term is central when the document keeps coming back to it across its parts (not one passage),
defines it, or names a heading after it, and when it is specific (rare in the language at large:
wordfreq's Zipf scale). "photosynthesis" in a biology chapter is central; "process" is everywhere
in English, and a side remark met on one page is not what the exam is for.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from .lang import Profile
from .layout import Document
from .sections import Sections
from .sentences import Sentence
from .statements import Statement
from .terms import Analysis


@dataclass(frozen=True)
class TermStats:
    count: int
    pages: int
    parts: int
    defined: bool
    in_heading: bool
    zipf: float

    @property
    def specificity(self) -> float:
        """1.2 for a word the language barely knows, falling to 0.2 for everyday words."""
        return max(0.2, min(1.2, (6.5 - self.zipf) / 3.5))


class Inventory:
    """Occurrence statistics of any phrase of the document, the defined terms and the term lists."""

    def __init__(
        self,
        doc: Document,
        sections: Sections,
        sentences: Sequence[Sentence],
        analysis: Analysis,
        defined: list[Statement],
        rules: Profile,
    ) -> None:
        self.doc, self.sections, self.sentences, self.analysis, self.rules = doc, sections, sentences, analysis, rules
        self.text_lower = doc.text.lower()
        self.defined: dict[str, list[Statement]] = defaultdict(list)
        for statement in defined:
            self.defined[statement.name.lower()].append(statement)
            if statement.also:
                self.defined[statement.also.lower()].append(statement)
        self.headings = "\n".join(sections.titles).lower()
        self.written_lower = frozenset(w for w in re.findall(r"[^\W\d_]+", doc.text) if w[0].islower())
        """Words the document writes in lower case somewhere: not names."""
        self._stats: dict[str, TermStats] = {}
        # German keeps a term's case in its key (the noun "Liften", the verb "liften"): look up by lower case.
        self._analysed = {term.key.lower(): term for term in analysis.terms.values()}
        # A handout of a page or two names each term once; a course text of dozens of pages returns
        # to what matters, and a term it names once is a side remark.
        self.long = len(doc.text) >= LONG_CHARS // (3 if rules.cjk else 1)

    @cached_property
    def topic(self) -> str:
        """The document's title line, lower case: what the whole text is about, too obvious to ask for."""
        for line in self.doc.text.split("\n")[:3]:
            title = line.strip()
            if title and len(title) <= 80 and title[-1] not in ".!?。！？；;:：,，":
                return title.lower()
        return ""

    def is_topic(self, phrase: str) -> bool:
        """The phrase names what the whole document is about (its title line says it)."""
        low = phrase.lower()
        if self.rules.cjk:
            return len(low) >= 2 and low in self.topic
        return re.search(r"(?<![\w-])" + re.escape(low) + r"(?![\w-])", self.topic) is not None

    @cached_property
    def known(self) -> dict[str, str]:
        """Every term the document offers as a possible answer or distractor: lower case -> its form."""
        found = {term.key.lower(): term.text for term in self.analysis.terms.values() if term.kind not in _NUMBER_KINDS}
        if self.rules.cjk:
            from .keyphrases_zh import miscut  # jieba loads on first use

            found = {key: form for key, form in found.items() if not miscut(key, self.doc.text)}
        for name, statements in self.defined.items():
            found.setdefault(name, statements[0].name if statements[0].name.lower() == name else statements[0].also)
        return found

    def positions(self, phrase: str) -> list[int]:
        """Where the phrase occurs in the document (case ignored; whole words in Latin scripts)."""
        needle = phrase.lower()
        if not needle:
            return []
        if self.rules.cjk:
            return [m.start() for m in re.finditer(re.escape(needle), self.text_lower)]
        pattern = r"(?<![\w-])" + re.escape(needle) + r"(?:s|es)?(?![\w-])"
        return [m.start() for m in re.finditer(pattern, self.text_lower)]

    def stats(self, phrase: str) -> TermStats:
        key = phrase.lower()
        term = self._analysed.get(key)
        if key not in self._stats and term is not None and term.where and key not in self.defined:
            # What the analysis counted already (its sentences): no search of the whole text.
            starts = [self.sentences[i].start for i in term.where]
            self._stats[key] = TermStats(
                count=term.freq,
                pages=len({self.doc.page_of(at) for at in starts}),
                parts=len({self.sections.of(at) for at in starts}),
                defined=False,
                in_heading=key in self.headings,
                zipf=self.rules.zipf(key),
            )
        if key not in self._stats:
            where = self.positions(key)
            self._stats[key] = TermStats(
                count=len(where),
                pages=len({self.doc.page_of(at) for at in where}),
                parts=len({self.sections.of(at) for at in where}),
                defined=key in self.defined,
                in_heading=key in self.headings,
                zipf=self.rules.zipf(key),
            )
        return self._stats[key]

    def centrality(self, phrase: str) -> float:
        """How much the document is about this term (0 for a term it barely uses or a generic word)."""
        stats = self.stats(phrase)
        if stats.count == 0 or self.is_generic(phrase):
            return 0.0
        spread = math.log1p(stats.parts) + 0.5 * math.log1p(stats.pages)
        score = math.log1p(stats.count) * spread * stats.specificity
        if stats.defined:
            score *= 1.6
        if stats.in_heading:
            score *= 1.3
        return score

    def is_generic(self, phrase: str) -> bool:
        """Too common to be the answer ("process", "picture", 方法): the phrase as a whole is everyday
        language (wordfreq estimates a phrase from its words: "power analysis" is rare though both
        words are common), or one of the language's weak words."""
        low = phrase.lower()
        if low in self.rules.weak or low in self.rules.not_terms:
            return True
        if not self.rules.is_generic(low):
            return False
        words = phrase.split()
        if len(words) > 1 and not self.rules.cjk:
            # Common words make a term when the text names it as one: written as a name ("Simple Power
            # Analysis"), defined, or used again and again; "fundamental principle" is none of these.
            named = all(w[:1].isupper() for w in words)
            return not (named or low in self.defined or self.stats(phrase).count >= 3)
        return True


_NUMBER_KINDS = frozenset({"number", "year", "percent"})
LONG_CHARS = 15_000
