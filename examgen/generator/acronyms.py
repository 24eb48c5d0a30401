"""Acronyms and the names a document spells them out with ("Algebraic Normal Form (ANF)").

A question may use an acronym only where its sentence says what it stands for, or where the
document never does (then it is the name the course uses); and a blank on either accepts the other.
"""

from __future__ import annotations

import re
from functools import cached_property

_ACRONYM = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]{1,6}(?![\w-])")


def initials_in(acronym: str, text: str) -> bool:
    """The acronym's letters are initials of the text's words ("SCA" of "Side-Channel Analysis")."""
    letters = "".join(ch for ch in acronym if ch.isalpha()).lower()
    initials = "".join(w[0] for w in re.findall(r"[^\W\d_]+", text)).lower()
    return len(letters) >= 2 and letters in initials


def spelled_before(acronym: str, before: str) -> str | None:
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


class Acronyms:
    """The acronyms one document spells out, read once."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def names(self) -> dict[str, str]:
        """Acronym to the name the document first spells it out with."""
        found: dict[str, str] = {}
        for match in re.finditer(r"[(（]([A-Z][A-Z0-9]{1,6})[)）]", self.text):
            name = spelled_before(match.group(1), self.text[max(0, match.start() - 120) : match.start()])
            if name:
                found.setdefault(match.group(1), name)
        return found

    def other_names(self, name: str) -> tuple[str, ...]:
        """The name of an acronym, or the acronym of a name ("ANF" and "Algebraic Normal Form")."""
        if name in self.names:
            return (self.names[name],)
        named = re.search(re.escape(name) + r"\s?[(（]([A-Z][A-Za-z0-9-]{1,7})[)）]", self.text, re.IGNORECASE)
        return (named.group(1),) if named and initials_in(named.group(1), name) else ()

    def unexplained(self, shown: str, sentence: str) -> bool:
        """What a question shows of the sentence uses an acronym the document spells out elsewhere,
        but the sentence does not ("PEP is homologous to …"): a reader of the question alone may
        take it for something else."""
        for acronym in _ACRONYM.findall(shown):
            name = self.names.get(acronym)
            if name and name.lower() not in sentence.lower() and f"({acronym})" not in sentence:
                return True
        return False
