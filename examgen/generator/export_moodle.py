"""The exam as Moodle XML (multichoice, shortanswer, truefalse), built with xml.etree.

ElementTree escapes for XML. Question and option texts are declared as HTML, so they are also
HTML-escaped first: Moodle then shows "<script>" as text instead of running it.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET

from .exam import Exam
from .question_types import Cloze, Mcq, Question, TrueFalse

_TYPES = {"mcq": "multichoice", "cloze": "shortanswer", "true_false": "truefalse"}


def _text(parent: ET.Element, tag: str, value: str, fmt: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, {"format": fmt, **attrs} if fmt else attrs)
    ET.SubElement(node, "text").text = value
    return node


def _answer(parent: ET.Element, fraction: int, value: str, fmt: str) -> None:
    node = _text(parent, "answer", value, fmt, fraction=str(fraction))
    _text(node, "feedback", "", "html")


def _question(quiz: ET.Element, question: Question) -> None:
    node = ET.SubElement(quiz, "question", {"type": _TYPES[question.type]})
    _text(node, "name", question.id)
    _text(node, "questiontext", html.escape(question.prompt), "html")
    source = question.explanation or f"p. {question.source_page}: {question.source_text}"
    _text(node, "generalfeedback", html.escape(source), "html")
    ET.SubElement(node, "defaultgrade").text = "1"
    ET.SubElement(node, "hidden").text = "0"
    match question:
        case Mcq():
            ET.SubElement(node, "penalty").text = "0.3333333"
            ET.SubElement(node, "single").text = "true"
            ET.SubElement(node, "shuffleanswers").text = "true"
            ET.SubElement(node, "answernumbering").text = "abc"
            for option in question.options:
                _answer(node, 100 if option == question.answer else 0, html.escape(option), "html")
        case Cloze():
            ET.SubElement(node, "penalty").text = "0.3333333"
            ET.SubElement(node, "usecase").text = "0"
            # Short answers are compared as plain text, where "*" is Moodle's wildcard.
            for accepted in question.answers():
                _answer(node, 100, accepted.replace("*", "\\*"), "moodle_auto_format")
        case TrueFalse():
            ET.SubElement(node, "penalty").text = "1"
            _answer(node, 100 if question.answer else 0, "true", "moodle_auto_format")
            _answer(node, 0 if question.answer else 100, "false", "moodle_auto_format")


def render_moodle(exam: Exam) -> str:
    quiz = ET.Element("quiz")
    category = ET.SubElement(quiz, "question", {"type": "category"})
    _text(category, "category", f"$course$/examgen/{' '.join((exam.title or 'exam').split())}")
    for question in exam.questions:
        _question(quiz, question)
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"
