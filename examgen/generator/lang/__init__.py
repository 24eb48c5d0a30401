"""Language profiles: each language's data and rules in one module (spaCy's lang/<code> is the model).

The pipeline asks the profile, never `if lang == ...`: how sentences end, which words are function
words, which words or phrases make a sentence lean on text the student cannot see, which sentences
define a term, which pairs of words the document may contrast, how common a word is in general
(wordfreq), and the words exports put around questions. A language without a profile of its own
is read with the English rules, which are the most conservative about what may be asked.
"""

from __future__ import annotations

from . import de, en, es, fr, zh
from .profile import DefinitionRule, Profile, pairs, words_of

PROFILES: dict[str, Profile] = {p.code: p for p in (en.PROFILE, de.PROFILE, fr.PROFILE, es.PROFILE, zh.PROFILE)}
SUPPORTED = tuple(PROFILES)


def profile(code: str) -> Profile:
    return PROFILES.get(code, en.PROFILE)


def load_data() -> None:
    """Read the data the Latin-script profiles look words up in (lemminflect's English dictionary,
    wordfreq's small lists), once: the worker pool calls this before it forks, so a job does not
    pay a quarter second for it. jieba (Chinese, 180 MB) still loads in the first Chinese job."""
    for code in ("en", "de", "fr", "es"):
        rules = PROFILES[code]
        rules.is_noun("cell")
        rules.zipf("cell")


__all__ = ["PROFILES", "SUPPORTED", "DefinitionRule", "Profile", "load_data", "pairs", "profile", "words_of"]
