"""Does a sentence stand alone? Words anywhere in it that point at text the student cannot see.

select.is_usable already refuses sentences that open with such a word ("This method ..."); these
are the ones further in ("The first is when ...", "In other systems, ...", "...上文描述的情况...").
"""

from __future__ import annotations

import re

from .stopwords import words_of

# Demonstratives and pronouns that refer back, wherever they stand. "it"/"its" often refer inside the
# sentence ("rock that stores water and lets it flow"), so only an early one counts. Looked up as
# words: one alternation regex over these cost a tenth of a millisecond per sentence.
_ANAPHORA_EN = words_of(
    "this these those he she him his her hers they them their theirs former latter aforementioned above-mentioned"
)
_WORD_EN = re.compile(r"[a-z]+(?:-[a-z]+)*")
# "The first is when ...", "the second of these": an ordinal standing for a noun said before ("the
# first global programme" names its noun and stands alone); "such" unless "such as".
_ANAPHORA_PHRASE_EN = re.compile(
    r"\bthe (?:first|second|third|fourth|two|three|four)(?= (?:is|are|was|were|has|have|can|may|ones?|of)\b|[,.;:])"
    r"|\bthe others?\b|^(?:in|for|on|at|by|with|unlike) (?:the )?other\b|\bsuch\b(?! as\b)"
)
# jieba words (not characters: 应该, 尤其, 因此 and 彼此 are not references) that point elsewhere.
_ANAPHORA_ZH = words_of(
    """
    这 这些 这种 这个 这样 这里 这时 此 此时 此处 该 其 其中 上述 本书 本章 本节 本文 上文 下文 前者 后者
    它 它们 他 他们 她 她们 以上 如上 上面 下面
    """
)


def refers_elsewhere(text: str, lang: str) -> bool:
    """True when the sentence needs the text around it to be understood."""
    if lang == "zh":
        import jieba

        from .keyphrases_zh import segmenter

        segmenter()  # loads jieba's dictionary once per process
        return any(word in _ANAPHORA_ZH for word in jieba.lcut(text))
    if lang != "en":
        return False
    lower = text.lower()
    words = _WORD_EN.findall(lower)
    if not _ANAPHORA_EN.isdisjoint(words) or not {"it", "its"}.isdisjoint(words[:4]):
        return True
    return ("the " in lower or "such" in lower or "other" in lower) and bool(_ANAPHORA_PHRASE_EN.search(lower))
