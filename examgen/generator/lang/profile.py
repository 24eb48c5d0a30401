"""What a language profile holds (one instance per language, in lang/<code>.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from wordfreq import zipf_frequency


def words_of(text: str) -> frozenset[str]:
    """A word list written as one string (one place for the split, which linters would expand)."""
    return frozenset(text.split())


def pairs(text: str) -> tuple[tuple[str, str], ...]:
    """Pairs of opposites written "first/second", separated by white space."""
    found = []
    for item in text.split():
        first, _, second = item.partition("/")
        found.append((first, second))
    return tuple(found)


@dataclass(frozen=True)
class DefinitionRule:
    """A sentence that defines a term: `pattern` matches the whole sentence with a group `term` (the
    term defined) and a group `body` (what defines it)."""

    pattern: re.Pattern[str]
    name: str


def _everything_is_a_noun(word: str) -> bool:
    return True


def _nothing(word: str) -> bool:
    return False


def _no_verb_known(text: str) -> int | None:
    return None


def _plural_by_s(word: str) -> bool:
    low = word.lower()
    return low.endswith("s") and not low.endswith(("ss", "us", "is"))


@dataclass(frozen=True)
class Profile:
    code: str
    cjk: bool
    """Written without spaces between words (terms come from jieba, not from runs of words)."""
    labels: Mapping[str, str]
    """The words exports put around questions (keys of lang/en.py's LABELS)."""
    markers: frozenset[str]
    """The most frequent function words: how the language is told apart from the others."""
    stop: frozenset[str]
    """Function words: never the first or last word of a term."""
    weak: frozenset[str]
    """Real words that make poor answers on their own ("example", "show")."""
    abbreviations: frozenset[str] = frozenset()
    """Words after which a full stop does not end a sentence (lower case, without the dot)."""
    dangling_start: frozenset[str] = frozenset()
    """Words that, opening a sentence, lean on the one before ("However", "This", 因此)."""
    pointers: re.Pattern[str] = re.compile(r"(?!)")
    """Anywhere in a sentence: what points at text the student cannot see (a figure, "the above",
    an equation number, "the third cause")."""
    reader: re.Pattern[str] = re.compile(r"(?!)")
    """The writer speaking for everyone ("the point of our argument", 我们): a pointer elsewhere, but
    harmless where the sentence defines its term ("… is called the conclusion")."""
    early_pronouns: frozenset[str] = frozenset()
    anaphors: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Pronouns that need their antecedent earlier in the same sentence, by kind: "plural" (a plural
    noun before "their"), "person" (a name before "his")."""
    hedges: frozenset[str] = frozenset()
    """Words that make a statement a tendency or a prescription ("typically", 通常, "should", 应): as
    true/false it is neither, or true only as someone's view; item writers' guides keep such words
    out of true/false items."""
    opinions: frozenset[str] = frozenset()
    """Words that make a statement a judgement ("arguably", "unfortunately", 的确, 明显, 伟大, 虽然…但):
    the author's view, not a fact a student could check; blind judges read such true/false items as
    "no clear truth value", true or made false alike."""
    negations: frozenset[str] = frozenset()
    """Words that negate a statement ("not", "never", 不, 并非): item-writing guides keep negative
    statements out of true/false items (a false one becomes a double negative), and blind judges
    read "Extinction is not a contingency in and of itself" as ambiguous."""
    back_nouns: frozenset[str] = frozenset()
    """Category nouns that, alone as the subject (学派强调…), name something the text named before
    (English: the definite article does that, see statements._vague_subject)."""
    """Pronouns that point back only when they come early ("It is ...", not "... lets it flow")."""
    meta: re.Pattern[str] = re.compile(r"(?!)")
    """Sentences that are not statements of the subject: exercises, instructions, talk about the
    course or the notes, the introduction of a list."""
    definitions: tuple[DefinitionRule, ...] = ()
    contrasts: tuple[tuple[str, str], ...] = ()
    """Pairs of words a false statement may swap, when the document uses both ("aerobic" and
    "anaerobic"): the document itself draws the contrast."""
    opposite_prefixes: tuple[str, ...] = ()
    """Prefixes that make a word's opposite ("non", "un", 非): a term and its prefixed form contrast."""
    generic_zipf: float = 5.0
    """A single word this common in the language at large (wordfreq's Zipf scale) is no answer."""
    is_noun: Callable[[str], bool] = _everything_is_a_noun
    """Can this word head a noun phrase (English: lemminflect's dictionary)? For a language written
    without spaces: is this whole string a noun phrase (Chinese: by jieba's tags)?"""
    verb_or_adverb: Callable[[str], bool] = _nothing
    """A lower-case word that is never a noun or an adjective: it ends a term ("parliaments denature bills")."""
    is_plural: Callable[[str], bool] = _plural_by_s
    adverb_suffixes: tuple[str, ...] = ()
    """Word endings that make an adverb, never the edge of a term ("-ly")."""
    participle_suffixes: tuple[str, ...] = ()
    """Word endings of participles and gerunds, poor answers alone ("-ed", "-ing")."""
    declarative: Callable[[str], bool] = _everything_is_a_noun
    """A sentence that states a fact in the plain order (subject, verb, ...), not a fragment, a
    heading, a note-style line or a fronted clause (English: english.subject_first)."""
    verb_at: Callable[[str], int | None] = _no_verb_known
    """Where the sentence's verb starts, when the profile can tell: no answer may swallow it."""
    noun_key: Callable[[str], bool] = _everything_is_a_noun
    """A word that may be an answer on its own: a noun, not an adjective ("inferior")."""
    not_terms: frozenset[str] = frozenset()
    """Head nouns that evaluate or point ("fact", "problem", 特点) rather than name a concept."""
    nouns_capitalised: bool = False
    """German: nouns are written with a capital, which marks the head of a term."""
    determiners: frozenset[str] = frozenset()
    verbs: frozenset[str] = frozenset()
    """Forms that are verbs far more often than anything else (they split terms)."""
    number_context: frozenset[str] = frozenset()
    """A number right after these is a label ("Figure 3"), not a fact."""
    variant: str = "Variant {}"
    extras: Mapping[str, object] = field(default_factory=dict)

    describes: Callable[[str], bool] = _nothing
    """The body of a would-be definition describes a use or an action, not what the term is
    ("中子：探测晶体的磁有序结构")."""
    lemma: Callable[[str], str] = str.lower
    """A word's dictionary form ("implementations" -> "implementation"): how common a word is, is
    how common its lemma is."""

    def zipf(self, phrase: str) -> float:
        """How common the phrase is in the language at large (0: unknown, 7: "the")."""
        low = phrase.lower()
        if " " in low or self.cjk:
            return _zipf(low, self.code)
        return max(_zipf(low, self.code), _zipf(self.lemma(low), self.code))

    def is_generic(self, phrase: str) -> bool:
        """A word or phrase too common to be the answer worth asking for ("process", "picture", 方法)."""
        return self.zipf(phrase) >= self.generic_zipf


@lru_cache(maxsize=65_536)
def _zipf(phrase: str, code: str) -> float:
    if code == "zh":
        # wordfreq segments Chinese with its own jieba, which announces its dictionary on first use.
        import logging

        logging.getLogger("jieba").setLevel(logging.WARNING)
    # The "small" lists (words down to Zipf 3) answer every question asked of them here (is a word
    # everyday, Zipf 3.5 and up?) and load in milliseconds and 5 MB, not a quarter second and 40-80 MB
    # per language: each job runs in a fresh work-horse.
    return float(zipf_frequency(phrase, code, wordlist="small"))
