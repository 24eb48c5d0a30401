"""The exam as an IMS QTI 1.2 content package: a zip Canvas imports as a quiz.

The zip holds `imsmanifest.xml` (IMS Content Packaging 1.1) naming one resource of type
`imsqti_xmlv1p2`, and that resource's file, `<ident>/<ident>.xml`: a `questestinterop` with one
`assessment` whose `section` holds an `item` per question. Canvas reads each item's
`question_type` from its metadata: mcq is `multiple_choice_question`, true/false
`true_false_question` (the same single-choice structure with two choices), cloze
`short_answer_question` (a fill-in-the-blank field compared with the answer). The correct choice
sets SCORE to 100. Element order follows the QTI 1.2 ASI DTD. Texts are declared text/plain, so
they are never read as HTML; the zip's timestamps are fixed so the same exam gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping

from .exam import Exam
from .labels import labels
from .question_types import Cloze, Mcq, Question, TrueFalse

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
_TYPES = {"mcq": "multiple_choice_question", "true_false": "true_false_question", "cloze": "short_answer_question"}
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, attrs)
    if text is not None:
        node.text = text
    return node


def _material(parent: ET.Element, text: str) -> None:
    _sub(_sub(parent, "material"), "mattext", " ".join(str(text).split()), texttype="text/plain")


def _metadata(parent: ET.Element, fields: dict[str, str]) -> None:
    meta = _sub(parent, "qtimetadata")
    for label, entry in fields.items():
        field = _sub(meta, "qtimetadatafield")
        _sub(field, "fieldlabel", label)
        _sub(field, "fieldentry", entry)


def _scoring(item: ET.Element, correct: str) -> None:
    processing = _sub(item, "resprocessing")
    outcomes = _sub(processing, "outcomes")
    _sub(outcomes, "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    condition = _sub(processing, "respcondition", **{"continue": "No"})
    _sub(_sub(condition, "conditionvar"), "varequal", correct, respident="response1")
    _sub(condition, "setvar", "100", action="Set", varname="SCORE")


def _item(section: ET.Element, question: Question, words: Mapping[str, str]) -> None:
    qid = question.id
    item = _sub(section, "item", ident=qid, title=qid)
    _metadata(_sub(item, "itemmetadata"), {"question_type": _TYPES[question.type], "points_possible": "1.0"})
    presentation = _sub(item, "presentation")
    _material(presentation, question.prompt)
    match question:
        case Cloze():
            response = _sub(presentation, "response_str", ident="response1", rcardinality="Single")
            _sub(_sub(response, "render_fib"), "response_label", ident=f"{qid}_answer", rshuffle="No")
            _scoring(item, question.answer)
            return
        case Mcq():
            choices = list(question.options)
            correct = choices.index(question.answer) if question.answer in choices else -1
        case TrueFalse():
            choices = [words["true"], words["false"]]
            correct = 0 if question.answer else 1
    response = _sub(presentation, "response_lid", ident="response1", rcardinality="Single")
    render = _sub(response, "render_choice", shuffle="No")
    for index, choice in enumerate(choices):
        _material(_sub(render, "response_label", ident=f"{qid}_{index}"), choice)
    _scoring(item, f"{qid}_{correct}")


def _ident(exam: Exam) -> str:
    basis = f"{exam.source.sha256}:{exam.title}:{exam.variant or ''}"
    return "g" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    body = bytes(ET.tostring(root, encoding="utf-8", xml_declaration=False))
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def assessment_xml(exam: Exam, ident: str) -> bytes:
    root = ET.Element("questestinterop", {"xmlns": QTI_NS})
    title = " ".join(exam.title.split()) or "exam"
    assessment = _sub(root, "assessment", ident=ident, title=title)
    _metadata(assessment, {"cc_maxattempts": "1"})
    section = _sub(assessment, "section", ident="root_section")
    words = labels(exam.language or "en")
    for question in exam.questions:
        _item(section, question, words)
    return _xml(root)


def manifest_xml(ident: str, href: str) -> bytes:
    root = ET.Element("manifest", {"identifier": f"{ident}_manifest", "xmlns": CP_NS})
    metadata = _sub(root, "metadata")
    _sub(metadata, "schema", "IMS Content")
    _sub(metadata, "schemaversion", "1.1.3")
    _sub(root, "organizations")
    resources = _sub(root, "resources")
    resource = _sub(resources, "resource", identifier=ident, type="imsqti_xmlv1p2", href=href)
    _sub(resource, "file", href=href)
    return _xml(root)


def render_qti(exam: Exam) -> bytes:
    ident = _ident(exam)
    href = f"{ident}/{ident}.xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (("imsmanifest.xml", manifest_xml(ident, href)), (href, assessment_xml(exam, ident))):
            archive.writestr(zipfile.ZipInfo(name, date_time=_FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
