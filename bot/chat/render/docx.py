"""A ``Draft`` as a .docx a writer can hand in: 公文 layout (A4, fonts, page numbers), real heading styles, sources.

The layout itself (page, styles, footer) is in ``bot.chat.render.docx_layout``; this module only lays the draft's title,
sections, 待核实 list and sources into it.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from bot.chat.render.docx_layout import indent_first_line, official_document
from bot.chat.render.draft_text import citation_line
from bot.chat.render.labels import FLAGS_TITLE, SOURCES_TITLE
from retrieval.drafting.outline import heading_level

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.section import Section

    from retrieval.drafting.types import Draft


AI_ASSIST_MARK = "AI 辅助起草，需人工审核"
"""Printed in every page's header of every draft (and shown on the web 起草 page): no draft leaves unmarked."""


def _mark(section: Section) -> None:
    """The AI-assistance mark in the page header, odd and even pages (the layout sets them apart)."""
    for header in (section.header, section.even_page_header):
        paragraph = header.paragraphs[0]
        paragraph.text = ""
        paragraph.add_run(AI_ASSIST_MARK).font.size = Pt(10.5)  # 五号: a note, not part of the text
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _body(document: DocxDocument, text: str) -> None:
    indent_first_line(document.add_paragraph(text).paragraph_format)


def draft_to_docx(draft: Draft) -> bytes:
    """The .docx file's bytes."""
    document = official_document()
    document.core_properties.title = draft.title
    document.core_properties.language = "zh-CN"
    document.core_properties.comments = AI_ASSIST_MARK
    for page_section in document.sections:
        _mark(page_section)
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
            _body(document, citation_line(citation))
    out = BytesIO()
    document.save(out)
    return out.getvalue()
