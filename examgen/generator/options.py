"""What a caller may ask of the generator."""

from __future__ import annotations

from dataclasses import dataclass

QUESTION_TYPES = ("mcq", "cloze", "true_false")
LANGUAGES = ("auto", "en", "zh")


@dataclass(frozen=True)
class ExamOptions:
    num_questions: int = 10
    """A maximum, 1..100: a document with fewer good sentences gives fewer questions."""
    types: tuple[str, ...] = QUESTION_TYPES
    title: str | None = None
    language: str = "auto"
    """auto | en | zh: forces the text pipeline (and the exam's language) when not auto."""

    def validated(self) -> ExamOptions:
        """The same options with types deduplicated in canonical order; ValueError when invalid."""
        if isinstance(self.num_questions, bool) or not isinstance(self.num_questions, int):
            raise ValueError("num_questions must be a whole number")
        if not 1 <= self.num_questions <= 100:
            raise ValueError("num_questions must be between 1 and 100")
        unknown = [t for t in self.types if t not in QUESTION_TYPES]
        if unknown or not self.types:
            raise ValueError(f"types must be a non-empty subset of {', '.join(QUESTION_TYPES)}")
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
        types = tuple(t for t in QUESTION_TYPES if t in self.types)
        title = " ".join(self.title.split())[:200] if self.title else None
        return ExamOptions(self.num_questions, types, title or None, self.language)

    def fingerprint(self) -> str:
        """A stable text of the options for seeding (repr of a tuple would do too, but this reads)."""
        return f"{self.num_questions}|{','.join(self.types)}|{self.title or ''}|{self.language}"
