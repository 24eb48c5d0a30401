"""Citations a question does not show: "(Bashford & Levine, 2010)", "[KJJ99, BDL97]", "[12]".

Sentences stay verbatim slices of the document (source_text is found in the extracted text); a
citation is dropped only from what the student reads, and the checks of a sentence read it the way
the student will.
"""

from __future__ import annotations

import re

_AUTHOR_YEAR = (
    r"(?:[A-Z][\w'’-]+(?:,? (?:&|and) [A-Z][\w'’-]+)*(?: et al\.?)?,? (?:1[5-9]\d\d|20\d\d)[a-z]?"
    r"|[A-Z][\w'’-]+,? n\.d\.)"
    r"(?:, pp?\. ?\d+(?:[–-]\d+)?)?"
)
_KEY = r"(?:[A-Z][A-Za-z]*\+?\d{2,4}[a-z]?|[1-9]\d{0,2}(?:\s?[–-]\s?[1-9]\d{0,2})?)"
# "as shown in [12]", "see [3]": the citation is a word of the sentence, which leans on the source.
_GOVERNED = re.compile(r"\b(?:in|see|of|to|by|from|and|cf|than|as|with|at|on|bei|dans|en|de)\W*$", re.IGNORECASE)
_CITATION = re.compile(
    rf"\s*\((?:(?:see|e\.g\.|cf\.),? )?{_AUTHOR_YEAR}(?:; ?{_AUTHOR_YEAR})*\)"
    rf"|\s*\[{_KEY}(?:,\s?{_KEY})*\]"
)


def strip_citations(text: str) -> str:
    def drop(match: re.Match[str]) -> str:
        return match.group(0) if _GOVERNED.search(text, max(0, match.start() - 12), match.start()) else ""

    return _CITATION.sub(drop, text)
