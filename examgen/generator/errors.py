"""The one exception the generator lets out: a PDF problem the uploader can fix."""

from __future__ import annotations

from pypdf.errors import LimitReachedError

KINDS = ("encrypted", "damaged", "expands_too_far", "no_text", "too_many_pages", "too_little_text")


class EngineUnavailable(ValueError):
    """The text engine asked for cannot run here: a configuration problem, not the file's."""


class PdfProblem(Exception):
    """A PDF we cannot make an exam from. str(exc) is one sentence a person can act on."""

    def __init__(self, kind: str, sentence: str) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown PdfProblem kind {kind!r}")
        super().__init__(sentence)
        self.kind = kind
        self.sentence = sentence

    def __reduce__(self) -> tuple[type[PdfProblem], tuple[str, str]]:
        # RQ pickles exceptions across processes; the default reduce would call __init__ with one arg.
        return (PdfProblem, (self.kind, self.sentence))

    @classmethod
    def encrypted(cls) -> PdfProblem:
        return cls("encrypted", "The PDF is encrypted (password-protected); upload a copy without a password.")

    @classmethod
    def damaged(cls) -> PdfProblem:
        return cls("damaged", "The PDF is damaged and could not be read; re-export or repair it and upload again.")

    @classmethod
    def expands_too_far(cls) -> PdfProblem:
        return cls(
            "expands_too_far",
            "The PDF's compressed content expands beyond the limit of 75 MB per stream (a decompression "
            "bomb, or a page far larger than any text needs); re-export it and upload again.",
        )

    @classmethod
    def unreadable(cls, *errors: BaseException) -> PdfProblem:
        """What the reader's failures mean: a limit it stopped at, or a file it could not parse."""
        if any(isinstance(error, LimitReachedError) for error in errors):
            return cls.expands_too_far()
        return cls.damaged()

    @classmethod
    def no_text(cls) -> PdfProblem:
        return cls("no_text", "The PDF has no text layer — is it a scan? Run OCR on it first and upload again.")

    @classmethod
    def too_many_pages(cls, pages: int, limit: int) -> PdfProblem:
        return cls(
            "too_many_pages",
            f"The PDF has {pages} pages, over the limit of {limit} pages; split it and upload the parts.",
        )

    @classmethod
    def too_little_text(cls, words: int, *, no_sentences: bool = False) -> PdfProblem:
        unit = "word" if words == 1 else "words"
        if no_sentences:  # plenty of words, but tables, formulas, lists or filler rather than statements
            return cls(
                "too_little_text",
                f"The PDF has too little text to make an exam from ({words} {unit}, but no sentence that states "
                "a definition, property, cause or contrast on its own); upload material with running text, or "
                "check the language option.",
            )
        return cls(
            "too_little_text",
            f"The PDF has too little text to make an exam from ({words} {unit}); "
            "upload a longer document with full sentences.",
        )


class NoNewQuestion(Exception):
    """The source holds no further question of the kind asked for: every sentence good enough for one
    is used by the exam already. str(exc) is one sentence a person can act on."""
