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

from .lang.profile import words_of
from .sentences import Sentence
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


# Tags that may stand inside a noun phrase ("磁流体动力学理论", "自由电子气", "结晶学原胞"), and that may end one.
_INSIDE = ("n", "vn", "an", "a", "b", "j", "l", "eng", "x", "ng", "nz", "f", "s", "m", "q", "k", "h", "g", "t")
_LAST = ("n", "vn", "an", "j", "l", "eng", "ng", "nz", "k", "g", "s")
_NEGATIONS = frozenset("不非无反")
# Characters that prefix a term and belong to it ("准中性", "超导体", "亚稳态").
_PREFIXES = frozenset("准非超亚半反逆类次伪")


def words(text: str) -> list[str]:
    return [str(pair.word) for pair in segmenter().cut(text) if str(pair.word).strip()]


def first_word(text: str) -> str:
    for pair in segmenter().cut(text):
        if str(pair.word).strip():
            return str(pair.word)
    return ""


def opens_with_verb(text: str) -> bool:
    """The text's first word is a verb other than a copula ("探测晶体的…" describes a use, not a thing)."""
    for pair in segmenter().cut(text):
        word, flag = str(pair.word), str(pair.flag)
        if word.strip():
            return flag.startswith("v") and word not in {"是", "指", "为", "由", "有", "具有", "属于"}
    return False


def noun_phrase(text: str) -> bool:
    """jieba reads `text` as a noun phrase: its last word a noun, no verb, preposition or conjunction."""
    pairs = [(p.word, p.flag) for p in segmenter().cut(text) if p.word.strip()]
    if not pairs or not pairs[-1][1].startswith(_LAST):
        return False
    for index, (word, flag) in enumerate(pairs):
        if flag.startswith(_INSIDE) or word in _NEGATIONS:
            continue  # "漂移不稳定性", "非晶体": a negation inside a term is part of it
        if flag.startswith("v") and len(word) >= 2 and index < len(pairs) - 1:
            continue  # a verb modifying the head noun: "漂移|不稳定性", "屏蔽|效应"
        return False
    return not any(word in {"的", "是", "在", "和", "与", "或", "时", "中"} for word, _ in pairs[:-1])


def cuts_word(text: str, start: int, end: int) -> bool:
    """The span begins or ends inside one of jieba's words ("释|放出")."""
    at = 0
    for pair in segmenter().cut(text):
        word_start, word_end = at, at + len(pair.word)
        if word_start < start < word_end or word_start < end < word_end:
            return True
        at = word_end
    return False


def glued_to_noun(text: str, start: int, end: int) -> bool:
    """A noun-like word of the sentence runs on right before or after the span without a break:
    the span is part of a longer term ("体心" of 体心立方格子)."""
    at = 0
    words = [(p.word, p.flag) for p in segmenter().cut(text)]
    before_flag, after = "", -1
    for i, (word, flag) in enumerate(words):
        word_start, word_end = at, at + len(word)
        if word_start < start < word_end or word_start < end < word_end:
            return True  # the span cuts a word of jieba's in two
        if word_end == start:
            before_flag = flag
        if word_start == end:
            after = i
        at = word_end
    nounish = ("n", "vn", "an", "eng", "j", "l", "ng", "nz", "b", "k", "q", "m")
    if before_flag.startswith(nounish) or text[start - 1 : start] in _PREFIXES:
        return True  # "准|电中性", "非|线性": a prefix of the term stays outside the blank
    if after < 0:
        return False
    flag = words[after][1]
    # "麦克斯韦|分布的": a noun before a verb that is itself the head of a noun phrase.
    nominal = flag.startswith("v") and after + 1 < len(words) and words[after + 1][0] == "的"
    return flag.startswith(nounish) or nominal


def subject_first(text: str) -> bool:
    """The sentence opens with its subject (a noun phrase, a name) or a condition (当…时, 在…中, 如果…):
    not with a verb or an adverb, which a fragment of a longer sentence or a table cell does."""
    for pair in segmenter().cut(text):
        word, flag = str(pair.word), str(pair.flag)
        if not word.strip() or (flag == "x" and word in "“”\"'（("):
            continue
        if flag.startswith("p"):
            # "在…中，X 是…": a frame, then the subject after the comma; without one, a fragment.
            return word in {"当", "在", "对于", "由于", "因为"} and ("，" in text or "," in text)
        if flag.startswith("c"):
            return word in {"如果", "若", "只要", "只有", "虽然", "尽管"}
        return flag.startswith(("n", "vn", "j", "l", "eng", "b", "a", "t", "s", "r", "k"))
    return False


def is_name(term: str) -> bool:
    """jieba reads the term as a person's name (nr): a guess it often cuts wrong."""
    pairs = [p for p in segmenter().cut(term) if str(p.word).strip()]
    return len(pairs) == 1 and str(pairs[0].flag).startswith("nr")


def stands_as_word(term: str, text: str, looks: int = 3) -> bool:
    """Somewhere in the text the term stands as a word of its own, not glued to a noun before it
    ("半径效应" occurs only in 有限拉莫尔半径效应: no term by itself)."""
    start, seen = text.find(term), 0
    while start >= 0 and seen < looks:
        seen += 1
        lo = max(0, start - 12)
        window = text[lo : start + len(term) + 12]
        if not glued_to_noun(window, start - lo, start - lo + len(term)):
            return True
        start = text.find(term, start + 1)
    return seen == 0


def miscut(term: str, text: str) -> bool:
    """jieba cut the term out of a longer word: wherever the text uses it, the character before it
    and its first character make a dictionary word ("中|性气体" of 中性气体, "金|属键" of 金属键)."""
    frequencies, _ = _background()
    seen = cut = 0
    start = text.find(term)
    while start >= 0 and seen < 8:
        seen += 1
        before = text[start - 1 : start] if start else ""
        if before and "\u4e00" <= before <= "\u9fff" and frequencies.get(before + term[0], 0) > 0:
            cut += 1
        start = text.find(term, start + 1)
    return seen > 0 and cut == seen


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
    where: defaultdict[str, list[int]] = defaultdict(list)
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
            where[word].append(sentence.index)
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
        terms[word] = Term(word, word, kind, f"{len(word)}:{flag}", 1, tf[word], score, where=tuple(where[word]))

    reference = median([t.score for t in terms.values()]) if terms else 1.0
    for index in sorted(found_in):
        text = sentences[index].text
        for number in find_numbers(text, chinese=True):
            if number.kind == "number" and number.value < 2:
                continue
            key = number.text
            if key not in terms:
                terms[key] = Term(key, key, number.kind, number.unit, 1, 1, reference, where=(index,))
            found_in[index].append((number.start, number.end, key))

    analysis = Analysis(terms=terms)
    for index in sorted(usable):
        occurrences = [Occurrence(terms[w], s, e) for s, e, w in found_in.get(index, ()) if w in terms]
        occurrences.sort(key=lambda o: (-o.term.score, o.start))
        analysis.occurrences[index] = occurrences
    return analysis
