"""A Chinese course handout as a real PDF, made with reportlab's built-in STSong-Light CID font.

No font file is needed and pypdf extracts the text correctly, with lines broken mid-sentence the way
real Chinese PDFs come out. Run as a script to write the PDF: python chinese_fixture.py out.pdf
"""

from __future__ import annotations

import io
import sys

CHAPTERS: list[tuple[str, list[str]]] = [
    (
        "第一章 光合作用",
        [
            "光合作用是绿色植物利用光能，把二氧化碳和水转化为储存能量的有机物，并释放出氧气的过程。"
            "光合作用的主要场所是叶绿体，叶绿体中的叶绿素能够吸收红光和蓝紫光。"
            "光合作用分为光反应和暗反应两个阶段，光反应在类囊体薄膜上进行，暗反应在叶绿体基质中进行。",
            "光反应阶段，水在光下分解产生氧气，同时生成三磷酸腺苷和还原型辅酶。"
            "暗反应阶段不需要光照，二氧化碳经过卡尔文循环被固定并还原成葡萄糖。"
            "卡尔文循环由美国科学家卡尔文在1950年前后利用放射性同位素碳十四阐明。",
            "1771年，英国科学家普利斯特利通过实验发现植物可以更新因蜡烛燃烧而变得污浊的空气。"
            "1779年，荷兰科学家英格豪斯证明植物只有在阳光照射下才能更新空气。"
            "1864年，德国科学家萨克斯用碘蒸气处理叶片，证明光合作用的产物中有淀粉。",
            "影响光合作用强度的环境因素主要有光照强度、二氧化碳浓度和温度。"
            "在一定范围内，光合作用强度随光照强度的增加而增强。"
            "农业生产中常用合理密植和间作套种的方法提高光能利用率。",
        ],
    ),
    (
        "第二章 计算机网络基础",
        [
            "计算机网络是把分布在不同地点的计算机通过通信线路连接起来，实现资源共享和信息传递的系统。"
            "按照覆盖范围，计算机网络可以分为局域网、城域网和广域网。"
            "因特网是全球最大的广域网，它起源于1969年美国国防部建立的阿帕网。",
            "开放系统互连参考模型把网络通信划分为七个层次，由国际标准化组织在1984年正式发布。"
            "传输控制协议位于传输层，提供面向连接的可靠数据传输服务。"
            "用户数据报协议同样位于传输层，但它提供无连接的不可靠传输服务。",
            "网际协议负责在网络之间转发数据包，是网络层最重要的协议。"
            "第四版网际协议的地址长度为32位，通常写成用圆点分隔的四个十进制数。"
            "第六版网际协议把地址长度扩展到128位，从根本上解决了地址不足的问题。",
            "域名系统把便于记忆的域名转换为计算机使用的网际协议地址。"
            "超文本传输协议是万维网传输网页所使用的应用层协议。"
            "万维网由英国科学家蒂姆·伯纳斯-李于1989年在欧洲核子研究中心提出。",
        ],
    ),
    (
        "第三章 中国古代科技成就",
        [
            "造纸术、印刷术、火药和指南针被称为中国古代的四大发明。"
            "东汉时期的蔡伦改进了造纸术，用树皮、麻头、破布和旧渔网造出了质量较好的纸。"
            "北宋时期的毕昇发明了活字印刷术，比欧洲早了大约四百年。",
            "指南针的前身是战国时期出现的司南，它利用天然磁石指示南北方向。"
            "北宋科学家沈括在《梦溪笔谈》中记载了磁偏角现象。"
            "火药最早出现在唐代炼丹家的配方中，主要成分是硝石、硫磺和木炭。",
            "南北朝时期的数学家祖冲之把圆周率精确到小数点后第七位。"
            "东汉科学家张衡发明了地动仪，能够测知远方发生地震的方向。"
            "明代医学家李时珍编写的《本草纲目》记载了一千八百多种药物。",
            "都江堰是战国时期秦国蜀郡太守李冰主持修建的大型水利工程。"
            "都江堰至今仍在发挥灌溉和防洪的作用，被誉为世界水利文化的鼻祖。"
            "元代天文学家郭守敬主持编订的授时历，一年的长度与现行公历几乎相同。",
        ],
    ),
    (
        "第四章 地球的结构与运动",
        [
            "地球内部由外向内分为地壳、地幔和地核三个圈层。"
            "地壳和地幔之间的界面叫做莫霍界面，地幔和地核之间的界面叫做古登堡界面。"
            "岩石圈由地壳和上地幔顶部的坚硬岩石组成，平均厚度约为100千米。",
            "地球自转的方向是自西向东，自转一周的时间约为23小时56分。"
            "地球公转的轨道是一个近似正圆的椭圆，太阳位于椭圆的一个焦点上。"
            "由于黄赤交角的存在，太阳直射点在南北回归线之间往返移动，形成了四季。",
            "板块构造学说认为，全球岩石圈分为六大板块，板块内部比较稳定，板块交界地带多火山和地震。"
            "喜马拉雅山脉是亚欧板块和印度洋板块碰撞挤压形成的。"
            "德国气象学家魏格纳在1912年提出了大陆漂移假说。",
            "大气中的二氧化碳等温室气体吸收地面长波辐射，使近地面气温升高，这种现象叫做温室效应。"
            "臭氧层能够吸收太阳紫外线，被称为地球生命的保护伞。"
            "长江是中国第一长河，全长约6300千米，最终注入东海。",
        ],
    ),
]


def build_pdf() -> bytes:
    """The handout as PDF bytes: three chapters, a few pages, a page number in each footer."""
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    rl_config.invariant = 1  # no timestamp or random document id: the same bytes every time
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=11, leading=17, wordWrap="CJK")
    heading = ParagraphStyle("heading", fontName="STSong-Light", fontSize=15, leading=22, spaceAfter=8)

    def footer(canvas: object, doc: object) -> None:
        canvas.setFont("STSong-Light", 9)  # type: ignore[attr-defined]
        canvas.drawCentredString(A5[0] / 2, 20, f"第 {doc.page} 页")  # type: ignore[attr-defined]

    flow: list[object] = []
    for title, paragraphs in CHAPTERS:
        flow.append(Paragraph(title, heading))
        for paragraph in paragraphs:
            flow.extend([Paragraph(paragraph, body), Spacer(1, 6)])
        flow.append(PageBreak())
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A5, title="中国高中课程讲义", author="examgen tests")
    doc.build(flow, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def full_text() -> str:
    return "".join(p for _, paragraphs in CHAPTERS for p in paragraphs)


if __name__ == "__main__":
    with open(sys.argv[1] if len(sys.argv) > 1 else "chinese-course.pdf", "wb") as handle:
        handle.write(build_pdf())
