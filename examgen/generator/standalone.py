"""Does a sentence stand alone? Words anywhere in it that point at text the student cannot see.

select.is_usable already refuses sentences that open with such a word ("This method ..."); these
are the ones further in ("The first is when ...", "In other systems, ...", "...上文描述的情况...").
"""

from __future__ import annotations

import re

from .stopwords import words_of

# Demonstratives and pronouns that refer back, wherever they stand. "it"/"its" often refer inside the
# sentence ("rock that stores water and lets it flow"), so only an early one counts.
_ANAPHORA_EN = re.compile(
    r"\b(?:this|these|those|such(?! as\b)|he|she|him|his|her|hers|they|them|their|theirs|former|latter"
    r"|aforementioned|above-mentioned)\b"
    # "The first is when ...", "the second of these": an ordinal standing for a noun said before
    # ("the first global programme" names its noun and stands alone).
    r"|\bthe (?:first|second|third|fourth|two|three|four)(?= (?:is|are|was|were|has|have|can|may|ones?|of)\b|[,.;:])"
    r"|\bthe others?\b|^(?:in|for|on|at|by|with|unlike) (?:the )?other\b",
    re.IGNORECASE,
)
_EARLY_IT = re.compile(r"^(?:\S+\s+){0,3}(?:it|its)\b", re.IGNORECASE)
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
    return bool(_ANAPHORA_EN.search(text) or _EARLY_IT.search(text))
