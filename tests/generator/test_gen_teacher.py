"""Issue 20, the mechanical parts: questions a teacher could hand out, on small texts. Each test
names the defect blind judges found that it guards against."""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from gen_helpers import english_pdf_bytes, extracted_text, plain, typed

from examgen.generator import ExamOptions, generate_exam, render_exam
from examgen.generator.blanks import blank_ok
from examgen.generator.candidate import Candidate, Key
from examgen.generator.chars import normalize_line
from examgen.generator.coverage import spread
from examgen.generator.keyphrases_latin import analyze_latin
from examgen.generator.keyphrases_zh import analyze_chinese
from examgen.generator.lang import profile
from examgen.generator.layout import Document
from examgen.generator.notices import fewer_questions
from examgen.generator.questions import assign_types, build_question
from examgen.generator.sentences import Sentence, split_sentences
from examgen.generator.stages import Prepared, prepare
from examgen.generator.statements import Statement, definition, statement
from examgen.generator.validate import question_problems

EN, ZH = profile("en"), profile("zh")


def _sentence(text: str, index: int = 0) -> Sentence:
    return Sentence(index, text, 200 * index, 1)


def _sentences(texts: list[str]) -> list[Sentence]:
    return [_sentence(text, i) for i, text in enumerate(texts)]


def _prepared(paragraphs: list[str], lang: str) -> Prepared:
    """A document of these paragraphs, one page each, through every stage of the generator."""
    return prepare(paragraphs, lang)


def _candidate(prepared: Prepared, start: str) -> Candidate:
    found = [c for c in prepared.candidates if c.sentence_text.startswith(start)]
    assert found, [c.sentence_text for c in prepared.candidates]
    return prepared.planner.complete(found[0])


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


# -- sentences worth asking about ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # pointers and connectives anywhere, ordinals standing for a noun said before
        ("The third cause, when collective dilemmas arise, is a lack of trust between the players.", "en"),
        ("Our interest now is in seeing how the FT of symmetric (9) and odd functions might differ.", "en"),
        ("In other systems, judges are appointed by the national parliament of the country.", "en"),
        ("Courts in most federal states review these systems every year.", "en"),
        ("Historians agree that he founded the first university of the region.", "en"),
        ("A radical alternative is to engineer carbon fixing pathways from the bottom up with models.", "en"),
        ("The oxygenation reaction in particular is the single greatest loss step in plant metabolism.", "en"),
        ("The additional bit shifts, however, create significant overhead in every round.", "en"),
        # list openings, exercises, talk about the course
        ("Here are the main metrics that are important to track in every project.", "en"),
        ("In this chapter we discuss the main properties of block ciphers and their modes.", "en"),
        ("Show that every convergent sequence of real numbers is bounded above.", "en"),
        # a heading the text layer glued to the sentence
        ("Noise Generation Reducing the SNR can be achieved by increasing the amount of noise.", "en"),
        ("大约一个世纪之后，这种方法才被广泛地用于工业生产之中。", "zh"),
        ("自从工业革命以来，上文描述的情况已经改变了许多。", "zh"),
        ("如图所示，细胞膜由磷脂双分子层构成，具有一定的流动性。", "zh"),
        ("如果把人工智能的发展看作是新一次工业革命。", "zh"),
        ("简述研究流体运动的两种方法以及它们之间的区别。", "zh"),
        # a list item whose heading is elsewhere; a comparison without its other side
        ("产品的差异性随着时间推移变得不重要，顾客不再愿意为此支付溢价；", "zh"),
        ("高维下 Fourier 变换的性质是相似的．", "zh"),
        ("The two descriptions of the motion of the fluid parcels are equivalent and similar.", "en"),
        ("Binet’s solution was to measure large groups of children at different ages.", "en"),
        ("The alternative description of the observer moving with the fluid is called Lagrangian.", "en"),
        ("Psychologist Henry Goddard provides a case example of connecting testing to the eugenics agenda.", "en"),
        # a category noun alone as the subject names something said before
        ("学派强调德性即生活的最高善，是对世界的不信任的学派。", "zh"),
        ("The model assumes that the electrons move freely between collisions with the ions.", "en"),
    ],
)
def test_sentences_that_lean_on_their_context_are_not_asked(text: str, lang: str) -> None:
    assert statement(_sentence(text), profile(lang)) is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The World Meteorological Organization launched the first global programme on the water cycle.", "en"),
        ("An aquifer is a layer of permeable rock that stores groundwater and lets it flow to wells.", "en"),
        ("Metals such as copper and silver conduct electricity very well at room temperature.", "en"),
        ("Hydrologists use a rain gauge to measure the amount of precipitation at a given place.", "en"),
        ("光合作用是植物把光能转化为化学能的过程。", "zh"),
        ("犬儒学派强调德性即生活的最高善。", "zh"),
        # a pronoun whose antecedent is in the sentence; a contrast drawn inside it; a citation
        ("Eugenics societies stopped publishing their member lists after the Second World War.", "en"),
        ("Galton referenced the practice of dog breeding in his early writings on heredity.", "en"),
        ("In contrast to amplitude-based approaches, timing-based countermeasures spread the leakage over time.", "en"),
        ("Compulsory sterilization laws were adopted by many states of the country (Bashford & Levine, 2010).", "en"),
        ("The theory of evolution explains how species change over many generations.", "en"),
        ("当带电粒子进入极地的高层大气时，与大气中的原子和分子碰撞并激发，产生极光。", "zh"),
    ],
)
def test_sentences_that_stand_alone_are_asked(text: str, lang: str) -> None:
    assert statement(_sentence(text), profile(lang)) is not None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The value of the constant ( ) depends on the temperature of the gas.", "en"),
        ("The flux 𝜌𝜎 through the closed surface is conserved in every volume.", "en"),
        ("The energy of the system is , and the momentum of the body is conserved.", "en"),
        ("The Hamiltonian H is the total energy of the system in classical mechanics.", "en"),
        ("地球的平均半径约为 ，赤道半径略大于两极的半径。", "zh"),
        ("设 是一个群码，那么 e 的最短距离是非零代码字的最小权。", "zh"),
        ("形式论是形而上学的主要概念**，试图回答什么是真实实在的问题。", "zh"),
        # numbered steps in note form; a bibliography key the notes kept
        ("决策树法的步骤：①绘制决策树，②计算期望值，③剪枝决策，得出最优方案。", "zh"),
        ("Helmholz schubert2004 was the first to describe the instability of the shear layer.", "en"),
        # licence and thanks: about the document, not its subject
        ("Share Copy and redistribute the material in any medium or format.", "en"),
        ("Acknowledgments go to Texas Instruments for providing the boards as part of their university program.", "en"),
    ],
)
def test_formula_gaps_variables_and_markup_are_never_asked(text: str, lang: str) -> None:
    assert statement(_sentence(text), profile(lang)) is None


@pytest.mark.parametrize(
    ("text", "lang", "term", "also"),
    [
        (
            "Simple Power Analysis (SPA) is an umbrella term for side-channel attacks that work by inspecting traces.",
            "en",
            "Simple Power Analysis (SPA)",
            "SPA",
        ),
        (
            "Groundwater is water that fills the pores and cracks of rocks below the water table.",
            "en",
            "Groundwater",
            "",
        ),
        ("The highest concentration at which there is no observed effect is called the NOEL.", "en", "NOEL", ""),
        ("The side-channel signal or leakage of a device is usually called a trace.", "en", "trace", ""),
        (
            "结晶学原胞 (晶胞)：既反映晶格周期性又反映晶体自身特殊对称性的最小重复单元。",
            "zh",
            "结晶学原胞 (晶胞)",
            "晶胞",
        ),
        (
            "如果电荷分离产生的电场使原来的扰动电场增强，则会造成等离子体不稳定性，称为漂移不稳定性。",
            "zh",
            "漂移不稳定性",
            "",
        ),
    ],
)
def test_definitions_name_the_term_they_define(text: str, lang: str, term: str, also: str) -> None:
    found = definition(_sentence(text), profile(lang))
    assert found is not None and found.term_text == term and found.also == also


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("An exciting discovery is that plastid genomes can be shared between plants by grafting.", "en"),
        ("Biocontainment is a major obstacle for the use of transgenic plants in open fields.", "en"),
        ("The main difference is that here the screening occurs in vivo and not in the lab.", "en"),
        ("写在前面：笔记根据课堂讲义以及教材书写，仅供复习参考使用。", "zh"),
        ("中子：探测晶体的磁有序结构和晶格的振动谱。", "zh"),
    ],
)
def test_evaluations_labels_and_uses_are_no_definitions(text: str, lang: str) -> None:
    assert definition(_sentence(text), profile(lang)) is None


# -- keys that are the concept -----------------------------------------------------------------------

SOLIDS = [
    "晶体：至少在微米级范围粒子在空间不同方向上按一定规则周期有序排列而形成的固体。",
    "单晶：整块固体中粒子均是规则、周期排列的固体。",
    "多晶：由大量微小单晶粒组成，每个晶粒内粒子规则排列的固体。",
    "非晶体：在微米级范围粒子在空间不同方向上无序排列而形成的固体。",
    "在很多实验中，预测试数据也是选手不可见的。",
    "一分子葡萄糖经有氧呼吸大约可以产生三十二分子能量物质。",
    "单晶和多晶都由晶粒组成，晶体和非晶体的区别在于粒子排列是否有序。",
]


def test_a_chinese_key_is_a_whole_term_and_never_a_counter() -> None:
    prepared = _prepared(SOLIDS, "zh")
    answers = {c.answer for c in prepared.candidates}
    assert "测试数据" not in answers and "一分子" not in answers  # 预|测试数据; the number is the fact
    assert {"晶体", "单晶", "非晶体"} <= answers


def test_a_generic_word_is_never_the_key() -> None:
    text = [
        "Oxygenic photosynthesis is an energy transduction process that takes place in plants and algae.",
        "Researchers used to have a more complete picture of the process in older textbooks about plants.",
        "The implementations of the process differ between plants, algae and cyanobacteria in many ways.",
    ]
    answers = {c.answer.lower() for c in _prepared(text, "en").candidates}
    assert "oxygenic photosynthesis" in answers
    assert not answers & {"picture", "process", "implementations", "ways"}


def test_english_keys_are_noun_phrases() -> None:
    texts = [
        "Long amendments make constitutions difficult to change in most countries.",
        "Federal constitutions difficult to amend protect minorities from majorities.",
        "Parliaments denature bills when committees change them completely.",
        "The supreme court reviews constitutions and statutes every single year.",
    ]
    terms = analyze_latin(_sentences(texts), range(4), range(4), EN).terms
    assert "constitutions" in terms
    assert not [key for key in terms if key.endswith(("difficult", "denature")) or "denature" in key]


CHINESE = [
    "能量的主要载体是三磷酸腺苷，细胞需要能量。",
    "学生会遇到很多困难和挑战。",
    "在比赛时无法使用手机和电脑。",
    "神经网络学会了识别图像的方法。",
    "图像识别依靠神经网络和大量数据。",
]


def test_chinese_terms_never_cut_a_word() -> None:
    analysis = analyze_chinese(_sentences(CHINESE), range(5), range(5))
    keys = {(i, o.term.key) for i, found in analysis.occurrences.items() for o in found}
    assert not {key for _, key in keys} & {"时无法", "学生会", "神经网络学会", "腺苷", "磷酸腺苷", "三磷酸"}
    assert (4, "神经网络") in keys and (0, "载体") in keys


def test_a_repeated_chinese_compound_is_a_term_with_its_numeral() -> None:
    sentences = _sentences([*CHINESE, "肌肉收缩直接利用三磷酸腺苷提供的能量。"])
    analysis = analyze_chinese(sentences, range(6), range(6))
    assert "三磷酸腺苷" in analysis.terms
    assert [o.term.key for o in analysis.occurrences[5] if o.term.key.endswith("腺苷")] == ["三磷酸腺苷"]


def test_a_key_in_a_coordination_or_spelled_by_its_stem_is_not_blanked() -> None:
    text = [
        "The reduction phase uses the NADPH and some ATP produced by the light reactions of photosynthesis.",
        "Wave guide dispersion arises from the wave guide effects of the optical fibre core and cladding.",
        "Photosystem II and photosystem I are the two protein complexes of the light reactions in plants.",
    ]
    answers = {c.answer for c in _prepared(text, "en").candidates}
    assert "ATP" not in answers and "NADPH" not in answers  # "the NADPH and some _____"
    assert "Wave guide dispersion" not in answers  # "_____ arises from the wave guide effects"


# -- distractors of the key's own kind ---------------------------------------------------------------

WATER = [
    "Transpiration is the release of water vapour from the leaves of plants through small pores called stomata.",
    "Groundwater is water that fills the pores and cracks of rocks below the water table.",
    "An aquifer is a layer of permeable rock that stores groundwater and lets it flow to wells and springs.",
    "Runoff is the part of precipitation that flows over the land surface into streams and rivers.",
    "Infiltration is the movement of surface water into the soil, which depends on soil texture and moisture.",
    "Evaporation, transpiration, infiltration and runoff move water between the land, the plants and the air.",
    "Hydrologists use a rain gauge to measure the amount of precipitation at a given place and time.",
]


def test_distractors_are_siblings_of_the_key_from_the_document() -> None:
    prepared = _prepared(WATER, "en")
    candidate = _candidate(prepared, "Transpiration is the release")
    assert len(candidate.distractors) == 3 and candidate.supports("mcq")
    assert {d.lower() for d in candidate.distractors} <= {
        "evaporation",
        "infiltration",
        "runoff",
        "groundwater",
        "aquifer",
    }
    sentence = candidate.sentence_text.lower()
    for option in candidate.distractors:
        assert option.lower() not in sentence and candidate.answer.lower() not in option.lower()


def test_without_three_siblings_there_is_no_multiple_choice() -> None:
    prepared = _prepared(WATER, "en")
    candidate = _candidate(prepared, "Hydrologists use a rain gauge")
    assert len(candidate.distractors) < 3 and not candidate.supports("mcq")
    assert candidate.supports("true_false")


def test_a_distractor_that_makes_the_stem_true_is_never_offered() -> None:
    text = [*WATER, "Runoff is the part of precipitation that flows over the land surface into streams and rivers."]
    text[5] = "Evaporation, transpiration, infiltration and runoff move water between the land and the air."
    text.append("Infiltration is the part of precipitation that flows over the land surface into streams and rivers.")
    candidate = _candidate(_prepared(text, "en"), "Runoff is the part")
    assert "Infiltration" not in candidate.distractors


# -- false statements that are really false ----------------------------------------------------------


def test_a_false_statement_swaps_a_contrast_the_document_draws() -> None:
    text = [
        "Aerobic respiration needs oxygen and produces carbon dioxide and water in the mitochondria of cells.",
        "Anaerobic respiration releases less energy from each glucose molecule than aerobic respiration does.",
        "Yeast cells switch to anaerobic respiration when the oxygen in their surroundings runs out completely.",
    ]
    candidate = _candidate(_prepared(text, "en"), "Aerobic respiration needs oxygen")
    assert candidate.false == candidate.sentence_text.replace("Aerobic", "Anaerobic", 1)


def test_without_a_contrast_a_statement_is_never_made_false() -> None:
    candidate = _candidate(_prepared(WATER, "en"), "Hydrologists use a rain gauge")
    assert candidate.false is None


def test_a_definition_is_made_false_with_a_term_defined_beside_it() -> None:
    candidate = _candidate(_prepared(SOLIDS, "zh"), "单晶：")
    assert candidate.false is not None and candidate.false.startswith(("多晶：", "晶体：", "非晶体："))


def test_a_false_statement_is_never_the_documents_own_sentence() -> None:
    text = [
        "Aerobic respiration needs oxygen and produces carbon dioxide and water in the mitochondria of cells.",
        "Anaerobic respiration needs oxygen and produces carbon dioxide and water in the mitochondria of cells.",
        "Yeast cells switch to a different pathway when the oxygen in their surroundings runs out completely.",
    ]
    candidate = _candidate(_prepared(text, "en"), "Aerobic respiration needs oxygen")
    assert candidate.false is None


def test_a_chinese_contrast_never_cuts_a_word_or_its_complement() -> None:
    text = [
        "光合作用是绿色植物利用光能把二氧化碳和水转化为有机物，并释放出氧气的过程。",
        "植物的根从土壤中吸收水分和无机盐，叶片通过气孔释放水蒸气。",
        "臭氧层能够吸收太阳紫外线，被称为地球生命的保护伞。",
    ]
    prepared = _prepared(text, "zh")
    falses = [prepared.planner.complete(c).false for c in prepared.candidates]
    assert all(f is None or ("吸收出" not in f and "释吸收" not in f) for f in falses)


# -- types, coverage and saying what could not be done --------------------------------------------


def test_statements_that_can_be_false_are_the_ones_made_false() -> None:
    prepared = _prepared(WATER, "en")
    candidates = [prepared.planner.complete(c) for c in prepared.candidates]
    for seed in range(10):
        kinds = assign_types(candidates, ("true_false",), random.Random(seed))
        made_false = [c for c, kind in zip(candidates, kinds, strict=True) if kind == ("true_false", True)]
        assert all(c.false is not None for c in made_false)


def _stub(part: int, index: int, score: float, key: str) -> Candidate:
    sentence = Sentence(index, f"{key} is a thing of part {part}.", index * 100, 1)
    return Candidate(Statement(sentence, "statement"), Key(0, len(key), key), score, part)


def test_the_parts_are_covered_before_one_passage_is_asked_twice() -> None:
    crowded = [_stub(0, i, 10 - i, f"term{i}") for i in range(6)]
    others = [_stub(part, 20 + 10 * part, 1.0, f"other{part}") for part in (1, 2, 3)]
    chosen = spread([*crowded, *others], 4, lambda c: True)
    assert {c.part for c in chosen} == {0, 1, 2, 3}
    more = spread([*crowded, *others], 9, lambda c: True)
    assert len(more) == 9  # when questions are still missing, the passage gets its second question


def test_fewer_questions_than_asked_are_explained() -> None:
    typora = ["设 是一个群码，那么 的最短距离是非零代码字的最小权。译码函数 是满射， 和 是集合。"] * 10
    notices = fewer_questions(3, 10, typora, 4000, ZH.labels)
    assert len(notices) == 1 and "3" in notices[0] and "10" in notices[0] and "公式" in notices[0]
    assert fewer_questions(10, 10, typora, 4000, ZH.labels) == []
    english = fewer_questions(2, 10, ["Plain prose."] * 3, 500, EN.labels)[0]
    assert english.startswith("The document supports 2 good questions of the 10 asked") and "short" in english


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_german_and_french_have_their_own_labels(lang: str) -> None:
    labels = profile(lang).labels
    assert set(labels) == set(EN.labels)
    assert labels["true"] != EN.labels["true"] and labels["answer_key"] != EN.labels["answer_key"]


# -- explanations, accepted answers, exports ---------------------------------------------------------


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


def test_cloze_accepts_the_name_in_brackets_and_the_other_number() -> None:
    prepared = _prepared(
        [
            "Simple Power Analysis (SPA) is an umbrella term for side-channel attacks that work by inspecting traces.",
            "Aquifers store groundwater below the water table in many regions of the world.",
            "Aquifers can be confined or unconfined, and wells draw water from both kinds.",
        ],
        "en",
    )
    spa = _candidate(prepared, "Simple Power Analysis")
    assert spa.answers(english=True) == ["Simple Power Analysis (SPA)", "Simple Power Analysis", "SPA"]
    zh = _prepared(
        [
            "能量的主要载体是三磷酸腺苷（ATP），细胞的各种生命活动都需要能量。",
            "肌肉收缩直接利用三磷酸腺苷提供的能量，神经传导也消耗三磷酸腺苷。",
            "线粒体是细胞进行有氧呼吸的主要场所，为细胞提供大部分能量。",
        ],
        "zh",
    )
    atp = _candidate(zh, "能量的主要载体")
    assert atp.answers(english=False) == ["三磷酸腺苷", "ATP"]


def test_every_question_explains_itself_with_its_sentence_and_page() -> None:
    exam = plain(generate_exam(english_pdf_bytes(), "water.pdf", ExamOptions(num_questions=12), max_pages=10))
    for question in exam["questions"]:
        assert question["source_text"] in question["explanation"]
        assert f"p. {question['source_page']}" in question["explanation"]
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


def test_the_documents_topic_is_never_the_blank() -> None:
    """ "_____ is the process in which light energy is captured …" in notes titled "Photosynthesis"."""
    text = [
        "Notes on Photosynthesis",
        "Photosynthesis is the process in which light energy is captured and stored by an organism for its cells.",
        "Chloroplasts are the organelles in which photosynthesis takes place in the cells of plants and algae.",
        "Rubisco is the enzyme that fixes carbon dioxide in the Calvin cycle of plants, algae and cyanobacteria.",
    ]
    answers = {c.answer.lower() for c in _prepared(text, "en").candidates}
    assert "photosynthesis" not in answers and "chloroplasts" in answers


def test_a_blank_the_parallel_term_of_its_sentence_fills_is_not_asked() -> None:
    text = [
        "空间尺度必须远大于德拜长度，时间尺度必须远大于等离子体特征响应时间。",
        "德拜长度是等离子体中电中性条件成立的最小空间尺度，与温度和密度有关。",
        "等离子体特征响应时间是电子走过德拜长度所需的时间，时间尺度也与之比较。",
    ]
    prepared = _prepared(text, "zh")
    first = [c for c in prepared.candidates if c.sentence_text == text[0]]
    assert all(c.answer not in ("时间尺度", "空间尺度") for c in first)


def test_an_acronym_accepts_the_name_the_text_gives_it() -> None:
    text = [
        "The Algebraic Normal Form (ANF) writes a Boolean function as a sum of products of its input bits.",
        "The ANF of any Boolean function can be computed with a fast transform similar to the Fourier transform.",
        "Cipher designers read the degree of each output bit from the ANF of the substitution box.",
    ]
    prepared = _prepared(text, "en")
    anf = _candidate(prepared, "The ANF of any Boolean function")
    assert anf.answer == "ANF" and "Algebraic Normal Form" in anf.answers(english=True)


def test_two_terms_described_alike_are_never_swapped() -> None:
    """Drude's and Sommerfeld's models both see a metal as a free electron gas: the swap stays true."""
    text = [
        "特鲁特模型：金属被看成由大量自由电子构成的气体。",
        "索末菲模型：金属被看成由大量在正电荷背景上自由运动的价电子构成的自由电子气。",
        "共同点：两个模型均将金属中的电子视为自由电子气，忽略电子之间的相互作用。",
    ]
    candidate = _candidate(_prepared(text, "zh"), "索末菲模型：")
    assert candidate.false is None or not candidate.false.startswith("特鲁特模型")


def test_a_sentence_that_reasons_is_never_made_false_by_a_contrast() -> None:
    """Swapping 横波 for 纵波 in "…垂直于传播方向，故…是横波" contradicts the premise it keeps."""
    text = [
        "电磁波的电场和磁场都垂直于传播方向，故电磁波是横波。",
        "声波在空气中传播时，介质质点的振动方向与传播方向平行，是纵波。",
        "横波和纵波都能传递能量，横波在固体中传播，纵波在固体、液体和气体中都能传播。",
    ]
    prepared = _prepared(text, "zh")
    reasoning = [prepared.planner.complete(c) for c in prepared.candidates if c.sentence_text == text[0]]
    assert reasoning and all(c.false is None for c in reasoning)
    parallel = [prepared.planner.complete(c) for c in prepared.candidates if c.sentence_text == text[1]]
    assert any(c.false is not None for c in parallel)  # the same contrast, in a sentence that only states


def test_a_glossary_line_is_asked_only_once_made_false() -> None:
    """ "晶格：…" as a true statement leaves a reader asking "true of what?"."""
    prepared = _prepared(SOLIDS, "zh")
    line = _candidate(prepared, "单晶：")
    assert not line.supports_true()
    assert line.supports("true_false") == (line.false is not None)
    for seed in range(10):
        kinds = assign_types([line], ("true_false",), random.Random(seed))
        assert kinds[0] is None or kinds[0] == ("true_false", True)
    note = statement(_sentence("中子：探测晶体的磁有序结构，是研究磁性材料的重要手段。"), ZH)
    assert note is not None and note.rule == "colon"  # a note, not a definition, and no statement either
    entry = statement(_sentence("Being, (大写或不可数名词) 指的是“存在”本身，即存在的状态、行为或本质。"), ZH)
    assert entry is None or entry.rule == "colon"


PLASTID = [
    "The plastid-encoded RNA polymerase (PEP) transcribes the photosynthesis genes of the chloroplast genome.",
    "Sigma factors guide PEP to the promoters of the photosynthesis genes in the chloroplast genome.",
    "PEP is homologous to the bacterial RNA polymerase and is made of subunits encoded in the plastid genome.",
    "The nuclear-encoded polymerase transcribes housekeeping genes of the chloroplast during early development.",
]


def test_an_acronym_the_document_spells_out_elsewhere_is_not_asked_bare() -> None:
    answers = {c.sentence_text: c.answer for c in _prepared(PLASTID, "en").candidates}
    assert PLASTID[1] not in answers  # "Sigma factors guide PEP to …": which PEP?
    assert answers.get(PLASTID[0]) == "chloroplast genome"  # the same key where PEP is spelled out


def test_an_acronym_key_spelled_out_elsewhere_is_a_blank_but_never_a_true_false_statement() -> None:
    prepared = _prepared(PLASTID, "en")
    pep = _candidate(prepared, "PEP is homologous")
    assert pep.answer == "PEP" and not pep.supports("true_false") and not pep.supports_true()
    assert _candidate(prepared, "The plastid-encoded").supports_true()


EUGENICS = [
    "Positive eugenics encouraged people judged to be fit to have more children than others.",
    "Negative eugenics tried to stop people judged to be unfit from having children at all.",
    "People with mental illness were treated as genetically inferior by the eugenics movement.",
    "Positive eugenics was promoted with prizes for large families at agricultural fairs.",
    "Negative eugenics typically relied on laws for forced sterilisation and on marriage bans.",
]


def test_a_tendency_is_never_a_true_false_statement() -> None:
    """ "… typically relied on …": true or false? Item writers keep such words out of true/false items."""
    hedged = _candidate(_prepared(EUGENICS, "en"), "Negative eugenics typically")
    assert hedged.hedged and not hedged.supports("true_false") and not hedged.supports_true()


def test_a_true_statement_is_about_a_term_of_the_course() -> None:
    """ "People with mental illness were treated as …": by whom, where? True only in its paragraph."""
    prepared = _prepared(EUGENICS, "en")
    assert not _candidate(prepared, "People with mental illness").supports_true()
    assert _candidate(prepared, "Positive eugenics was promoted").supports_true()


def test_a_question_shows_no_citation_and_its_source_keeps_it() -> None:
    citations = (" (Galton, 1883; Selden, 2005)", " [12]", " [KJJ99, BDL97]", " (Bashford & Levine, 2010)", "")
    text = [sentence[:-1] + cited + "." for sentence, cited in zip(EUGENICS, citations, strict=True)]
    prepared = _prepared(text, "en")
    candidates = list(map(prepared.planner.complete, prepared.candidates))
    assert len(candidates) >= 3
    for kind in ("true_false", "cloze", "mcq"):
        for candidate in (c for c in candidates if c.supports(kind) or kind == "cloze"):
            question = build_question(candidate, kind, "q1", random.Random(1), "en", False)
            assert not re.search(r"\(Galton|Selden|\[12\]|\[KJJ99|Bashford", question.prompt), question.prompt
            assert question.source_text in text
            assert not question_problems(question, "\n".join(text), len(text))


def test_a_statement_about_the_topic_is_a_true_false_question_after_every_keyed_one() -> None:
    """ "Eugenics required tests of human mental abilities …": no fair blank (eugenics is the topic),
    a fair true/false statement; asked only when the statements with a key are used up."""
    text = [
        "Notes on Eugenics",
        *EUGENICS,
        "Eugenics required tests of human mental abilities to tell eugenically inferior people from superior people.",
    ]
    prepared = _prepared(text, "en")
    topic = _candidate(prepared, "Eugenics required tests")
    assert topic.key.blank and topic.answer == ""
    assert topic.supports("true_false") and not topic.supports("cloze") and not topic.supports("mcq")
    keyed = [c for c in prepared.candidates if not c.key.blank]
    assert keyed and all(c.score > topic.score for c in keyed)
    chosen = spread(prepared.candidates, len(keyed), lambda c: True, near=0)
    assert topic not in chosen  # every keyed statement first, wherever it stands
    assert topic in spread(prepared.candidates, len(keyed) + 1, lambda c: True, near=0)


def test_a_tendency_in_time_or_an_open_list_is_never_a_true_false_statement() -> None:
    text = [
        *EUGENICS,
        "Sterilisation laws of negative eugenics are currently in force in the legal codes of several countries.",
    ]
    current = _candidate(_prepared(text, "en"), "Sterilisation laws")
    assert current.hedged and not current.supports("true_false")


def test_a_key_without_siblings_gives_way_to_a_term_of_its_sentence_that_has_them() -> None:
    text = [
        "等离子体的基本效应包括屏蔽效应、集体效应、磁镜效应和电阻效应。",
        "德拜长度随电子温度升高而增大，并决定了屏蔽效应的作用范围。",
        "集体效应使整个等离子体对外加扰动作出响应。",
        "磁镜效应使带电粒子在磁场较强的区域被反射回来。",
        "电阻效应引起感应电流的衰减，使磁场扩散。",
    ]
    prepared = _prepared(text, "zh")
    found = next(c for c in prepared.candidates if c.sentence_text == text[1])
    at = text[1].index("屏蔽效应")
    lonely = replace(found, key=Key(0, 4, "德拜长度"), other_keys=(Key(at, at + 4, "屏蔽效应"),))
    completed = prepared.planner.complete(lonely)
    assert completed.answer == "屏蔽效应" and len(completed.distractors) == 3 and completed.supports("mcq")


def test_a_statement_without_a_key_is_never_made_false_by_a_prefix() -> None:
    """ "counterShare Copy and redistribute …": an empty key once took the prefix alone."""
    text = [
        "Notes on Eugenics",
        *EUGENICS,
        "Eugenics required tests of mental abilities to sort the population of a country into classes.",
        "A counter in every clinic recorded the sterilisation operations; the counter was read each month.",
    ]
    prepared = _prepared(text, "en")
    topic = _candidate(prepared, "Eugenics required tests")
    assert topic.key.blank and (topic.false is None or not topic.false.lower().startswith("counter"))


@pytest.mark.parametrize(
    "vague",
    [
        "Karatsuba's algorithm for the multiplication of long integers is based on a simple observation.",
        "Wave guide dispersion in single-mode fibres arises from the wave guide effects.",
    ],
)
def test_a_true_statement_says_something_after_its_verb(vague: str) -> None:
    text = [
        "Karatsuba's algorithm multiplies long integers with three half-size multiplications instead of four.",
        "Wave guide dispersion in single-mode fibres depends on the core radius and the refractive index profile.",
        "Modal dispersion in multimode fibres arises from the different group velocities of the modes.",
        vague,
    ]
    prepared = _prepared(text, "en")
    said = [prepared.planner.complete(c) for c in prepared.candidates if c.sentence_text == vague]
    assert said and not said[0].supports_true()
    assert _candidate(prepared, "Modal dispersion").supports_true()


def test_two_sentences_that_say_much_the_same_are_not_both_asked() -> None:
    def made(index: int, part: int, text: str, key: str) -> Candidate:
        return Candidate(
            Statement(Sentence(index, text, index * 100, 1), "statement"), Key(0, len(key), key), 1.0, part
        )

    loss = made(1, 0, "Rubisco is the single greatest loss step in plant metabolism.", "Rubisco")
    again = made(
        9, 1, "Oxygenation by Rubisco is the single greatest loss step in plant metabolism today.", "Oxygenation"
    )
    other = made(20, 2, "Chloroplasts contain their own circular genome and their own ribosomes.", "Chloroplasts")
    chosen = spread([loss, again, other], 3, lambda c: True)
    assert len(chosen) == 2 and other in chosen


def test_a_prescription_is_a_view_not_a_true_false_fact() -> None:
    """ "世俗的荣华富贵都是虚妄，应加以嘲讽并克服": true only as the Cynics' view; 应力 is a word of its own."""
    planner = _prepared(SOLIDS, "zh").planner
    assert planner._hedged("世俗的荣华富贵都是虚妄，应加以嘲讽并克服。")
    assert not planner._hedged("应力是物体内部单位面积上的内力，与应变成正比。")
    assert _prepared(EUGENICS, "en").planner._hedged("Society should improve itself by selective breeding.")


def test_a_chinese_blank_whose_stem_spells_the_answer_is_not_asked() -> None:
    text = "决策树法：先绘制决策树，再计算每个方案的期望值并剪枝。"
    assert not blank_ok(text, 0, 4)  # 决策树法, and 决策树 in the stem
    assert blank_ok("漂移不稳定性：电场使扰动增强而造成的不稳定性。", 0, 6)


def test_a_same_head_term_with_an_adjective_in_front_is_no_sibling() -> None:
    """ "mental tests" and "individual tests" name intelligence tests again: several right options."""
    text = [
        "Intelligence tests were used on soldiers, and mental tests were given to immigrants at Ellis Island.",
        "Individual tests measured one child at a time, while group tests measured whole classes at once.",
        "Intelligence tests and aptitude tests were sold to schools, and achievement tests to school boards.",
        "The army tests sorted recruits into officers and soldiers by their scores on intelligence tests.",
    ]
    siblings = {s.text.lower() for s in _prepared(text, "en").planner.siblings.of("intelligence tests")}
    assert "mental tests" not in siblings and "individual tests" not in siblings
    assert "aptitude tests" in siblings


@pytest.mark.parametrize(
    "said",
    [
        # true whatever is true
        "Sterilisation under negative eugenics laws was voluntary or involuntary for the people concerned.",
        # two alternatives, one of them true
        "Negative eugenics relied on laws for forced sterilisation, or on marriage bans for the poorest families.",
        # a long enumeration: a test of memory, item by item
        "Negative eugenics used marriage bans, camps, laws, fines, taxes, tests and sterilisation on the poor.",
    ],
)
def test_statements_a_student_cannot_get_wrong_or_only_recite_are_no_true_statements(said: str) -> None:
    prepared = _prepared([*EUGENICS, said], "en")
    found = [prepared.planner.complete(c) for c in prepared.candidates if c.sentence_text == said]
    assert found and not found[0].supports_true()
