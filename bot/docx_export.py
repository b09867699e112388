"""A ``Draft`` as a .docx a writer opens in WPS or Word: title, real heading styles, body, sources.

Chinese text needs the East Asian font slot (``w:eastAsia``) set explicitly, otherwise WPS and Word
fall back to a Latin font for CJK. Fonts follow common official-document practice: 黑体 for 一、
headings, 楷体 for （一） headings, 仿宋 for body text, 宋体 for the title.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from bot.chat.render.draft_text import FLAGS_TITLE, SOURCES_TITLE, citation_line
from retrieval.drafting.outline import heading_level

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.styles.style import ParagraphStyle

    from retrieval.types import Draft

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
# style name → (East Asian font, size in points, bold)
STYLES: dict[str, tuple[str, float, bool]] = {
    "Normal": (BODY_FONT, 16, False),
    "Title": (TITLE_FONT, 22, True),
    "Heading 1": ("黑体", 16, False),
    "Heading 2": ("楷体", 16, False),
    "Heading 3": (BODY_FONT, 16, True),
}
FIRST_LINE_INDENT = Pt(32)  # two characters of 16 pt
# Page margins of official documents (GB/T 9704): top, bottom, left, right
MARGINS = (Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6))


def _set_font(style: ParagraphStyle, east_asia: str, size: float, bold: bool) -> None:
    font = style.font
    font.name = LATIN_FONT
    font.size = Pt(size)
    font.bold = bold
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    for attr in ("w:ascii", "w:hAnsi"):
        rfonts.set(qn(attr), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), east_asia)
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme_attr), None)  # a theme font would override the names above


def _styled_document() -> DocxDocument:
    document = Document()
    for name, (east_asia, size, bold) in STYLES.items():
        _set_font(document.styles[name], east_asia, size, bold)
    document.styles["Normal"].paragraph_format.line_spacing = Pt(28)
    for section in document.sections:
        section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = MARGINS
    title = document.styles["Title"]
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_ppr = title.element.get_or_add_pPr()
    for border in title_ppr.findall(qn("w:pBdr")):  # the default template underlines the title
        title_ppr.remove(border)
    return document


def _body(document: DocxDocument, text: str) -> None:
    paragraph = document.add_paragraph(text)
    paragraph.paragraph_format.first_line_indent = FIRST_LINE_INDENT


def draft_to_docx(draft: Draft) -> bytes:
    """The .docx file's bytes."""
    document = _styled_document()
    document.core_properties.title = draft.title
    document.add_heading(draft.title, level=0)
    for section in draft.sections:
        if section.heading:
            document.add_heading(section.heading, level=heading_level(section.heading))
        for paragraph in section.paragraphs:
            _body(document, paragraph.text)
    if draft.flags:
        document.add_heading(FLAGS_TITLE, level=1)
        for flag in draft.flags:
            _body(document, f"{flag.text}（{flag.reason}）")
    if draft.citations:
        document.add_heading(SOURCES_TITLE, level=1)
        for citation in draft.citations:
            document.add_paragraph(citation_line(citation))
    out = BytesIO()
    document.save(out)
    return out.getvalue()
