"""Issue 20, round 3: what the second blind judging of held-out texts found unusable or in need of an
edit. Each test names the defect it guards against, with the judges' example."""

from __future__ import annotations

from examgen.generator.lang import profile
from examgen.generator.layout import build_document
from examgen.generator.spelling import Spelling
from examgen.generator.stages import prepare
from examgen.generator.standalone import fused_heading, refers_elsewhere
from examgen.generator.statements import is_clean

EN, ZH = profile("en"), profile("zh")

HISTORY = [
    "洋务运动是清政府中的洋务派在十九世纪六十年代至九十年代开展的一场引进西方军事装备和机器生产的自救运动。",
    "洋务派在兴办军事工业的同时，兴办了一批近代民用企业，洋务运动推动了中国近代工业的发展。",
    "袁世凯的确窃取了辛亥革命的果实，洋务运动的主持者李鸿章是中国近代史上一个极为重要的人物。",
    "洋务派认为，学习西方的军事技术可以维护清政府的统治，洋务运动以自强为口号。",
    "内中断又称异常或同步中断，是来自处理器内部的中断信号。",
    "中断处理程序保存现场以后，根据中断信号的来源是处理器外部还是处理器内部转入相应的处理程序。",
]


def test_a_judgement_is_not_asked_as_a_true_false_fact() -> None:
    """ "袁世凯的确窃取了…", "慈禧…非常干练", "…明显优于中共": both judges: "an evaluative judgement, not a
    checkable fact; it has no clear truth value"."""
    planner = prepare(HISTORY, "zh").planner
    assert planner._hedged("袁世凯的确窃取了辛亥革命的果实，但他的称帝是君主立宪。")
    assert planner._hedged("慈禧皇太后虽然在当时专制政治体制上非常干练，但其最高目的仍然是维系统治。")
    assert planner._hedged("李鸿章是中国近代史上一个极为重要的人物。")  # inside jieba's word 极为重要
    assert not planner._hedged("洋务运动是清政府中的洋务派开展的一场自救运动。")
    english = prepare(
        [
            "Eugenics was a social movement that claimed to improve the genetic quality of a population.",
            "The eugenics movement shaped the history of mental testing in the early twentieth century.",
            "Francis Galton coined the word eugenics in 1883 and promoted selective breeding of people.",
            "Compulsory sterilization laws were adopted by many states under the influence of eugenics.",
            "Intelligence tests were used by eugenicists to classify people as feeble-minded or normal.",
        ],
        "en",
    ).planner
    assert english._hedged("Unfortunately, eugenics shaped the history of mental testing.")
    assert not english._hedged("Eugenics shaped the history of mental testing.")


def test_also_and_again_lean_on_the_sentence_before() -> None:
    """ "时隔十六年，英、法联军又发动了第二次鸦片战争", "直隶也走在全国前列": again after what, also as what?"""
    assert refers_elsewhere("时隔十六年，英、法联军又发动了第二次鸦片战争。", ZH)
    assert refers_elsewhere("在政治体制改革方面，直隶也走在全国前列。", ZH)
    assert refers_elsewhere("传统观点认为他是刽子手和卖国贼。", ZH)
    # "also called" and "X 是 A，也是 B" name no earlier sentence.
    assert not refers_elsewhere("内中断又称异常或同步中断，是来自处理器内部的中断信号。", ZH)
    assert not refers_elsewhere("等离子体频率是电磁波的截止频率，也是高频静电振荡的共振频率。", ZH)


def test_a_false_statement_is_not_given_away_by_its_own_term() -> None:
    """ "内中断…是来自处理器外部的中断信号": "contradicts itself" (内 in the term, 外部 in the claim)."""
    prepared = prepare(HISTORY, "zh")
    made = [c for c in prepared.candidates if c.sentence_text.startswith("内中断")]
    assert made
    falses = [prepared.planner.complete(candidate).false for candidate in made]
    assert not any(false and "外部" in false for false in falses), falses


def test_the_model_unnamed_needs_its_context() -> None:
    """ "… is the representation of inner eye in the model": "refers to a model the stem never names"."""
    assert refers_elsewhere("The visuospatial sketchpad is the representation of the inner eye in the model.", EN)
    assert not refers_elsewhere("The sketchpad is the inner eye in the model of working memory.", EN)
    assert not refers_elsewhere("The sketchpad is the inner eye in Baddeley's model of memory.", EN)


def test_a_heading_run_into_its_sentence_is_not_asked() -> None:
    """ "Skinner people and nonhumans learn …", "Verbal Behaviour Skinner defined speech …": "the heading
    has fused into the stem"."""
    lower = frozenset(
        [
            "people",
            "and",
            "nonhumans",
            "learn",
            "about",
            "events",
            "verbal",
            "behaviour",
            "defined",
            "speech",
            "as",
            "a",
            "dispersion",
        ]
    )
    assert fused_heading("Skinner people and nonhumans learn about events.", lower, EN)
    assert fused_heading("Verbal Behaviour Skinner defined speech as a verbal behaviour.", lower, EN)
    assert not fused_heading("Skinner defined speech as a verbal behaviour.", lower, EN)
    assert not fused_heading("AES encryption uses a block of sixteen bytes.", lower, EN)
    assert not fused_heading("Modal dispersion arises in multimode fibres.", lower, EN)
    assert not fused_heading("The Fourier transform of a product is a convolution.", lower | {"the"}, EN)
    assert not fused_heading("Non-white citizens were deemed inferior by the movement.", lower, EN)


def test_two_sentences_run_together_are_not_clean() -> None:
    """ "… represented verbally. the secondary mode of coding …": a full stop inside, no capital after it."""
    assert not is_clean("Inner voice is represented verbally. the secondary mode of coding is auditory.", EN)
    assert is_clean("Inner voice shows that information in immediate memory can be represented verbally.", EN)


def test_a_negative_or_a_matter_of_degree_is_no_true_false_item() -> None:
    """ "Extinction is not a contingency in and of itself" ("ambiguous"), "The eugenics movement deeply
    impacted public policy" ("no student would mark it false"), "Human activities have greatly
    decreased …" ("plainly absurd"), "内核不知道线程的存在"."""
    english = prepare(
        [
            "Eugenics was a social movement that claimed to improve the genetic quality of a population.",
            "The eugenics movement shaped the history of mental testing in the early twentieth century.",
            "Francis Galton coined the word eugenics in 1883 and promoted selective breeding of people.",
            "Compulsory sterilization laws were adopted by many states under the influence of eugenics.",
        ],
        "en",
    ).planner
    assert english._hedged("Extinction is not a contingency in and of itself.")
    assert english._hedged("The eugenics movement deeply impacted public policy and stigma around mental health.")
    assert not english._hedged("The eugenics movement impacted public policy on immigration in the 1920s.")
    chinese = prepare(HISTORY, "zh").planner
    assert chinese._hedged("用户级线程的管理工作由应用程序完成，内核不知道线程的存在。")
    assert not chinese._hedged("用户级线程的管理工作由应用程序完成，在用户空间进行。")


def test_a_label_run_into_its_line_is_debris() -> None:
    """ "Aversive stimulus stimulus that is conditioned …", "FI-n min None of the targeted responses …"."""
    assert not is_clean("Aversive stimulus stimulus that is conditioned with an unpleasant consequence.", EN)
    assert not is_clean("FI-n min None of the targeted responses that occur during the interval are reinforced.", EN)
    assert is_clean("None of the targeted responses that occur during the interval are reinforced.", EN)


def test_a_word_lost_between_a_preposition_and_a_verb_is_debris() -> None:
    """ "Marine protected areas and better monitoring of provides for …": "missing its object"."""
    assert not is_clean("Marine protected areas and better monitoring of provides for sustainable management.", EN)
    assert is_clean("Marine protected areas and better monitoring of fish stocks provide sustainable management.", EN)


AURORA = [
    "等离子体由带电粒子和中性粒子组成，带电粒子包括电子和离子，整体呈电中性。",
    "基本粒子是构成物质的最小单元，带电粒子在磁场中做回旋运动。",
    "当带电粒子进入极地的高层大气时，与大气中的原子和分子碰撞并激发，产生极光。",
    "中性粒子不受磁场的约束，带电粒子沿磁感线运动，电中性是等离子体的基本性质。",
    "近代中国经历了鸦片战争、中法战争、中日战争和北伐战争，世界反法西斯战争中中国是重要战场。",
    "鸦片战争以后，林则徐、魏源等知识分子提出了师夷长技以制夷的主张，中法战争以后洋务派继续兴办企业。",
]


def test_chinese_distractors_share_the_key_head_morpheme_and_its_length() -> None:
    """ "带电粒子" offered beside "电中性" (a property, not a particle); "世界反法西斯战争" beside "鸦片战争"
    ("an anachronistic throw-away"): distractors of another kind."""
    prepared = prepare(AURORA, "zh")
    distractors = prepared.planner.distractors
    for candidate in prepared.candidates:
        if candidate.key.blank:
            continue
        key = candidate.answer
        for option in distractors.of(candidate):
            assert option[-1] == key[-1], (key, option)
            assert 0.6 <= len(option) / len(key) <= 1.6, (key, option)
    charged = next(c for c in prepared.candidates if c.answer == "带电粒子")
    assert "电中性" not in distractors.of(charged) and not prepared.planner.complete(charged).supports("mcq")
    assert distractors._good_sibling("北伐战争", "鸦片战争")
    assert not distractors._good_sibling("世界反法西斯战争", "鸦片战争")


def test_a_chinese_line_that_stops_short_ends_its_paragraph() -> None:
    """ "用户栈位于用户地址空间，用于…临时变量等核心栈位于内核地址空间…": "two sentences run together
    with no punctuation". Justified Chinese lines run to the margin; one that stops short has ended."""
    page = "\n".join(
        [
            "进程有两个栈，用户栈和核心栈，随处理器状态改变而修改栈指针的值，栈指针指向栈顶",
            "用户栈位于用户地址空间，用于用户程序的调用、返回、临时变量等",
            "核心栈位于内核地址空间，用途包括保存中断现场和保存操作系统程序相互调用时的参数返回",
            "值和临时变量等。每个进程在创建时绑定一个核心栈，可读可写不可执行，由内核管理和使用",
            "处理器状态分为核心态和用户态，核心态可以执行全部指令，用户态只能执行非特权指令。",
            "中断是指程序执行过程中遇到急需处理的事件时暂时中止现行程序在处理器上的执行，转去执",
            "行相应的事件处理程序，待处理完成后返回原程序被中止处或调度其他程序执行的过程。",
        ]
    )
    paragraphs = build_document([page]).text.split("\n")
    assert any(p.endswith("用户栈位于用户地址空间，用于用户程序的调用、返回、临时变量等") for p in paragraphs)
    assert any(p.startswith("核心栈位于内核地址空间") and "参数返回值和临时变量等。" in p for p in paragraphs)
    assert any("暂时中止现行程序在处理器上的执行，转去执行相应的事件处理程序" in p for p in paragraphs)


def test_a_sentence_with_a_typo_of_the_document_is_not_asked() -> None:
    """ "The scalar product with the oriented surfae …", "The Fourier tranform of a product …": "the
    typo copied from the source" had to be fixed by hand."""
    words = "surface surface transform transform cyanobacteria cyanobacteria thermalization thermalization"
    spelling = Spelling(words + " surfae tranform cyanobacterial thermalisation", EN.zipf)
    assert spelling.misspelt("The oriented surfae indicates the circulation.") == "surfae"
    assert spelling.misspelt("The Fourier tranform of a product is a convolution.") == "tranform"
    assert spelling.misspelt("Cyanobacterial genes moved to the nucleus.") is None  # a longer form
    assert spelling.misspelt("The thermalisation time is short.") is None  # British spelling


def test_notes_emphasis_and_trailing_keywords_are_not_statements() -> None:
    """ "偏导数连续仅仅是可微的充分条件！" ("drop the note-style ！"); "管理的对象是任务人财物等资源，知识专业性、
    手段技术性、方式规范性、科学技术性。" ("a telegraphic string of keywords")."""
    assert not is_clean("偏导数连续仅仅是多元函数可微的充分条件！", ZH)
    assert is_clean("偏导数连续仅仅是多元函数可微的充分条件。", ZH)
    assert not is_clean("管理的对象是任务人财物等资源，知识专业性、手段技术性、方式规范性、科学技术性。", ZH)
    assert is_clean("晶体的基本性质包括均匀性、各向异性、对称性和最小内能性。", ZH)
    assert not is_clean("Continuous partial derivatives are only a sufficient condition for this!", EN)


def test_the_writers_our_in_a_definition_points_nowhere() -> None:
    """Round 3: an ethics text gave no question at all; "… the basis of our argument are known as
    premises" defines its term, and "our" is everyone's. Outside a definition "our" still leans on
    the text around it."""
    from examgen.generator.sentences import Sentence
    from examgen.generator.statements import statement

    defined = statement(
        Sentence(0, "The statements that contain the basis of our argument are known as premises.", 0, 1), EN
    )
    assert defined is not None and defined.kind == "definition" and defined.name == "premises"
    assert statement(Sentence(0, "Our argument starts from the premises and ends in a conclusion.", 0, 1), EN) is None


def test_a_means_and_its_aim_are_not_swapped() -> None:
    """ "差错控制：通过加入检测和重传机制，降低可靠性": "error control lowers reliability" gives itself away."""
    from examgen.generator.falsify import _PURPOSE

    assert _PURPOSE.search("差错控制：通过加入检测和重传机制，")
    assert _PURPOSE.search("Crop rotation is used to ")
    assert not _PURPOSE.search("Human activities have ")


def test_a_title_run_into_its_sentence_is_not_asked() -> None:
    """ "Hemispheric Lateralization Language production is pre-dominantly controlled by …"."""
    lower = frozenset("language production is controlled by the left hemisphere".split())  # noqa: SIM905
    assert fused_heading("Hemispheric Lateralization Language production is controlled by the left.", lower, EN)
    assert not fused_heading("Simple Power Analysis (SPA) is an umbrella term for attacks.", lower, EN)
