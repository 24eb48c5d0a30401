"""Issue 13, the mechanical parts: questions a teacher could hand out, on small texts."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET

import pytest
from gen_helpers import english_pdf_bytes, extracted_text, plain, typed

from examgen.generator import ExamOptions, generate_exam, render_exam
from examgen.generator.chars import normalize_line
from examgen.generator.distractors import DistractorFinder
from examgen.generator.keyphrases_latin import analyze_latin
from examgen.generator.keyphrases_zh import analyze_chinese
from examgen.generator.layout import Document
from examgen.generator.questions import Draft, accepted_answers, assign_types, build_questions
from examgen.generator.select import Candidate, is_usable
from examgen.generator.sentences import Sentence, split_sentences
from examgen.generator.terms import Analysis, Occurrence, Term


def _sentences(texts: list[str]) -> list[Sentence]:
    return [Sentence(i, text, 200 * i, 1) for i, text in enumerate(texts)]


def test_full_width_stops_and_list_items_end_chinese_sentences() -> None:
    doc = Document(
        "光合作用是植物把光能转化为化学能的过程．叶绿体是进行光合作用的场所．步骤如下：1. 光反应；2. 暗反应；", (0,)
    )
    assert [s.text for s in split_sentences(doc, "zh")] == [
        "光合作用是植物把光能转化为化学能的过程．",
        "叶绿体是进行光合作用的场所．",
        "步骤如下：1. 光反应；",
        "暗反应；",
    ]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The first is when the participants disagree because they have opposing consequences.", "en"),
        ("In other systems, judges are appointed by the national parliament of the country.", "en"),
        ("Courts in most federal states review these systems every year.", "en"),
        ("Historians agree that he founded the first university of the region.", "en"),
        ("自从工业革命以来，上文描述的情况已经改变了许多。", "zh"),
        ("在很多国家，本书介绍的方法已经被广泛使用。", "zh"),
        ("植物细胞中，其中叶绿体是最重要的细胞器之一。", "zh"),
    ],
)
def test_stems_that_refer_elsewhere_are_not_used(text: str, lang: str) -> None:
    assert not is_usable(Sentence(0, text, 0, 1), lang)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("In 1974 the World Meteorological Organization launched the first global programme.", "en"),
        ("An aquifer is a layer of permeable rock that stores groundwater and lets it flow to wells.", "en"),
        ("Metals such as copper and silver conduct electricity very well.", "en"),
        ("光合作用是植物把光能转化为化学能的过程。", "zh"),
        ("植物应该在光照充足的地方生长，尤其是水稻和小麦。", "zh"),
    ],
)
def test_stems_that_stand_alone_are_still_used(text: str, lang: str) -> None:
    assert is_usable(Sentence(0, text, 0, 1), lang)


def _term(text: str, kind: str = "term", shape: str = "1:term:sg", score: float = 1.0) -> Term:
    return Term(text.lower(), text, kind, shape, len(text.split()), 2, score, places=(0.5,))


def test_a_shared_english_suffix_earns_nothing() -> None:
    """structure -> denature, relationship -> membership came from a reward for four shared letters."""
    key, suffix_mate, other = _term("relationship"), _term("membership"), _term("enrichment")
    finder = DistractorFinder(Analysis(terms={t.key: t for t in (key, suffix_mate, other)}), "en", "")
    mate_score = finder._similarity(key, "relationship", suffix_mate, "", 0.5)
    other_score = finder._similarity(key, "relationship", other, "", 0.5)
    assert mate_score is not None and other_score is not None
    assert mate_score == pytest.approx(other_score)


def _finder(terms: list[Term], lang: str, text: str = "") -> DistractorFinder:
    return DistractorFinder(Analysis(terms={t.key: t for t in terms}), lang, text)


def test_false_statements_swap_only_a_term_of_the_same_kind_and_shape() -> None:
    sentence = "Glaciers store most of the fresh water on the planet."
    key = _term("Glaciers", shape="1:term:pl")
    plural, singular = _term("aquifers", shape="1:term:pl"), _term("ocean", shape="1:term:sg")
    name = _term("Danube", kind="name", shape="1:name:sg")
    finder = _finder([key, plural, singular, name], "en", sentence)
    occurrence = Occurrence(key, 0, len("Glaciers"))
    assert finder.false_statement(sentence, occurrence, ["ocean", "Danube", "aquifers"]) == "aquifers"
    assert finder.false_statement(sentence, occurrence, ["ocean", "Danube"]) is None


def test_a_false_statement_is_never_the_documents_own_sentence() -> None:
    sentence = "Glaciers store most of the fresh water on the planet."
    document = sentence + " Aquifers store most of the fresh water on the planet."
    key, other = _term("Glaciers", shape="1:term:pl"), _term("Aquifers", shape="1:term:pl")
    finder = _finder([key, other], "en", document)
    assert finder.false_statement(sentence, Occurrence(key, 0, 8), ["Aquifers"]) is None


def test_a_chinese_swap_is_a_name_of_the_same_class_and_does_not_repeat_its_neighbour() -> None:
    sentence = "北京和南京都是中国历史上的古都。"
    start = sentence.index("南京")
    key = _term("南京", kind="zh:place", shape="2:ns")
    places = [_term(name, kind="zh:place", shape="2:ns") for name in ("东京", "西安")]
    finder = _finder([key, *places], "zh", sentence)
    occurrence = Occurrence(key, start, start + 2)
    assert finder.false_statement(sentence, occurrence, ["东京", "西安"]) == "西安"  # 东京 repeats 京


def test_a_generic_chinese_noun_is_never_swapped() -> None:
    """ "低温和低氧" -> "低温和温度", "全长约" -> "保护伞": jieba's noun tags do not make a swap read right."""
    sentence = "储存水果时常采用低温和低氧的方法来降低呼吸速率。"
    start = sentence.index("低氧")
    key = _term("低氧", kind="zh:noun", shape="2:n")
    finder = _finder([key, _term("干燥", kind="zh:noun", shape="2:n")], "zh")
    assert finder.false_statement(sentence, Occurrence(key, start, start + 2), ["干燥"]) is None


def test_a_book_title_is_swapped_only_for_another_title() -> None:
    text = "沈括在《梦溪笔谈》中记载了磁偏角。李时珍写了《本草纲目》。东汉时期出现了造纸术。"
    sentence = text.split("。")[0] + "。"
    start = sentence.index("梦溪笔谈")
    key = _term("梦溪笔谈", kind="zh:time", shape="4:nz")
    others = [_term(name, kind="zh:time", shape="4:nz") for name in ("东汉时期", "本草纲目")]
    finder = _finder([key, *others], "zh", text)
    occurrence = Occurrence(key, start, start + 4)
    assert finder.false_statement(sentence, occurrence, ["东汉时期", "本草纲目"]) == "本草纲目"


def test_without_a_safe_swap_a_true_false_question_is_a_true_statement() -> None:
    sentence = Sentence(0, "Glaciers store most of the fresh water on the planet.", 0, 1)
    key = _term("Glaciers", shape="1:term:pl")
    draft = Draft(Candidate(sentence, (Occurrence(key, 0, 8),), 1.0), Occurrence(key, 0, 8), ("ocean",), None)
    (question,) = build_questions([draft], ("true_false",), random.Random(1))
    assert question.answer is True and question.prompt == sentence.text


def test_english_keys_are_noun_phrases() -> None:
    texts = [
        "Long amendments make constitutions difficult to change in most countries.",
        "Federal constitutions difficult to amend protect minorities from majorities.",
        "Parliaments denature bills when committees change them completely.",
        "The supreme court reviews constitutions and statutes every single year.",
    ]
    sentences = _sentences(texts)
    terms = analyze_latin(sentences, range(4), range(4), "en").terms
    assert "constitutions" in terms
    assert not [key for key in terms if key.endswith(("difficult", "denature")) or "denature" in key]


CHINESE = [
    "能量的主要载体是三磷酸腺苷，细胞需要能量。",
    "学生会遇到很多困难和挑战。",
    "在比赛时无法使用手机和电脑。",
    "神经网络学会了识别图像的方法。",
    "图像识别依靠神经网络和大量数据。",
]


def test_chinese_keys_never_cut_a_word() -> None:
    sentences = _sentences(CHINESE)
    analysis = analyze_chinese(sentences, range(5), range(5))
    keys = {(i, o.term.key) for i, found in analysis.occurrences.items() for o in found}
    assert not {key for _, key in keys} & {"时无法", "学生会", "神经网络学会", "腺苷", "磷酸腺苷", "三磷酸"}
    assert (4, "神经网络") in keys and (0, "载体") in keys


def test_a_repeated_chinese_compound_is_a_term_with_its_numeral() -> None:
    sentences = _sentences([*CHINESE, "肌肉收缩直接利用三磷酸腺苷提供的能量。"])
    analysis = analyze_chinese(sentences, range(6), range(6))
    assert "三磷酸腺苷" in analysis.terms
    assert [o.term.key for o in analysis.occurrences[5] if o.term.key.endswith("腺苷")] == ["三磷酸腺苷"]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Ì CART – Classification and Regression Trees", "• CART – Classification and Regression Trees"),
        ("Cartesian co¨ordinate systems", "Cartesian coördinate systems"),
        ("the Schr¨odinger equation", "the Schrödinger equation"),
        ("a na¨ıve estimate", "a naïve estimate"),
        ("Ìtaly and `ls` stay as they are", "Ìtaly and `ls` stay as they are"),
    ],
)
def test_extraction_debris_is_repaired(raw: str, clean: str) -> None:
    assert normalize_line(raw) == clean


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The value of the constant ( ) depends on the temperature of the gas.", "en"),
        ("The flux 𝜌𝜎 through the closed surface is conserved in every volume.", "en"),
        ("The energy of the system is , and the momentum of the body is conserved.", "en"),
        ("地球的平均半径约为 ，赤道半径略大于两极的半径。", "zh"),
    ],
)
def test_stems_with_equation_gaps_are_skipped(text: str, lang: str) -> None:
    assert not is_usable(Sentence(0, text, 0, 1), lang)


def _cloze(text: str, key: str, kind: str = "term") -> Draft:
    start = text.index(key)
    occurrence = Occurrence(_term(key, kind=kind), start, start + len(key))
    return Draft(Candidate(Sentence(0, text, 0, 3), (occurrence,), 1.0), occurrence, ())


def test_cloze_accepts_the_other_number_and_the_name_in_brackets() -> None:
    assert accepted_answers(_cloze("Aquifers store groundwater below the water table.", "Aquifers"), "en") == [
        "Aquifers",
        "Aquifer",
    ]
    draft = _cloze("能量的主要载体是三磷酸腺苷（ATP），细胞需要能量。", "三磷酸腺苷", "zh:noun")
    assert accepted_answers(draft, "zh") == ["三磷酸腺苷", "ATP"]
    (question,) = build_questions([draft], ("cloze",), random.Random(1), "zh")
    assert question.accepted_answers == ["三磷酸腺苷", "ATP"]


def test_every_question_explains_itself_with_its_sentence_and_page() -> None:
    exam = plain(generate_exam(english_pdf_bytes(), "water.pdf", ExamOptions(num_questions=12), max_pages=10))
    for question in exam["questions"]:
        assert question["source_text"] in question["explanation"]
        assert f"p. {question['source_page']}" in question["explanation"]
    assert any(q["type"] == "cloze" and q["accepted_answers"][0] == q["answer"] for q in exam["questions"])
    text = extracted_text(english_pdf_bytes()).lower()
    for question in exam["questions"]:
        assert all(other.lower() in text for other in question.get("accepted_answers", [])[1:]), question


def test_exports_carry_the_explanation_and_every_accepted_answer() -> None:
    exam = {
        "title": "T",
        "language": "en",
        "source": {"filename": "t.pdf", "pages": 3, "sha256": "0"},
        "generator": "builtin",
        "questions": [
            {
                "id": "q1",
                "type": "cloze",
                "prompt": "_____ store groundwater.",
                "options": None,
                "answer": "Aquifers",
                "accepted_answers": ["Aquifers", "Aquifer"],
                "source_page": 3,
                "source_text": "Aquifers store groundwater.",
                "explanation": "The text says (p. 3): Aquifers store groundwater.",
            }
        ],
    }
    gift = render_exam(typed(exam), "gift")[0]
    assert "{=Aquifers =Aquifer ####The text says (p. 3)\\: Aquifers store groundwater.}" in gift
    moodle = ET.fromstring(render_exam(typed(exam), "moodle")[0])
    assert [a.findtext("text") for a in moodle.iter("answer")] == ["Aquifers", "Aquifer"]
    assert moodle.findtext(".//generalfeedback/text") == "The text says (p. 3): Aquifers store groundwater."
    assert "The text says (p. 3): Aquifers store groundwater." in render_exam(typed(exam), "html")[0]


def test_statements_that_can_be_false_are_the_ones_made_true_false() -> None:
    """Only drafts with a safe swap can give a false statement: picking the true/false slots blindly
    left most statements true."""
    sentence = Sentence(0, "Glaciers store most of the fresh water on the planet.", 0, 1)
    key = _term("Glaciers", shape="1:term:pl")
    occurrence = Occurrence(key, 0, 8)
    candidate = Candidate(sentence, (occurrence,), 1.0)
    drafts = [Draft(candidate, occurrence, ("aquifers",), "aquifers" if i < 2 else None) for i in range(12)]
    for seed in range(20):
        kinds = assign_types(drafts, ("true_false", "cloze"), random.Random(seed))
        assert kinds[0] == kinds[1] == "true_false"
