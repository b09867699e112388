"""The .docx a writer opens in WPS/Word: title, real heading styles, body, flags and sources, Chinese fonts."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.oxml.ns import qn

from bot.docx_export import draft_to_docx
from retrieval.types import Citation, Draft, DraftFlag, DraftParagraph, DraftSection

DRAFT = Draft(
    title="下半年传染病防控工作计划",
    mode="llm",
    sections=[
        DraftSection("", [DraftParagraph("为扎实做好××年下半年传染病防控工作，制定本计划。")]),
        DraftSection("一、上半年工作回顾", [DraftParagraph("1.培训医护人员100余名[1]。", [1])]),
        DraftSection("二、下半年重点工作", []),
        DraftSection(
            "（一）加强疾病预防控制工作",
            [DraftParagraph("1.抓好手足口病防治，培训500名【待核实】[2]。", [2])],
        ),
    ],
    citations=[
        Citation(
            1,
            "d1-0007",
            "000_x.txt",
            "衛生局上半年工作總結",
            ("一、xx年上半年工作總結",),
            "培訓醫護人員100餘名",
        ),
        Citation(
            2, "d1-0016", "000_x.txt", "衛生局上半年工作總結", ("三、xx年下半年工作打算",), "抓好手足口病"
        ),
    ],
    flags=[DraftFlag("培训500名", "数字未见于所引资料[2]")],
)


def _document() -> Document:
    return Document(BytesIO(draft_to_docx(DRAFT)))


def test_headings_use_real_heading_styles() -> None:
    rows = [(p.style.name, p.text) for p in _document().paragraphs]
    assert rows == [
        ("Title", "下半年传染病防控工作计划"),
        ("Normal", "为扎实做好××年下半年传染病防控工作，制定本计划。"),
        ("Heading 1", "一、上半年工作回顾"),
        ("Normal", "1.培训医护人员100余名[1]。"),
        ("Heading 1", "二、下半年重点工作"),
        ("Heading 2", "（一）加强疾病预防控制工作"),
        ("Normal", "1.抓好手足口病防治，培训500名【待核实】[2]。"),
        ("Heading 1", "待核实"),
        ("Normal", "培训500名（数字未见于所引资料[2]）"),
        ("Heading 1", "来源"),
        ("Normal", "[1] 《衛生局上半年工作總結》 一、xx年上半年工作總結（000_x.txt）"),
        ("Normal", "[2] 《衛生局上半年工作總結》 三、xx年下半年工作打算（000_x.txt）"),
    ]


def test_chinese_fonts_are_set_in_the_east_asian_slot() -> None:
    styles = _document().styles
    fonts = {
        name: styles[name].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))
        for name in ("Normal", "Title", "Heading 1", "Heading 2")
    }
    assert fonts == {"Normal": "仿宋", "Title": "宋体", "Heading 1": "黑体", "Heading 2": "楷体"}
    assert styles["Heading 1"].font.color.rgb == (0, 0, 0)
    assert _document().core_properties.title == DRAFT.title


def test_page_margins_follow_official_document_layout() -> None:
    section = _document().sections[0]
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.cm, 1) for m in margins] == [3.7, 3.5, 2.8, 2.6]
