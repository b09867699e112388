"""Raw report text → cleaned text, 公文 parts, articles, outline, chunks with metadata (pure, no I/O).

The 公文 parts (版头, 文号, title lines, 主送, 附件说明, 落款, 版记; a site's metadata table; a speech's date and speaker
lines) are read first (``ingest/gongwen.py``): they become document metadata and never chunk text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ingest.articles import Article, document_title, is_title_like, marker_of, split_articles, strip_title
from ingest.clean import clean_text
from ingest.gongwen import Gongwen, read_gongwen
from ingest.gongwen_tail import Signature, signed_parts
from ingest.metadata import HEAD_REGION, detect_kind, detect_period, detect_year, report_clue
from ingest.outline import Line, build_sections, split_lines
from ingest.split import MAX_CHUNK_CHARS, pack_spans
from ingest.units import detect_unit
from retrieval.text.injection import instruction_sentences, is_instruction
from retrieval.types import SCAN, ChunkRecord

if TYPE_CHECKING:
    from ingest.scan_text import ScanInfo

ATTACHMENT_LABEL = re.compile(r"^附\s*件\s*\d*\s*[:：]?$")


@dataclass(frozen=True)
class ParsedDocument:
    """A parsed file: ``chunks[i].start/end`` are offsets into ``text``."""

    title: str
    text: str
    articles: int
    chunks: list[ChunkRecord]
    instructions: int = 0  # instruction-like sentences found (kept in the text, quarantined at answer time)
    gongwen: Gongwen | None = None  # the 公文 parts read around the body (None when there were no lines)
    unit: str = ""  # the issuing unit, else the one unit every chunk names, else ""
    date: str = ""  # the document's date (yyyy-mm-dd), "" when it states none
    doc_number: str = ""  # 文号


def parse_document(
    raw_text: str,
    *,
    source: str,
    doc_id: str,
    doc_hash: str,
    fallback_title: str,
    max_chars: int = MAX_CHUNK_CHARS,
    scan: ScanInfo | None = None,
) -> ParsedDocument:
    """Clean, split and chunk one file's text; chunk ids are ``{doc_id}-{ordinal:04d}`` in reading order.

    ``scan`` (what OCR read, when any page was a scan) marks the chunks read from a scan, and those holding a
    line recognised with low confidence.
    """
    text = clean_text(raw_text)
    every_line = split_lines(text)
    gongwen = read_gongwen([line.text for line in every_line])
    lines = every_line[gongwen.body[0] : gongwen.body[1]]
    title = gongwen.title or document_title(lines, fallback_title)
    articles = _signed_articles(lines, title)
    # A 落款 inside the body (a notice's, above its attachment) signs the document when nothing else does.
    first_signed = next((s for _, s in articles if s.unit), Signature())
    doc_issuer = gongwen.issuer or first_signed.unit
    doc_date = gongwen.date or first_signed.date or gongwen.printed_date
    # An instruction-like line never names a document, an article or a section (those reach every answer).
    if is_instruction(title):
        title = fallback_title
    chunks: list[ChunkRecord] = []
    for n, (article, signed) in enumerate(articles):
        # The 落款 at the end of the file signs its last article (and the whole file when a 版头 or title block
        # heads it); a 落款 inside the body signs the part before it.
        shared = gongwen.headed or n == len(articles) - 1
        issuer = signed.unit or (doc_issuer if shared else "")
        date = signed.date or (doc_date if shared else "")
        body = "\n".join(line.text for line in article.lines)
        unit = issuer or detect_unit(article.title or title, body)
        article_title = _article_title(article, title, unit)
        if is_instruction(article_title):
            article_title = title
        intro = article.lines[0].text if article.lines else ""
        clue = report_clue(intro)
        for section in build_sections(article.lines):
            path = tuple(h for h in section.path if not is_instruction(h))
            headings = tuple(reversed(path))
            kind = detect_kind((*headings, article_title, title, clue))
            period = detect_period(headings, (article_title, title, intro[:HEAD_REGION], clue), kind)
            year = detect_year((*headings, article_title, title, _first_sentence(intro)))
            for start, end in pack_spans(text, section.spans, max_chars):
                ordinal = len(chunks)
                chunk_text = text[start:end]
                scanned = scan is not None and scan.covers(chunk_text)
                chunks.append(
                    ChunkRecord(
                        chunk_id=f"{doc_id}-{ordinal:04d}",
                        doc_id=doc_id,
                        text=chunk_text,
                        source=source,
                        doc_title=title,
                        article_title=article_title,
                        heading_path=path,
                        kind=kind,
                        period=period,
                        year=year,
                        start=start,
                        end=end,
                        ordinal=ordinal,
                        doc_hash=doc_hash,
                        unit=unit,
                        instructions=len(instruction_sentences(chunk_text)),
                        issuer=issuer,
                        doc_date=date,
                        doc_number=gongwen.doc_number,
                        source_kind=SCAN if scanned else "",
                        low_confidence=scanned and scan is not None and scan.uncertain(chunk_text),
                    )
                )
    counted = sum(1 for a, _ in articles if a.counted)
    instructions = len(instruction_sentences(text))  # headings and titles included, each sentence once
    units = {c.unit for c in chunks}
    return ParsedDocument(
        title=title,
        text=text,
        articles=counted,
        chunks=chunks,
        instructions=instructions,
        gongwen=gongwen,
        unit=doc_issuer or (units.pop() if len(units) == 1 else ""),
        date=doc_date,
        doc_number=gongwen.doc_number,
    )


def _signed_articles(lines: list[Line], title: str) -> list[tuple[Article, Signature]]:
    """The articles of the body, each with the 落款 that ends its part: the body is cut at every 落款 inside it
    (a notice's attachment, or each article of a file of several, follows its own); a part after the first is
    titled by its first line when that reads as a title ("附件" labels dropped).
    """
    out: list[tuple[Article, Signature]] = []
    for k, (first, last, signed) in enumerate(signed_parts([line.text for line in lines])):
        part = lines[first:last]
        part_title = title
        if k:
            while part and ATTACHMENT_LABEL.match(part[0].text):
                part = part[1:]
            if part and is_title_like(part[0].text) and marker_of(part[0].text) is None:
                part_title = strip_title(part[0].text)
        articles = split_articles(part, part_title)
        if part_title != title:
            articles = [a if a.title or a.marker else replace(a, title=part_title) for a in articles]
        out.extend((a, signed) for a in articles)
    return out


def _article_title(article: Article, doc_title: str, unit: str) -> str:
    """The article's own title; an untitled article of a bundle is named by its unit when the document
    title does not name it ("义乌市卫生局（篇一）"), else by the document title and its marker.
    """
    if article.title:
        return article.title
    if article.marker:
        named = unit if unit and unit not in doc_title else doc_title
        return f"{named}（{article.marker}）"
    return doc_title


def _first_sentence(text: str) -> str:
    for end in "。！？":
        if end in text:
            text = text.split(end, 1)[0]
    return text
