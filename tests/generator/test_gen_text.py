"""Line joining, header removal, sentence splitting and language detection, mostly as properties."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from examgen.generator.lang import profile
from examgen.generator.language import detect_language
from examgen.generator.layout import build_document
from examgen.generator.sentences import split_sentences

ABBREVIATIONS = profile("en").abbreviations

WORDS = st.sampled_from(
    ["the", "model", "network", "river", "data", "value", "system", "method", "course", "theory", "graph", "layer"]
)
CJK = st.text(
    alphabet=st.sampled_from("光合作用叶绿体细胞网络协议数据传输层历史朝代科学技术发明"), min_size=1, max_size=30
)


def _sentence(words: list[str], end: str = ".") -> str:
    return " ".join(words).capitalize() + end


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(WORDS, min_size=2, max_size=12), min_size=1, max_size=12), st.data())
def test_sentences_are_exact_slices_in_order(sentences: list[list[str]], data: st.DataObject) -> None:
    ends = [data.draw(st.sampled_from([".", "!", "?", "…"])) for _ in sentences]
    text = " ".join(_sentence(words, end) for words, end in zip(sentences, ends, strict=True))
    doc = build_document([text])
    found = split_sentences(doc, "en")
    assert [s.text for s in found] == [_sentence(w, e) for w, e in zip(sentences, ends, strict=True)]
    previous_end = 0
    for sentence in found:
        assert doc.text[sentence.start : sentence.start + len(sentence.text)] == sentence.text
        assert sentence.start >= previous_end and sentence.page == 1
        previous_end = sentence.start + len(sentence.text)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(WORDS, min_size=1, max_size=6),
    st.sampled_from([*sorted(a for a in ABBREVIATIONS if a.isalpha() and len(a) > 1), "e.g", "i.e"]),
    st.lists(WORDS, min_size=1, max_size=6),
    st.sampled_from(["", "Dr", "Fig", "Prof"]),
)
def test_no_split_after_abbreviations(head: list[str], abbreviation: str, tail: list[str], title: str) -> None:
    middle = f"{abbreviation}. {' '.join(tail)}"
    text = f"{' '.join(head).capitalize()} {middle} {title + '. ' if title else ''}Smith went home. Next one."
    found = [s.text for s in split_sentences(build_document([text]), "en")]
    assert found[-1] == "Next one."
    assert len(found) == 2, found


@settings(max_examples=150, deadline=None)
@given(
    st.lists(WORDS, min_size=1, max_size=5),
    st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda x: f"{x:.3f}"),
    st.lists(WORDS, min_size=1, max_size=5),
)
def test_decimals_stay_inside_their_sentence(head: list[str], number: str, tail: list[str]) -> None:
    text = f"{_sentence(head)} The value is {number} {' '.join(tail)}. {_sentence(tail)}"
    found = [s.text for s in split_sentences(build_document([text]), "en")]
    assert len(found) == 3 and number in found[1]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(CJK, st.sampled_from("。！？；")), min_size=1, max_size=10))
def test_chinese_punctuation_ends_sentences(parts: list[tuple[str, str]]) -> None:
    text = "".join(body + end for body, end in parts)
    found = split_sentences(build_document([text]), "zh")
    assert [s.text for s in found] == [body + end for body, end in parts]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from("光合作用叶绿体细胞网络协议数据传输层历史，、"), min_size=40, max_size=400))
def test_chinese_lines_join_without_spaces(text: str) -> None:
    width = 20  # full lines, as a typesetter breaks them: the joined text is the original
    text = "光" + text + "。"
    lines = [text[i : i + width] for i in range(0, len(text), width)]
    doc = build_document(["\n".join(lines)])
    assert doc.text == text


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=6, max_size=14), st.integers(2, 4), WORDS, WORDS)
def test_hyphenation_at_line_end_is_undone(word: str, cut: int, before: str, after: str) -> None:
    filler = "the course describes how a river network is measured and stored in a data model"
    lines = [f"{filler} {before} {word[:cut]}-", f"{word[cut:]} {after} {filler} and more."]
    doc = build_document(["\n".join(lines)])
    assert f" {word} " in doc.text and f"{word[:cut]}-" not in doc.text


def test_compound_hyphen_kept_when_the_document_uses_it() -> None:
    filler = "a long line of ordinary prose text that fills the whole width of the page here"
    page = f"{filler} the well-\nknown result is a well-known fact of {filler}.\nSchwarz-\nWeiß drucken wir."
    text = build_document([page]).text
    assert "the well-known result" in text and "Schwarz-Weiß" in text


def test_running_headers_footers_and_page_numbers_go() -> None:
    body = "The river network is stored as a linear reference system in the national data model."
    pages = [f"Course Notes – Hydrology {n}\n{body} Page {n} adds more text.\n{n}" for n in range(1, 6)]
    doc = build_document(pages)
    assert "Course Notes" not in doc.text
    assert not re.search(r"(^|\n)\d+($|\n)", doc.text)
    assert doc.text.count(body) == 5 and doc.pages == 5
    third = doc.text.index("Page 3")
    assert doc.page_of(third) == 3


def test_sentence_keeps_the_page_it_starts_on() -> None:
    line = "The ordinary line of prose text in this course book fills the whole width of a page"
    pages = [f"{line}.\n{line} and this sentence runs", f"over the page break into the next one.\n{line}."]
    doc = build_document(pages)
    found = split_sentences(doc, "en")
    crossing = next(s for s in found if "runs over the page break" in s.text)
    assert crossing.page == 1 and found[-1].page == 2


def test_ligatures_and_controls_are_normalised() -> None:
    text = build_document(["The deﬁnition of the ﬂow\x00 is ﬀ.\u00ad"]).text
    assert text == "The definition of the flow is ff."


def test_language_detection_and_override() -> None:
    english = "The river network is stored in the data model and the course explains it. " * 5
    german = "Die Topologie ist ein Teilgebiet der Mathematik und wird in der Vorlesung erklärt. " * 5
    chinese = "光合作用是绿色植物利用光能把二氧化碳和水转化为有机物的过程。" * 5
    assert detect_language(english) == "en"
    assert detect_language(german) == "de"
    assert detect_language(chinese) == "zh"
    assert detect_language(english + chinese) == "zh"  # ideographs carry more per character
    assert detect_language(german, "en") == "en" and detect_language(english, "zh") == "zh"
