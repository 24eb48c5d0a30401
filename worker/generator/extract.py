"""Reading PDFs with pypdf: the cheap upload check and per-page text extraction.

Every pypdf failure mode ends here as a PdfProblem (or an empty page): hostile files can raise
PdfReadError, LimitReachedError (a PyPdfError, not a PdfReadError), DependencyError (neither), or any
other exception from deep inside the parser, and none of that may reach a user or kill a worker.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, WrongPasswordError

from .errors import PdfProblem

# pypdf reports every oddity of a file through logging; on hostile input that is thousands of lines
# in the worker log, and none of it is actionable. Errors still get through.
logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass(frozen=True)
class RawPdf:
    pages: list[str]
    """extract_text() of every page, in order ("" for a page pypdf could not read)."""
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


def _open(data: bytes) -> PdfReader:
    """A reader that is decrypted and whose page tree is known to load; PdfProblem otherwise."""
    if b"%PDF-" not in data[:1024]:
        raise PdfProblem.damaged()
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
    except Exception:
        raise PdfProblem.damaged() from None


def _page_count(reader: PdfReader) -> int:
    try:
        count = len(reader.pages)
    except (FileNotDecryptedError, WrongPasswordError):
        raise PdfProblem.encrypted() from None
    except Exception:
        raise PdfProblem.damaged() from None
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
    # Producers fill the field with file names and placeholders ("Microsoft Word - x.docx", "untitled").
    if not 3 <= len(title) <= 120 or title.lower().startswith(("microsoft", "untitled")) or "." in title[-5:]:
        return None
    return " ".join(title.split())


def read_pages(data: bytes, max_pages: int, on_page: Callable[[int, int], None] | None = None) -> RawPdf:
    """The text of every page. on_page(done, total) is called after each page."""
    with _quiet():
        try:
            reader = _open(data)
            total = _page_count(reader)
        except PdfProblem:
            raise
        except Exception:
            raise PdfProblem.damaged() from None
        if total > max_pages:
            raise PdfProblem.too_many_pages(total, max_pages)
        pages: list[str] = []
        failures = 0
        for index in range(total):
            try:
                pages.append(reader.pages[index].extract_text() or "")
            except Exception:
                # One broken or bomb-like page should not cost the reader the rest of the document.
                failures += 1
                pages.append("")
            if on_page is not None:
                on_page(index + 1, total)
        if failures == total:
            raise PdfProblem.damaged()
        letters = sum(sum(map(str.isalnum, text)) for text in pages)
        image_pages = 0
        if letters < 40 * total:
            image_pages = sum(_has_image(reader, i) for i in range(total))
        return RawPdf(pages=pages, image_pages=image_pages, title=_title(reader), letters=letters)
