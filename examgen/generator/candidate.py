"""One sentence the exam may ask about, its key, and what it can be asked as."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .acronyms import initials_in
from .chars import is_cjk
from .english import other_number
from .statements import Statement

_ALSO_CALLED = re.compile(r"\s?[（(]([^()（）]{1,40})[)）]")


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

    @property
    def blank(self) -> bool:
        """An empty key: the statement names terms of the course but none that makes a fair blank
        (the document's topic, a word met once); it is asked as true/false only."""
        return self.start == self.end


@dataclass
class Candidate:
    statement: Statement
    key: Key
    score: float
    part: int
    distractors: tuple[str, ...] = ()
    false: str | None = None
    cloze_ok: bool = False
    other_keys: tuple[Key, ...] = ()
    """Other central terms the sentence names, for multiple choice when the key has no siblings."""
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
        if self.key.blank and kind != "true_false":
            return False
        if kind == "mcq":
            return len(self.distractors) >= 3 and self.informative
        if kind == "cloze":
            return self.cloze_ok and self.informative
        if self.bare_acronym or self.hedged:
            return False
        # A glossary line ("晶格：…") reads as a statement only once made false; as written, a
        # reader asks "true of what?". Everything else is a true statement as written.
        return self.supports_true() or self.false is not None

    def supports_true(self) -> bool:
        return self.statement.rule != "colon" and not self.bare_acronym and not self.hedged and self.anchored

    hedged: bool = False
    """The statement states a tendency ("will typically", 通常): neither true nor false as an item."""
    anchored: bool = True
    """Its subject names a term of the course ("People with mental illness were treated as …": by
    whom, when? true only in its paragraph), and after the verb it names another ("… is based on a
    simple observation": which?)."""

    bare_acronym: bool = False
    """The key is an acronym the document spells out elsewhere but not here ("PEP is homologous to
    …"): fine as the answer to a blank, not shown in a true/false statement."""

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
    if key.replace("-", "").isupper() and initials_in(key, inner):
        return True
    return is_cjk(key[:1]) != is_cjk(inner[:1]) and len(inner) <= 40
