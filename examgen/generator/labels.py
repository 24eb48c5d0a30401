"""The few words exports put around questions, in the exam's language."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "questions": "Questions",
        "answer_key": "Answer key",
        "true": "True",
        "false": "False",
        "page": "p.",
        "name": "Name",
        "date": "Date",
        "mcq": "Choose the one correct answer.",
        "cloze": "Fill in the blank.",
        "true_false": "True or false?",
        "source": "Source",
        "pages": "pages",
        "questions_count": "questions",
        "explanation": "The text says ({page}): {text}",
    },
    "de": {
        "questions": "Fragen",
        "answer_key": "Lösungen",
        "true": "Wahr",
        "false": "Falsch",
        "page": "S.",
        "name": "Name",
        "date": "Datum",
        "mcq": "Wählen Sie die richtige Antwort.",
        "cloze": "Ergänzen Sie die Lücke.",
        "true_false": "Wahr oder falsch?",
        "source": "Quelle",
        "pages": "Seiten",
        "questions_count": "Fragen",
        "explanation": "Im Text ({page}): {text}",
    },
    "zh": {
        "questions": "试题",
        "answer_key": "参考答案",
        "true": "正确",
        "false": "错误",
        "page": "第{}页",
        "name": "姓名",
        "date": "日期",
        "mcq": "选择正确的答案。",
        "cloze": "填空。",
        "true_false": "判断正误。",
        "source": "来源",
        "pages": "页",
        "questions_count": "题",
        "explanation": "原文（{page}）：{text}",
    },
}


def labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["en"])


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
