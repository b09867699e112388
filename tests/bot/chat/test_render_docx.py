"""The .docx a writer hands in: title, real heading styles, body, flags and sources, in the 公文 layout (GB/T 9704
as the reference): A4, margins, Chinese fonts and sizes, 2-character indent, fixed 28 pt lines, "— 1 —" page numbers."""

from __future__ import annotations

import zipfile
from io import BytesIO
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from bot.chat.render.docx import draft_to_docx
from retrieval.answers.types import Citation
from retrieval.drafting import DraftService
from retrieval.drafting.types import Draft, DraftFlag, DraftParagraph, DraftSection
from tests.fakes.searcher import FakeSearcher
from tests.retrieval.drafting.test_kinds import CHUNKS

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph

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


def test_chinese_fonts_and_sizes_are_set_in_the_east_asian_slot() -> None:
    document = _document()
    styles = document.styles
    fonts = {
        name: (
            styles[name].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")),
            styles[name].font.size.pt,
            bool(styles[name].font.bold),
        )
        for name in ("Normal", "Title", "Heading 1", "Heading 2")
    }
    assert fonts == {
        "Normal": ("仿宋_GB2312", 16, False),  # 三号
        "Title": ("方正小标宋简体", 22, False),  # 二号
        "Heading 1": ("黑体", 16, False),
        "Heading 2": ("楷体_GB2312", 16, False),
    }
    assert styles["Heading 1"].font.color.rgb == (0, 0, 0)
    assert document.core_properties.title == DRAFT.title
    title = document.paragraphs[0]
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_machines_without_the_gb2312_fonts_fall_back_to_their_common_names() -> None:
    with zipfile.ZipFile(BytesIO(draft_to_docx(DRAFT))) as docx:
        font_table = docx.read("word/fontTable.xml").decode("utf-8")
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in font_table
    assert '<w:font w:name="楷体_GB2312"><w:altName w:val="楷体"/>' in font_table


def test_page_is_a4_with_official_document_margins() -> None:
    section = _document().sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]


def test_body_and_headings_are_indented_two_characters_on_fixed_28pt_lines() -> None:
    document = _document()
    body = [p for p in document.paragraphs if p.style.name == "Normal"]
    assert body
    assert all(p.paragraph_format.first_line_indent == Pt(32) for p in body)  # 2 × 16 pt
    for name in ("Heading 1", "Heading 2"):
        assert document.styles[name].paragraph_format.first_line_indent == Pt(32)
    for name in ("Normal", "Heading 1", "Heading 2"):
        fmt = document.styles[name].paragraph_format
        assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
        assert 28 <= fmt.line_spacing.pt <= 29
        assert fmt.space_before == fmt.space_after == 0
    title = document.styles["Title"].paragraph_format
    assert title.first_line_indent is None


def _footer_text_and_fields(paragraph: Paragraph) -> tuple[str, list[str]]:
    xml = paragraph._p
    shown = "".join(t.text for t in xml.iter(qn("w:t")))
    fields = [i.text.strip() for i in xml.iter(qn("w:instrText"))]
    return shown, fields


def test_pages_are_numbered_at_the_bottom_with_a_page_field_between_dashes() -> None:
    document = _document()
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for paragraph in (odd, even):
        assert _footer_text_and_fields(paragraph) == ("— 1 —", ["PAGE"])
        assert {r.font.size for r in paragraph.runs} == {Pt(14)}  # 四号
        fonts = {r._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) for r in paragraph.runs}
        assert fonts == {"宋体"}
    assert odd.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT  # odd pages: outer edge is right
    assert even.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT
    begin_end = [c.get(qn("w:fldCharType")) for c in odd._p.iter(qn("w:fldChar"))]
    assert begin_end == ["begin", "separate", "end"]


def test_a_drafted_yaodian_opens_as_a4_with_its_name_and_its_parts_in_order() -> None:
    """A real draft (fixed searcher over report paragraphs and a plan with 总体要求…保障措施) read back."""
    draft = DraftService(FakeSearcher(CHUNKS)).draft("下半年传染病防控工作要点")
    document = Document(BytesIO(draft_to_docx(draft)))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert document.paragraphs[0].text == "下半年传染病防控工作要点（素材汇编）"
    tops = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert tops == ["一、总体要求", "二、工作目标", "三、下半年重点工作", "四、保障措施", "来源"]
    body = "\n".join(p.text for p in document.paragraphs)
    assert "为切实做好" not in body


def test_every_page_is_marked_as_ai_assisted_outside_the_text() -> None:
    document = _document()
    section = document.sections[0]
    for header in (section.header, section.even_page_header):
        assert [p.text for p in header.paragraphs] == ["AI 辅助起草，需人工审核"]
    assert document.core_properties.comments == "AI 辅助起草，需人工审核"
