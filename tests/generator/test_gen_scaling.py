"""What a document costs grows no faster than its text (issue 12 item 3), and is bounded.

No test here asserts seconds: each compares two sizes measured in the same run and asserts the ratio
of the time per character, with margins wide enough for a loaded two-core CI box (linear code comes
out near 1x; the quadratic sentence splitter this replaced came out near the size ratio, 8x). The
big case runs in a forked child with a deadline, so super-linear code fails in seconds instead of
running for the quarter of an hour it would take.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import time
from collections.abc import Callable
from functools import cache

import pytest
from big_fixture import big_page_pdf, prose
from chinese_fixture import CHAPTERS

from examgen.generator import ExamOptions, extract, generate_exam, pipeline, stages
from examgen.generator.extract import RawPdf, read_pages
from examgen.generator.keyphrases_zh import segmenter
from examgen.generator.layout import Document
from examgen.generator.page_cost import MAX_DOCUMENT_CHARS
from examgen.generator.sentences import Sentence, split_sentences
from examgen.generator.stages import ANALYSED_CHARS_ZH, analysed

# Starts processes (forked children with deadlines, `examgen generate`): in `make test`, not `make test-fast`.
pytestmark = pytest.mark.procs

SMALL, BIG = 125_000, 1_000_000
GROWTH = 3.0  # allowed growth of the time per character from SMALL to BIG


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def _child(work: Callable[[], object], results: multiprocessing.SimpleQueue[float]) -> None:
    # The child inherits the whole test session's heap; frozen, the collector's full passes skip it,
    # so they cost what the work allocates and not what happened to be alive when it forked.
    gc.freeze()
    results.put(_timed(work))


def _timed_with_deadline(work: Callable[[], object], deadline: float) -> float:
    """Seconds `work` took in a forked child; infinity when it was still running after `deadline`."""
    context = multiprocessing.get_context("fork")
    results: multiprocessing.SimpleQueue[float] = context.SimpleQueue()
    child = context.Process(target=_child, args=(work, results))
    child.start()
    child.join(deadline)
    if child.is_alive():
        child.kill()
        child.join()
        return float("inf")
    return results.get() if not results.empty() else float("inf")


def _assert_linear(
    run: Callable[[int], Callable[[], object]], what: str, sizes: tuple[int, int] = (SMALL, BIG)
) -> None:
    low, high = sizes
    small_work, big_work = run(low), run(high)
    small_work()  # lazy loads (word lists, compiled patterns) happen here, before any child forks
    # Both sizes run in forked children (the same heap, the same collector state), the best of a
    # few tries each: a loaded CI box slows single runs, never the best one by the size ratio.
    small = min(_timed_with_deadline(small_work, deadline=600.0) for _ in range(3))
    limit = GROWTH * small * high / low
    big = float("inf")
    for _ in range(2):
        big = min(big, _timed_with_deadline(big_work, deadline=limit + 5.0))
        if big <= limit:
            break
    growth = (big / high) / (small / low)
    assert growth <= GROWTH, f"{what}: time per character grew {growth:.1f}x from {low:,} to {high:,} characters"


@cache
def _pages(chars: int) -> RawPdf:
    return read_pages(big_page_pdf(chars), 10, engine="pypdf")


def test_generator_time_per_character_does_not_grow(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every stage after extraction (layout, language, sentences, filters, key phrases, ranking,
    distractors, questions, validation) on one generated page of 1 MB of text, all of it analysed
    (the sampling above ANALYSED_CHARS would hide a stage that grows too fast)."""
    monkeypatch.setattr(stages, "ANALYSED_CHARS", 2 * BIG)

    def run(chars: int) -> Callable[[], object]:
        raw = _pages(chars)

        def work() -> object:
            monkeypatch.setattr(pipeline, "read_pages", lambda *args, **kwargs: raw)
            return generate_exam(b"%PDF-", "big.pdf", ExamOptions(), max_pages=10)

        return work

    _assert_linear(run, "generate_exam after extraction")


def test_chinese_time_per_character_does_not_grow(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Chinese path (jieba) from text to exam, below its analysis budget (ANALYSED_CHARS_ZH)."""
    base = "".join(paragraph for _, paragraphs in CHAPTERS for paragraph in paragraphs)

    def run(chars: int) -> Callable[[], object]:
        text = "".join(f"第{i}节。{base}" for i in range(chars // len(base) + 1))[:chars]
        raw = RawPdf(pages=[text], image_pages=0, title=None, letters=len(text))

        def work() -> object:
            monkeypatch.setattr(pipeline, "read_pages", lambda *args, **kwargs: raw)
            return generate_exam(b"%PDF-", "zh.pdf", ExamOptions(), max_pages=10)

        return work

    segmenter()  # jieba's dictionary loads once per process, outside the measurement
    _assert_linear(run, "generate_exam on Chinese text", (ANALYSED_CHARS_ZH // 5, ANALYSED_CHARS_ZH))


def test_sentence_splitting_time_per_character_does_not_grow() -> None:
    def run(chars: int) -> Callable[[], object]:
        doc = Document(prose(chars), (0,))  # one paragraph: the splitter's worst case
        return lambda: split_sentences(doc, "en")

    _assert_linear(run, "split_sentences")


def test_a_huge_page_is_read_only_as_far_as_a_bound() -> None:
    """pypdf's extraction is quadratic in a page's text (7.1); a 4 MB page must not cost 16 times a
    1 MB one, and what is read is the page's beginning."""
    huge = big_page_pdf(4 * BIG)
    normal = min(_timed(lambda: read_pages(big_page_pdf(BIG), 10, engine="pypdf")) for _ in range(1))
    cost = _timed_with_deadline(lambda: read_pages(huge, 10, engine="pypdf"), deadline=8 * normal + 5.0)
    assert cost <= 6 * normal, f"a 4 MB page took {cost / normal:.1f}x a 1 MB one"
    text = read_pages(huge, 10, engine="pypdf").pages[0]
    assert BIG <= len(text) < 2 * BIG
    assert _pages(BIG).pages[0][:10_000] == text[:10_000]


def test_reading_stops_after_a_very_large_books_text() -> None:
    asked: list[int] = []

    def page_text(index: int) -> str:
        asked.append(index)
        return "word " * 200_000  # a million characters

    raw = extract._collect(20, page_text, lambda index: False, None, None)
    read = MAX_DOCUMENT_CHARS // 1_000_000 + 1
    assert asked == list(range(read))
    assert [bool(text) for text in raw.pages] == [True] * read + [False] * (20 - read)


def _sentences(count: int, length: int) -> list[Sentence]:
    text = "x" * (length - 1) + "."
    return [Sentence(i, text, i * (length + 1), 1) for i in range(count)]


def test_analysed_sentences_are_bounded_and_spread_evenly() -> None:
    few = _sentences(50, 100)
    assert analysed(few, budget=10_000) == list(range(50))
    many = _sentences(100_000, 100)  # 10 MB of sentences, a budget of 1 MB
    kept = analysed(many, budget=1_000_000)
    assert 9_900 <= len(kept) <= 10_000
    assert kept[0] < 20 and kept[-1] > 99_980
    gaps = {b - a for a, b in itertools.pairwise(kept)}
    assert gaps == {10}
    assert analysed(many, budget=1_000_000) == kept
