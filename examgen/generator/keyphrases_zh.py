"""Key phrases of Chinese documents with jieba: nouns and noun compounds, scored by TF-IDF.

The IDF side comes from jieba's bundled dictionary frequencies (a general-language background), so
"光合作用" outranks "过程" even when both recur in a biology chapter. jieba loads its dictionary once
per process (about a second); its cache file goes to the system temp dir, which is writable even
when the installed package directory is not.
"""

from __future__ import annotations

import logging
import math
import tempfile
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Sequence
from statistics import median
from typing import Any

from .sentences import Sentence
from .stopwords import words_of
from .terms import Analysis, Occurrence, Term, find_numbers

_lock = threading.Lock()
_segmenter: Any = None

# jieba flags that make sensible blanks, and the coarse class a distractor has to share.
_CLASSES = {
    "n": "noun",
    "nz": "noun",
    "nw": "noun",
    "l": "noun",
    "j": "noun",
    "ng": "noun",
    "nr": "person",
    "nrfg": "person",
    "nrt": "person",
    "ns": "place",
    "nt": "org",
    "eng": "latin",
    "t": "time",
}
_COMPOUND_FLAGS = frozenset({"n", "nz", "ng", "j"})
# Words jieba tags as nouns that are verbs or filler in running text, and characters (passive and
# object markers, prepositions) that never open a term.
_WEAK = words_of(
    """
    过程 方面 问题 方法 情况 部分 时候 结果 内容 作用 影响 特点 关系 主要 重要 方式 东西 原因 利用 证明 产生
    储存 提供 使用 包括 进行 通过 实现 发现 研究 发展 建立 提出 采用 获得 具有 成为 称为 认为 表示 需要 可以
    能够 作为 面向 前身 范围 一定 全球 现行 世界 文化 地点 不同 之间 时期 阶段 系统 方向 长度 无法
    """
)
_ADVERBS = ("比较", "非常", "十分", "特别", "已经", "正在", "不断", "逐渐")  # "比较稳定" is no term
_MODALS = frozenset("会能要")
_NUMERALS = frozenset("一二三四五六七八九十两双")
_BAD_FIRST = frozenset("被把将使让对在从由以向与和及或而并且的了着过是为")


def segmenter() -> Any:
    """jieba.posseg, initialised once per process whichever thread asks first."""
    global _segmenter
    with _lock:
        if _segmenter is None:
            import jieba
            import jieba.posseg

            jieba.setLogLevel(logging.WARNING)
            jieba.dt.tmp_dir = tempfile.gettempdir()
            jieba.initialize()
            _segmenter = jieba.posseg
    return _segmenter


def _background() -> tuple[dict[str, int], int]:
    dictionary = segmenter().dt.tokenizer
    return dictionary.FREQ, dictionary.total


def _tokens(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, word, flag); jieba's pieces cover the text exactly, so offsets add up."""
    out, offset = [], 0
    for pair in segmenter().cut(text):
        word, flag = pair.word, pair.flag
        out.append((offset, offset + len(word), word, flag))
        offset += len(word)
    return out


def _good(word: str, flag: str) -> bool:
    return (
        flag in _CLASSES
        and len(word) >= 2
        and word not in _WEAK
        and word[0] not in _BAD_FIRST
        and not word.startswith(_ADVERBS)
    )


def _candidates(
    text: str,
    tokens: list[tuple[int, int, str, str]],
    compound_ok: Callable[[str], bool] = lambda _: True,
    refused: list[tuple[int, int]] | None = None,
) -> list[tuple[int, int, str, str]]:
    """Nouns, and runs of adjacent nouns as one compound ("类囊体 薄膜" -> "类囊体薄膜") when
    compound_ok says the document uses that compound as a term; else its nouns count alone, and the
    run's span goes to `refused`."""
    found = []
    i = 0
    while i < len(tokens):
        start, end, word, flag = tokens[i]
        j = i
        while (
            j + 1 < len(tokens)
            and tokens[j][3] in _COMPOUND_FLAGS
            and tokens[j + 1][3] in _COMPOUND_FLAGS
            and tokens[j + 1][1] - start <= 6
        ):
            j += 1
        compound = text[start : tokens[j][1]]
        if (
            j > i
            and compound[0] not in _BAD_FIRST
            and not any(t[2] in _WEAK for t in tokens[i : j + 1])
            and compound_ok(compound)
        ):
            found.append(_with_numeral(text, tokens, i, (start, tokens[j][1], compound, "n")))
            i = j + 1
            continue
        if j > i and refused is not None:
            refused.append((start, tokens[j][1]))
        # "学生会 遇到" is 学生 会遇到: a noun ending in a modal before a verb was cut in the wrong place.
        misread = word[-1] in _MODALS and i + 1 < len(tokens) and tokens[i + 1][3].startswith("v")
        if _good(word, flag) and not misread:
            found.append(_with_numeral(text, tokens, i, (start, end, word, flag)))
        i += 1
    return found


def _with_numeral(
    text: str, tokens: list[tuple[int, int, str, str]], i: int, found: tuple[int, int, str, str]
) -> tuple[int, int, str, str]:
    """ "三 磷酸腺苷": a numeral glued in front belongs to the term (三磷酸腺苷, ATP), never to the stem."""
    if i > 0 and tokens[i - 1][3] == "m" and tokens[i - 1][2] in _NUMERALS:
        start = tokens[i - 1][0]
        return (start, found[1], text[start : found[1]], found[3])
    return found


def analyze_chinese(sentences: Sequence[Sentence], usable: Collection[int], prose: Collection[int]) -> Analysis:
    tf: Counter[str] = Counter()
    spread: Counter[str] = Counter()
    flags: defaultdict[str, Counter[str]] = defaultdict(Counter)
    where: defaultdict[str, list[float]] = defaultdict(list)
    found_in: dict[int, list[tuple[int, int, str]]] = {}
    # formulas and table cells add nothing a question could use
    tokens = {i: _tokens(sentences[i].text) for i in sorted(set(prose))}
    # A run of nouns is a term when the document repeats it; once, it is as likely two words that
    # happen to meet ("时 无法", "神经网络 学会").
    compounds: Counter[str] = Counter()

    def tally(compound: str) -> bool:
        compounds[compound] += 1
        return True

    for index, sentence_tokens in tokens.items():
        _candidates(sentences[index].text, sentence_tokens, tally)
    for index, sentence_tokens in tokens.items():
        sentence = sentences[index]
        spans = []
        refused: list[tuple[int, int]] = []
        found = _candidates(sentence.text, sentence_tokens, lambda c: compounds[c] >= 2, refused)
        for start, end, word, flag in found:
            tf[word] += 1
            flags[word][flag] += 1
            # A noun inside a run that is not a term ("三磷酸|腺苷"): a blank there would cut a word
            # in two, so it counts for statistics and distractors but is never a key here.
            if not any(low <= start and end <= high for low, high in refused):
                spans.append((start, end, word))
        for word in dict.fromkeys(w for _, _, w, _ in found):
            spread[word] += 1
            where[word].append(sentence.index / max(1, len(sentences)))
        found_in[sentence.index] = spans

    freq, total_freq = _background()
    count = max(1, len(found_in))
    terms: dict[str, Term] = {}
    for word in tf:
        if tf[word] < 2 and not freq.get(word):
            continue  # a word jieba guessed (not in its dictionary), seen once: likely a misreading
        flag = flags[word].most_common(1)[0][0]
        specificity = math.log(total_freq / (freq.get(word, 0) + 1))
        score = (0.5 + math.log1p(tf[word])) * math.log1p(count / spread[word]) * specificity / 12
        score *= min(len(word), 6) / 4
        kind = f"zh:{_CLASSES.get(flag, 'noun')}"
        terms[word] = Term(word, word, kind, f"{len(word)}:{flag}", 1, tf[word], score, places=tuple(where[word]))

    reference = median([t.score for t in terms.values()]) if terms else 1.0
    for index in sorted(found_in):
        text = sentences[index].text
        for number in find_numbers(text, chinese=True):
            if number.kind == "number" and number.value < 2:
                continue
            key = number.text
            if key not in terms:
                place = (index / max(1, len(sentences)),)
                terms[key] = Term(key, key, number.kind, number.unit, 1, 1, reference, places=place)
            found_in[index].append((number.start, number.end, key))

    analysis = Analysis(terms=terms)
    for index in sorted(usable):
        occurrences = [Occurrence(terms[w], s, e) for s, e, w in found_in.get(index, ()) if w in terms]
        occurrences.sort(key=lambda o: (-o.term.score, o.start))
        analysis.occurrences[index] = occurrences
    return analysis
