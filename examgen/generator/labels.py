"""The few words exports put around questions, in the exam's language (each language's profile)."""

from __future__ import annotations

from collections.abc import Mapping

from .lang import profile


def labels(language: str) -> Mapping[str, str]:
    return profile(language).labels


def page_label(language: str, page: int) -> str:
    pattern = labels(language)["page"]
    return pattern.format(page) if "{}" in pattern else f"{pattern} {page}"


def explanation(source_text: str, source_page: int, language: str, given: str = "") -> str:
    """Why the key is right, in a line: the sentence of the text it comes from, and its page. A model's
    own explanation, when it gave one, is kept."""
    if given.strip():
        return given.strip()
    page = page_label(language, source_page)
    return labels(language)["explanation"].format(page=page, text=source_text)
