"""The page and paragraph layout of a 公文-style .docx (GB/T 9704 as the reference): A4, margins, fonts, page numbers.

Chinese text needs the East Asian font slot (``w:eastAsia``) set explicitly, otherwise WPS and Word fall back to a
Latin font for CJK. The GB2312 font names are what 公文 templates use; the font table names the common Windows
fonts as alternatives for machines without them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.section import Section
    from docx.styles.style import ParagraphStyle
    from docx.text.paragraph import Paragraph
    from docx.text.parfmt import ParagraphFormat

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
# Sizes by their Chinese names (points)
SIZE_2, SIZE_3, SIZE_4 = 22.0, 16.0, 14.0
# style name → (East Asian font, size, bold)
STYLES: dict[str, tuple[str, float, bool]] = {
    "Normal": (BODY_FONT, SIZE_3, False),
    "Title": (TITLE_FONT, SIZE_2, False),
    "Heading 1": (HEADING1_FONT, SIZE_3, False),
    "Heading 2": (HEADING2_FONT, SIZE_3, False),
    "Heading 3": (BODY_FONT, SIZE_3, False),  # GB/T 9704: 第三层 仿宋, not bold
}
# Fonts a reader's machine may lack → the font Windows and WPS ship under a plain name
ALT_FONTS = {BODY_FONT: "仿宋", HEADING2_FONT: "楷体", TITLE_FONT: "宋体"}
PAGE_SIZE = (Mm(210), Mm(297))  # A4
MARGINS = (Mm(37), Mm(35), Mm(28), Mm(26))  # top, bottom, left, right
FOOTER_DISTANCE = Mm(25)  # the page number sits about 7 mm below the text block
LINE_SPACING = Pt(28)  # fixed: 22 lines on a page of 三号 text
FIRST_LINE_INDENT = Pt(2 * SIZE_3)  # two characters
PAGE_NUMBER_DASH = "—"


def _set_fonts(rpr: BaseOxmlElement, east_asia: str, latin: str) -> None:
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme_attr), None)  # a theme font would override the names above


def _style_font(style: ParagraphStyle, east_asia: str, size: float, bold: bool) -> None:
    font = style.font
    font.name = LATIN_FONT
    font.size = Pt(size)
    font.bold = bold
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    _set_fonts(style.element.get_or_add_rPr(), east_asia, LATIN_FONT)


def indent_first_line(fmt: ParagraphFormat) -> None:
    """Indent the first line by two characters (also as ``firstLineChars`` for WPS and Word)."""
    fmt.first_line_indent = FIRST_LINE_INDENT
    ind = fmt.element.get_or_add_pPr().find(qn("w:ind"))
    if ind is not None:
        ind.set(qn("w:firstLineChars"), "200")


def _fixed_lines(fmt: ParagraphFormat) -> None:
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_SPACING
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _paragraph_styles(document: DocxDocument) -> None:
    for name, (east_asia, size, bold) in STYLES.items():
        style = document.styles[name]
        _style_font(style, east_asia, size, bold)
        _fixed_lines(style.paragraph_format)
    normal = document.styles["Normal"]
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    lang = OxmlElement("w:lang")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        indent_first_line(document.styles[name].paragraph_format)
        document.styles[name].paragraph_format.keep_with_next = True
    title = document.styles["Title"].paragraph_format
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.space_after = LINE_SPACING  # one empty line below the title
    title.line_spacing = Pt(SIZE_2 + 12)  # a two-line title keeps its lines apart
    title_ppr = document.styles["Title"].element.get_or_add_pPr()
    for border in title_ppr.findall(qn("w:pBdr")):  # the default template underlines the title
        title_ppr.remove(border)


def _field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """Append a field (e.g. ``PAGE``) that WPS/Word compute when they lay out the page."""
    instr = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
    instr.text = f" {instruction} "
    parts = [
        OxmlElement("w:fldChar", {qn("w:fldCharType"): "begin"}),
        instr,
        OxmlElement("w:fldChar", {qn("w:fldCharType"): "separate"}),
        None,  # the text shown until the field is updated
        OxmlElement("w:fldChar", {qn("w:fldCharType"): "end"}),
    ]
    for part in parts:
        if part is None:
            paragraph.add_run(placeholder)
        else:
            paragraph.add_run()._r.append(part)


def _page_number(paragraph: Paragraph, align: WD_ALIGN_PARAGRAPH) -> None:
    """``— 1 —`` in 宋体 四号, one character in from the outer edge (odd pages right, even pages left)."""
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.first_line_indent = Pt(0)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = Pt(SIZE_4)
    else:
        fmt.left_indent = Pt(SIZE_4)
    paragraph.add_run(f"{PAGE_NUMBER_DASH} ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(f" {PAGE_NUMBER_DASH}")
    for run in paragraph.runs:
        run.font.size = Pt(SIZE_4)
        _set_fonts(run._r.get_or_add_rPr(), PAGE_NUMBER_FONT, PAGE_NUMBER_FONT)


def _page(document: DocxDocument, section: Section) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_SIZE
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = MARGINS
    section.footer_distance = FOOTER_DISTANCE
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _alternative_fonts(document: DocxDocument) -> None:
    """Name a common font in the font table as the fallback for each GB2312/方正 font."""
    font_table = next(
        rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable")
    )
    table = parse_xml(font_table.blob)
    for name, alternative in ALT_FONTS.items():
        font = OxmlElement("w:font", {qn("w:name"): name})
        font.append(OxmlElement("w:altName", {qn("w:val"): alternative}))
        font.append(OxmlElement("w:charset", {qn("w:val"): "86"}))  # GB2312
        table.append(font)
    # python-docx keeps the font table as an opaque part: replace its bytes
    font_table._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def official_document() -> DocxDocument:
    """An empty A4 document with the 公文 styles, margins and page numbers set."""
    document = Document()
    _paragraph_styles(document)
    for section in document.sections:
        _page(document, section)
    _alternative_fonts(document)
    return document
