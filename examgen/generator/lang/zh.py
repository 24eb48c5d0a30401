"""Chinese (简体): jieba's words instead of spaces, full-width punctuation, 称为/是指/：definitions."""

from __future__ import annotations

import re

from .profile import DefinitionRule, Profile, pairs, words_of

LABELS = {
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
    "fewer": "本文档只能出 {made} 道合格的题（要求 {asked} 道）：{why}。",
    "why_short": "文档较短",
    "why_few_statements": "能单独成立、陈述定义、性质、原因或对比的句子不多",
    "why_formulas": "{pages} 页中有 {bad} 页的公式不在文本层中",
    "why_little_text": "{pages} 页中有 {bad} 页几乎没有文字",
}

# Opening a sentence, these lean on what came before (matched as prefixes: Chinese has no spaces).
DANGLING_START = words_of(
    """
    这 那 它 他 她 其 此 该 但 然而 因此 所以 而 而且 并且 同时 另外 此外 于是 因而 从而 也 还 又 再 则 故
    上述 以上 前者 后者 不过 总之 综上 同理 同样 类似 首先 其次 再次 最后 第一 第二 第三 一方面 另一方面
    例如 比如 譬如 即 也就是说 换句话说 换言之 实际上 事实上 当然 显然 可见 由此 由上 注意 注 解 证 证明 例
    那么 接着 然后 之后 此时 这时 接下来 下面 上面 前面 后面 反之 相反 对此 为此 据此 故而 进而 既 又 都 便 就 才
    只 仅 可以 可 能 会 将 把 被 对于 关于 至于 就是 也就是 或者说 或 以至于 使得 从而 进一步 甚至 不一定 是的 不是 否
    对 错 当然 现在 下面 简言之 总而言之 一言以蔽之 总的来说 概括地说 假定 假设 设 令 若 记 值得注意 需要注意 要注意
    值得一提 需要指出 应当指出 必须指出
    """
)

POINTERS = re.compile(
    r"上述|上文|下文|前文|前者|后者|如图|见图|如表|见表|[图表]\s*\d|式\s*[（(]?\d|[上下该此本]式|本章|本节|本书|本文|本篇"
    r"|这里|这时|此时|此处|以上|如下|以下|下面|上面|前面|后面|我们|我|你|您|大家|其中|其他|其它|另一"
    r"|这|那些|那个|它|他们|她们|该[^\W\d_]|此|现在|考虑|[（(]\s*\d+(?:\.\d+)*\s*[)）]|第\s*\d+\s*[章节页]"
    r"|[一二三四五六七八九十]+[、.．]|之后|之前|同上|后来"
    # "also" and "again" lean on what was said before ("直隶也走在…", "时隔十六年，…又发动了"), not
    # "also called" (又称, 也叫).
    r"|又(?![称叫名])|(?<![，,])也(?![称叫无])|[他她](?!们)"
    # "…的性质是相似的": similar to what? A comparison without its other side.
    r"|^[^与和跟同较比]*(?:相似|类似|相同|一样|不同)的?[。．！]?$"
)

META = re.compile(
    r"^(?:例|例题|习题|练习|思考|思考题|问题|问|答|解|证|证明|注|注意|提示|总结|小结|结论|定理|引理|推论|命题"
    r"|性质\s*\d|表述|写在前面|前言|目录|参考|附录|Example|Note|Proof|Lemma|Theorem)"
    r"|^(?:简述|试述|概述|论述|说明|讨论|分析|比较|举例|列举|画出|写出|推导|计算|解释|描述|阐述)"
    r"|^(?:如果|假如|若|要是)[^，,]*$"
    r"|求[^\W\d_]|试[证求说写画分比]|证明[：:]|如何|怎样|为什么|是什么|哪些|吗[？?。]?$|[？?]$"
    r"|笔记|课堂|讲义|考试|复习|期末|期中|作业|老师|同学|课程|本篇|划重点|背就行|考点|重点[：:]|节选|原典|书目|参考书|证毕"
    r"|《[^》]*》[^《]*《|[：:]\s*(?:如|例如|比如|譬如)|值得注意的是|需要注意的是"
    r"|如下[：:]|以下[几两三四五]|有以下|分为以下|包括以下|[：:]$"
)

# A term: two to twelve characters that are not punctuation or a function word's start, with an
# optional name in brackets after it ("结晶学原胞 (晶胞)", "磁流体力学（MHD）"), or its English name
# beside it ("join 连接：…", "…称为简单图 simple graph").
_NAME = r"[^\s，。；：:、,.;（）()“”\"'《》！？!?A-Za-z]{2,12}"
_TERM = rf"(?P<term>{_NAME}(?:\s?[（(](?P<abbr>[^（）()]{{1,24}})[)）])?)"
_GLOSS = r"(?P<gloss>[A-Za-z][A-Za-z'’-]*(?: [A-Za-z][A-Za-z'’-]*){0,3})"
DEFINITIONS = (
    DefinitionRule(re.compile(rf"^(?:{_GLOSS}\s)?{_TERM}\s?[：:]\s?(?P<body>[^：:]{{8,}}[。．！；;]?)$"), "colon"),
    DefinitionRule(
        re.compile(
            rf"^(?:所谓)?{_TERM}[，,]?\s?(?:是指|指的是|就是指|是一种|是一类|是一个|是一门)(?P<body>.{{6,}}[。．！；;]?)$"
        ),
        "is-a",
    ),
    DefinitionRule(re.compile(rf"^{_TERM}是(?!否|不)(?P<body>.{{8,}}的[^，。；]{{1,8}}[。．！；;]?)$"), "is"),
    DefinitionRule(
        re.compile(
            r"^(?P<body>.{6,}?)[，,]?\s?(?:被称为|称为|叫做|叫作|称之为|定义为|称作|简称为?)\s?"
            rf"(?P<term>{_NAME}(?:\s?[（(](?P<abbr>[^（）()]{{1,24}})[)）])?)(?:\s{_GLOSS})?[。．！；;]?$"
        ),
        "called",
    ),
)

# Opposite qualities and directions. Pairs of things (晶体/非晶体, 电子/离子) are swapped only where they
# are the statement's own term (falsify.py): inside a description they may leave it true.
CONTRASTS = pairs(
    """
    增加/减少 增大/减小 升高/降低 上升/下降 提高/降低 大于/小于 高于/低于 多于/少于 最大/最小 最高/最低
    正电荷/负电荷 正极/负极 正离子/负离子 吸收/放出 吸收/释放 吸热/放热 氧化/还原 有氧/无氧 收敛/发散
    稳定/不稳定 必要条件/充分条件 内部/外部 内因/外因 直接/间接 主动/被动 静态/动态 可逆/不可逆 连续/离散
    有限/无限 顺时针/逆时针 平行/垂直 横向/纵向 宏观/微观 长期/短期 前馈控制/反馈控制 事前/事后 集中/分散
    正式/非正式 主观/客观 主体/客体 先验/后验 必然/偶然 绝对/相对 抽象/具体 唯物/唯心 理性/感性
    纵波/横波 加速/减速 膨胀/收缩 吸引/排斥
    上限/下限 左/右 北/南 东/西 进口/出口 供给/需求 通货膨胀/通货紧缩 盈余/赤字 资产/负债
    经验主义/理性主义 演绎/归纳 肯定/否定
    """
)


def subject_first(text: str) -> bool:
    from ..keyphrases_zh import subject_first as by_jieba  # jieba loads on first use, not at import

    return by_jieba(text)


def opens_with_verb(text: str) -> bool:
    from ..keyphrases_zh import opens_with_verb as by_jieba  # jieba loads on first use, not at import

    return by_jieba(text)


def noun_phrase(text: str) -> bool:
    """jieba reads the text as a noun phrase: its last word a noun, no verb, preposition or
    conjunction in it ("结点可以", "假定磁场" and "等离子体在热平衡时" are not)."""
    from ..keyphrases_zh import noun_phrase as by_jieba  # jieba loads on first use, not at import

    return by_jieba(text)


PROFILE = Profile(
    code="zh",
    cjk=True,
    labels=LABELS,
    markers=frozenset(),
    stop=frozenset(),
    weak=words_of(
        """
        过程 方面 问题 方法 情况 部分 时候 结果 内容 作用 影响 特点 关系 主要 重要 方式 东西 原因 利用 证明 产生
        储存 提供 使用 包括 进行 通过 实现 发现 研究 发展 建立 提出 采用 获得 具有 成为 称为 认为 表示 需要 可以
        能够 作为 面向 前身 范围 一定 全球 现行 世界 文化 地点 不同 之间 时期 阶段 系统 方向 长度 无法 理论 概念
        定义 性质 条件 结构 方程 函数 问题 部分 形式 特征 意义 目的 目标 基础 原理 规律 现象 因素 水平 能力 体系
        """
    ),
    dangling_start=DANGLING_START,
    hedges=words_of(
        "通常 一般 往往 常常 经常 有时 有时候 大多 大多数 多数 大部分 某些 可能 也许 或许 大约 大致 大概 基本上 目前 现在 当前 近年来 如今 等等 应 应该 应当"
    ),
    opinions=words_of(
        """
        的确 确实 诚然 虽然 尽管 固然 非常 十分 极其 极为 很 颇 相当 明显 显然 显著 真正 彻底 伟大 光辉 反动 腐朽 腐败
        黑暗 落后 先进 进步性 局限性 功绩 功劳 罪行 罪恶 佳话 无疑 只能 不得不 清醒 干练 英明 昏庸 野心 严重 实质上
        本质上 归根结底 其实 某种程度 一定程度 可悲 可贵 可惜 幸运 不幸 成功地 失败 值得
        深刻 极大 大大 惨败 最力 前列 主因 允称 愈趋 适时 顺应 潮流 强大 巨大 重大 深远 积极 消极 佳话 觉醒
        极为重要 十分重要 非常重要 深入人心 先进性 实际上 事实上 卖国 刽子手 英雄 杰出 著名
        毋庸置疑 理所应当 理所当然 敢于 劣迹 才干 聪明 愚蠢 可耻 光荣 开明 丧权辱国
        """
    ),
    negations=words_of("不 没 没有 并非 并不 不是 不会 不能 未 无法 不可 不必 绝非"),
    back_nouns=words_of(
        """
        学派 模型 理论 方法 算法 系统 过程 装置 实验 方程 公式 定理 结论 体系 学说 观点 思想 运动 机制 结构 方案 技术
        作者 研究 原理 定律 规律 概念 现象 效应 学者 研究者
        """
    ),
    reader=re.compile("我们"),
    pointers=POINTERS,
    meta=META,
    definitions=DEFINITIONS,
    contrasts=CONTRASTS,
    opposite_prefixes=("非", "不", "无", "反", "逆"),
    generic_zipf=4.3,
    not_terms=words_of(
        """
        特点 特征 优点 缺点 共同点 不同点 区别 联系 问题 原因 根源 结果 结论 方法 步骤 作用 意义 目的 原理 关键 重点
        难点 核心 本质 好处 坏处 影响 条件 要求 总结 概括 分类 类型 例子 注意 答案 内容 方面 要点 表现 形式 性质
        时期 时代 年代 世纪 年间 期间 时候 阶段 过程 方法 情况
        """
    ),
    is_noun=noun_phrase,
    declarative=subject_first,
    describes=opens_with_verb,
    variant="试卷 {}",
)
