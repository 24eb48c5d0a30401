"""Does a sentence stand alone? What in it leans on text the student cannot see, in its language.

A sentence that opens with a connective or a pointer ("However, ...", "This method ...", 因此),
that points anywhere at a figure, an equation number, "the above" or "the third cause", or that
talks about the course rather than its subject ("In this chapter we ...", 例题) is not asked about:
a student reading it alone on an exam page could not know what it refers to.
"""

from __future__ import annotations

import re

from .lang import Profile, profile

_LATIN_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def _words(text: str) -> list[str]:
    return [w.lower() for w in _LATIN_WORD.findall(text)]


def _anaphor_without_antecedent(text: str, rules: Profile) -> bool:
    """ "… stopped publishing their member lists" needs a plural before "their" in the sentence
    ("Eugenics societies …"), "… his research" a name before "his"; otherwise the pronoun points at
    the sentence before."""
    plural, person = rules.anaphors.get("plural", frozenset()), rules.anaphors.get("person", frozenset())
    tokens = _LATIN_WORD.findall(text)
    for index, token in enumerate(tokens):
        low = token.lower()
        before = tokens[:index]
        if low in plural and not any(rules.is_plural(w.lower()) and rules.is_noun(w.lower()) for w in before):
            return True
        if low in person and not any(_name(w, at, rules) for at, w in enumerate(before)):
            return True
    return False


def _name(word: str, index: int, rules: Profile) -> bool:
    """Capitalised inside the sentence, or at its start and singular ("Galton", not "Historians")."""
    low = word.lower()
    return word[:1].isupper() and low not in rules.stop and (index > 0 or not rules.is_plural(low))


def refers_elsewhere(text: str, lang: str | Profile) -> bool:
    """True when the sentence needs the text around it to be understood."""
    rules = lang if isinstance(lang, Profile) else profile(lang)
    stripped = text.lstrip(" \"'“‘(（[-–—•")
    if rules.cjk:
        from .keyphrases_zh import first_word  # jieba loads on first use

        # Whole words: "能量…" opens with 能量, not with the modal 能.
        multi = tuple(word for word in rules.dangling_start if len(word) > 1)
        opening = first_word(stripped)
        if opening in rules.dangling_start or opening in rules.back_nouns or stripped.startswith(multi):
            return True
        return rules.pointers.search(stripped) is not None
    words = _words(stripped)
    if not words:
        return True
    if words[0] in rules.dangling_start or " ".join(words[:2]) in rules.dangling_start:
        return True
    if not rules.early_pronouns.isdisjoint(words[:5]):
        return True
    if _anaphor_without_antecedent(stripped, rules):
        return True
    return rules.pointers.search(stripped) is not None


def is_meta(text: str, lang: str | Profile) -> bool:
    """True for talk about the course or the notes, exercises, instructions and list openings."""
    rules = lang if isinstance(lang, Profile) else profile(lang)
    return rules.meta.search(text.strip(" \"'“‘(（[-–—•")) is not None


def fused_heading(text: str, written_lower: frozenset[str], rules: Profile) -> bool:
    """A heading the text layer ran into the sentence after it: "Skinner people and nonhumans learn
    …" (a name, then a plural noun that is not the verb), "Verbal Behaviour Skinner defined …" (a
    title-cased word, then a name). A name here is a word the document never writes in lower case
    and the language rarely uses; acronyms ("AES encryption"), hyphenated and possessive words, and
    German, which capitalises every noun, are left alone. (english.first_verb refuses the glued
    headings the sentence alone shows, "Balanced Logic Styles A first way …"; these need the
    document's own spelling of each word.)"""
    if rules.cjk or rules.nouns_capitalised:
        return False
    words = _LATIN_WORD.findall(text)
    run = 0
    while run < min(len(words), 4) and words[run][:1].isupper():
        run += 1
    if run == 0 or run == len(words) or not words[run][:1].islower():
        return False

    def name(word: str) -> bool:
        plain = sum(map(str.isupper, word)) == 1 and not any(mark in word for mark in "-'’")
        return plain and word.lower() not in written_lower and rules.zipf(word) < 4.0

    titled = [word.lower() in written_lower and word.lower() not in rules.stop for word in words[:run]]
    if any(name(words[i]) and titled[i - 1] for i in range(1, run)):
        return True
    verb = rules.verb_at(text)
    if run >= 3 and titled[run - 1] and (verb is None or not text.startswith(words[run], verb)):
        return True  # "Hemispheric Lateralization Language production is …": a title, then the subject
    after = words[1].lower()
    plural = rules.is_plural(after) or after in ("people", "children", "men", "women")
    if run != 1 or not name(words[0]) or not (plural and rules.is_noun(after)):
        return False
    return verb is None or not text.startswith(words[1], verb)
