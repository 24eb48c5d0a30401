"""The exam as Moodle XML (multichoice, shortanswer, truefalse), built with xml.etree.

ElementTree escapes for XML. Question and option texts are declared as HTML, so they are also
HTML-escaped first: Moodle then shows "<script>" as text instead of running it.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from typing import Any

_TYPES = {"mcq": "multichoice", "cloze": "shortanswer", "true_false": "truefalse"}


def _text(parent: ET.Element, tag: str, value: str, fmt: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, {"format": fmt, **attrs} if fmt else attrs)
    ET.SubElement(node, "text").text = value
    return node


def _answer(parent: ET.Element, fraction: int, value: str, fmt: str) -> None:
    node = _text(parent, "answer", value, fmt, fraction=str(fraction))
    _text(node, "feedback", "", "html")


def _question(quiz: ET.Element, question: dict[str, Any]) -> None:
    kind = str(question.get("type"))
    node = ET.SubElement(quiz, "question", {"type": _TYPES[kind]})
    _text(node, "name", str(question.get("id", "")))
    _text(node, "questiontext", html.escape(str(question.get("prompt", ""))), "html")
    source = question.get("explanation") or f"p. {question.get('source_page')}: {question.get('source_text', '')}"
    _text(node, "generalfeedback", html.escape(str(source)), "html")
    ET.SubElement(node, "defaultgrade").text = "1"
    ET.SubElement(node, "hidden").text = "0"
    answer = question.get("answer")
    if kind == "mcq":
        ET.SubElement(node, "penalty").text = "0.3333333"
        ET.SubElement(node, "single").text = "true"
        ET.SubElement(node, "shuffleanswers").text = "true"
        ET.SubElement(node, "answernumbering").text = "abc"
        for option in question.get("options") or []:
            _answer(node, 100 if option == answer else 0, html.escape(str(option)), "html")
    elif kind == "cloze":
        ET.SubElement(node, "penalty").text = "0.3333333"
        ET.SubElement(node, "usecase").text = "0"
        # Short answers are compared as plain text, where "*" is Moodle's wildcard.
        for accepted in question.get("accepted_answers") or [answer]:
            _answer(node, 100, str(accepted).replace("*", "\\*"), "moodle_auto_format")
    else:
        ET.SubElement(node, "penalty").text = "1"
        _answer(node, 100 if answer is True else 0, "true", "moodle_auto_format")
        _answer(node, 100 if answer is False else 0, "false", "moodle_auto_format")


def render_moodle(exam: dict[str, Any]) -> str:
    quiz = ET.Element("quiz")
    category = ET.SubElement(quiz, "question", {"type": "category"})
    _text(category, "category", f"$course$/examgen/{' '.join(str(exam.get('title', 'exam')).split())}")
    for question in exam.get("questions", []):
        if question.get("type") in _TYPES:
            _question(quiz, question)
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"
