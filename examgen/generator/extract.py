"""Reading PDFs: the cheap upload check (always pypdf) and per-page text extraction (pypdf, or
pypdfium2 with EXAMGEN_PDF_ENGINE=pdfium; docs/pdf-engines.md has the measurements).

Every pypdf failure mode ends here as a PdfProblem (or an empty page): hostile files can raise
PdfReadError, LimitReachedError (a PyPdfError, not a PdfReadError), DependencyError (neither), or any
other exception from deep inside the parser, and none of that may reach a user or kill a worker.
pdfium's failures (PdfiumError with a load error code, or anything else) map to the same kinds.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import threading
import warnings
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, WrongPasswordError

from .errors import EngineUnavailable, PdfProblem
from .page_cost import MAX_DOCUMENT_CHARS, bounded_page

ENGINES = ("pypdf", "pdfium")

# pypdf logs every oddity of a file: thousands of lines on hostile input, none actionable. Errors still show.
logging.getLogger("pypdf").setLevel(logging.ERROR)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RawPdf:
    pages: list[str]
    """The text of every page, in order ("" for a page the engine could not read)."""
    image_pages: int
    """Pages carrying an image XObject; only counted when the text layer is nearly empty."""
    title: str | None
    """The document information title, when it looks like a real title."""
    letters: int
    """Letters and digits in all the pages' text."""


@contextmanager
def _quiet() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _require_header(data: bytes) -> None:
    # Both engines would try to "repair" arbitrary bytes; a file without the header is not a PDF.
    if b"%PDF-" not in data[:1024]:
        raise PdfProblem.damaged()


def _open(data: bytes) -> PdfReader:
    """A reader that is decrypted and whose page tree is known to load; PdfProblem otherwise."""
    _require_header(data)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            # Files with only an owner password (print/copy restrictions) open with the empty user
            # password in every viewer; only a real user password makes the file unreadable to us.
            try:
                opened = reader.decrypt("")
            except (DependencyError, FileNotDecryptedError, WrongPasswordError, NotImplementedError):
                raise PdfProblem.encrypted() from None
            if opened == PasswordType.NOT_DECRYPTED:
                raise PdfProblem.encrypted()
        return reader
    except PdfProblem:
        raise
    except (FileNotDecryptedError, WrongPasswordError):
        raise PdfProblem.encrypted() from None
    except Exception as error:
        raise PdfProblem.unreadable(error) from None


def _page_count(reader: PdfReader) -> int:
    try:
        count = len(reader.pages)
    except (FileNotDecryptedError, WrongPasswordError):
        raise PdfProblem.encrypted() from None
    except Exception as error:
        raise PdfProblem.unreadable(error) from None
    if count < 1:
        raise PdfProblem.damaged()
    return count


def check_pdf_cheaply(data: bytes, max_pages: int) -> int:
    """Called by the web process at upload time: must be cheap (no text extraction; open the reader,
    check encryption, count pages). Returns the page count; raises PdfProblem for encrypted, damaged
    (unreadable structure) or over-page-limit files. Never raises anything else."""
    try:
        with _quiet():
            count = _page_count(_open(data))
    except PdfProblem:
        raise
    except Exception:  # e.g. RecursionError from a reference loop the parser did not catch
        raise PdfProblem.damaged() from None
    if count > max_pages:
        raise PdfProblem.too_many_pages(count, max_pages)
    return count


def _has_image(reader: PdfReader, index: int) -> bool:
    try:
        resources = reader.pages[index].get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        if xobjects is None:
            return False
        return any(x.get_object().get("/Subtype") == "/Image" for x in xobjects.get_object().values())
    except Exception:
        return False


def _title(reader: PdfReader) -> str | None:
    try:
        meta = reader.metadata
        title = str(meta.title).strip() if meta is not None and meta.title else ""
    except Exception:
        return None
    return _clean_title(title)


def _clean_title(title: str) -> str | None:
    # Producers fill the field with file names and placeholders ("Microsoft Word - x.docx", "untitled").
    if not 3 <= len(title) <= 120 or title.lower().startswith(("microsoft", "untitled")) or "." in title[-5:]:
        return None
    return " ".join(title.split())


def read_pages(
    data: bytes, max_pages: int, on_page: Callable[[int, int], None] | None = None, *, engine: str = "pypdf"
) -> RawPdf:
    """The text of every page. on_page(done, total) is called after each page. engine is one of
    ENGINES; EngineUnavailable when it is unknown or its package is not installed."""
    if engine == "pdfium":
        pdfium = _pdfium()
        _require_header(data)
        risk = pdfium_risk(data)
        if risk is None:
            return _read_pages_pdfium(pdfium, data, max_pages, on_page)
        # Not an error: pypdf reads the file with its own limits, so the outcome is the default engine's.
        log.info("reading this PDF with pypdf instead of pdfium: %s", risk)
    elif engine != "pypdf":
        raise EngineUnavailable(f"unknown PDF engine {engine!r}: use one of {', '.join(ENGINES)}")
    with _quiet():
        try:
            reader = _open(data)
            total = _page_count(reader)
        except PdfProblem:
            raise
        except Exception as error:
            raise PdfProblem.unreadable(error) from None
        if total > max_pages:
            raise PdfProblem.too_many_pages(total, max_pages)
        return _collect(
            total,
            lambda index: bounded_page(reader.pages[index]).extract_text() or "",
            lambda index: _has_image(reader, index),
            _title(reader),
            on_page,
        )


def _collect(
    total: int,
    page_text: Callable[[int], str],
    has_image: Callable[[int], bool],
    title: str | None,
    on_page: Callable[[int, int], None] | None,
) -> RawPdf:
    """Every page's text, whichever engine reads it, up to MAX_DOCUMENT_CHARS."""
    pages: list[str] = []
    failures: list[Exception] = []
    read = 0
    for index in range(total):
        try:
            pages.append(page_text(index) if read <= MAX_DOCUMENT_CHARS else "")
            read += len(pages[-1])
        except Exception as error:
            # One broken or bomb-like page should not cost the reader the rest of the document.
            failures.append(error)
            pages.append("")
        if on_page is not None:
            on_page(index + 1, total)
    if len(failures) == total:
        raise PdfProblem.unreadable(*failures)
    letters = sum(sum(map(str.isalnum, text)) for text in pages)
    image_pages = 0
    if letters < 40 * total:
        image_pages = sum(has_image(i) for i in range(total))
    return RawPdf(pages=pages, image_pages=image_pages, title=title, letters=letters)


# pypdfium2: the optional engine. PDFium is not thread-safe and pypdfium2 adds no locking of its
# own; a worker's horse runs one job at a time, but anything else calling read_pages from threads
# must not enter the library twice at once.
_PDFIUM_LOCK = threading.Lock()
# get_text_range() returns U+FFFE where PDFium recognised a hyphen at a line end, and joins the two
# lines around it ("adip\ufffeiscing"). Putting back "-" and the line break gives layout the same
# input as pypdf's, so its rules (vocabulary-checked de-hyphenation, "Schwarz-" + "Weiß") decide.
# get_text_bounded() would give U+0002 instead, which normalize_line would silently drop.
_PDFIUM_TEXT = str.maketrans({"\ufffe": "-\n", "\x02": "-\n", "\r": None})

# PDFium inflates whatever a file asks for: a 1.5 MB page that inflates to 1 GB aborts the process
# under a 1.5 GB memory limit (docs/pdf-engines.md), where pypdf stops at 75 MB per stream with
# LimitReachedError. So before PDFium sees a file, pdfium_risk() inflates its streams itself, with
# pypdf's limit, and anything it cannot vouch for is read by pypdf instead.
_MAX_INFLATED_STREAM = 75_000_000  # pypdf's default zlib output limit: the same bar for both engines
_MAX_INFLATED_TOTAL = 500_000_000  # bounds this scan's own time (about 1 s) on a file of many streams
_MAX_NESTING = 3  # [/FlateDecode /FlateDecode ...]: inflated data that is itself zlib data
_CHUNK = 1 << 16
# Where zlib data can start: a stream's data, and an inline image's data (BI ... ID data EI), which
# PDFium decodes while it reads a page's text. Stream dictionaries are not trusted ("/Subtype /Image"
# on a content stream changes nothing for PDFium), so every stream is measured. Two plain patterns,
# because re finds a literal prefix fast and an alternation of them about 10 times slower. An "ID "
# that is not an inline image costs one look at two bytes, or an inflation of real zlib data.
_STREAM_DATA = re.compile(rb"stream(?:\r\n|\n|\r)")
_INLINE_DATA = re.compile(rb"ID\s")
# What the scan cannot measure: encrypted streams; LZW and run-length filters (no zlib header to
# find); a filter chain that inflates after another filter ([/ASCII85Decode /FlateDecode], also in an
# inline image's /F), or a filter given by reference.
_ENCRYPTED = re.compile(rb"/Encrypt\b")
_OTHER_EXPANDING = re.compile(rb"/(?:LZWDecode|LZW|RunLengthDecode|RL)\b")
_LATE_FLATE = re.compile(
    rb"/F(?:ilter)?\s*\[\s*/(?!FlateDecode\b|Fl\b)[^\]]*/(?:FlateDecode|Fl)\b|/Filter\s+\d+\s+\d+\s+R"
)
# PDF names may spell any byte as #xx, and PDFium reads "/Fl#61teDecode" as /FlateDecode: the
# patterns above would miss a filter or /Encrypt written that way, so such names are decoded and
# checked ("/Times#20New#20Roman" is common and harmless).
_ESCAPED_NAME = re.compile(rb"/[^\s/\[\]<>(){}%#]*(?:#[0-9A-Fa-f]{2}[^\s/\[\]<>(){}%#]*)+")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_WATCHED_NAMES = {b"Encrypt", b"Filter", b"F", b"FlateDecode", b"Fl", b"LZWDecode", b"LZW", b"RunLengthDecode", b"RL"}


def _is_zlib(head: bytes) -> bool:
    # RFC 1950: compression method 8 and a header checksum; PDFium's FlateDecode wants exactly this
    # (raw deflate and gzip data inflate to nothing there, measured).
    return len(head) >= 2 and head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0


def _inflate(data: memoryview, limit: int) -> bytes | None:
    """The zlib stream at the start of data, inflated; None when it inflates to more than limit.
    Fed in chunks, so finding the end of one stream never copies the rest of the file."""
    inflater = zlib.decompressobj()
    parts: list[bytes] = []
    size = 0
    for at in range(0, len(data), _CHUNK):
        try:
            # max_length one past the limit: output that fills it means "over", and output that
            # does not means every input byte was consumed.
            out = inflater.decompress(data[at : at + _CHUNK], limit - size + 1)
        except zlib.error:
            break  # corrupt data ends the stream for PDFium as well
        size += len(out)
        if size > limit:
            return None
        parts.append(out)
        if inflater.eof:
            break
    return b"".join(parts)


def _risk_in(data: bytes, budget: list[int], depth: int) -> str | None:
    """Why data (a file, or an inflated stream) is not safe for PDFium; None when it is.
    budget[0] is the inflated bytes the whole scan may still spend."""
    for name in _ESCAPED_NAME.finditer(data):
        if _ESCAPE.sub(lambda code: bytes([int(code[1], 16)]), name[0][1:]) in _WATCHED_NAMES:
            return "a filter or /Encrypt name written with # escapes"
    if _OTHER_EXPANDING.search(data):
        return "an LZW or run-length filter"
    if _LATE_FLATE.search(data):
        return "a filter chain that inflates after another filter, or an indirect /Filter"
    view = memoryview(data)
    for found in itertools.chain(_STREAM_DATA.finditer(data), _INLINE_DATA.finditer(data)):
        start = found.end()
        if not _is_zlib(data[start : start + 2]):
            continue
        inflated = _inflate(view[start:], min(_MAX_INFLATED_STREAM, budget[0]))
        if inflated is None:
            return "a stream that inflates past 75 MB, or streams past 500 MB in all"
        budget[0] -= len(inflated)
        nested = _is_zlib(inflated[:2])
        if nested and depth >= _MAX_NESTING:
            return "zlib data nested too deep"
        # An inflated stream is searched like a file: content streams hold inline images (and their
        # filter names), and zlib data inside zlib data is the start of a nested bomb.
        risk = _risk_in(b"stream\n" + inflated if nested else inflated, budget, depth + 1)
        if risk is not None:
            return risk
    return None


def pdfium_risk(data: bytes) -> str | None:
    """Why PDFium must not read this file (pypdf reads it instead); None when the scan vouches for
    it. Conservative on purpose: a false alarm costs speed, a miss can cost a worker's memory."""
    if _ENCRYPTED.search(data):
        return "encrypted streams cannot be measured before decryption"
    return _risk_in(data, [_MAX_INFLATED_TOTAL], 0)


def _pdfium() -> ModuleType:
    try:
        import pypdfium2  # type: ignore[import-untyped]
    except ImportError:
        raise EngineUnavailable("the pdfium engine needs pypdfium2: pip install 'examgen[pdfium]'") from None
    module: ModuleType = pypdfium2  # untyped: every use below goes through Any
    return module


def _open_pdfium(pdfium: ModuleType, data: bytes) -> Any:
    try:
        # No password: PDFium, like pypdf's decrypt(""), opens owner-password-only files (print or
        # copy restrictions) and refuses only a real user password.
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        # pypdfium2 5 carries PDFium's load error on the exception; 4.x does not, but PDFium's last
        # error is still this load's (nothing else ran in between: _PDFIUM_LOCK is held).
        code = getattr(error, "err_code", None)
        if code is None:
            code = pdfium.raw.FPDF_GetLastError()
        # FPDF_ERR_PASSWORD (a user password) and FPDF_ERR_SECURITY (a security handler PDFium does
        # not support): either way the text is locked, as pypdf's DependencyError/NotImplementedError.
        if code in (pdfium.raw.FPDF_ERR_PASSWORD, pdfium.raw.FPDF_ERR_SECURITY):
            raise PdfProblem.encrypted() from None
        raise PdfProblem.damaged() from None
    except Exception as error:
        raise PdfProblem.unreadable(error) from None


def _pdfium_page_text(document: Any, index: int) -> str:
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            # get_text_range keeps the content-stream order, as pypdf does; it is limited to UCS-2,
            # which only loses characters outside the Basic Multilingual Plane (rare CJK, math letters).
            text = str(textpage.get_text_range())
        finally:
            textpage.close()
    finally:
        page.close()
    return text.translate(_PDFIUM_TEXT)


def _pdfium_has_image(pdfium: ModuleType, document: Any, index: int) -> bool:
    try:
        page = document[index]
        try:
            # max_depth=1: images placed directly or in a form XObject of the page, as pypdf's check
            # of /Resources /XObject sees them.
            images = page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE], max_depth=1)
            return any(True for _ in images)
        finally:
            page.close()
    except Exception:
        return False


def _pdfium_title(document: Any) -> str | None:
    try:
        return _clean_title(str(document.get_metadata_value("Title") or "").strip())
    except Exception:
        return None


def _read_pages_pdfium(
    pdfium: ModuleType, data: bytes, max_pages: int, on_page: Callable[[int, int], None] | None
) -> RawPdf:
    with _quiet(), _PDFIUM_LOCK:
        document = _open_pdfium(pdfium, data)
        try:
            try:
                total = len(document)
            except Exception:
                raise PdfProblem.damaged() from None
            if total < 1:
                raise PdfProblem.damaged()
            if total > max_pages:
                raise PdfProblem.too_many_pages(total, max_pages)
            return _collect(
                total,
                lambda index: _pdfium_page_text(document, index),
                lambda index: _pdfium_has_image(pdfium, document, index),
                _pdfium_title(document),
                on_page,
            )
        finally:
            document.close()
