"""Raw report text → cleaned text, articles, outline, chunks with metadata (pure, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.articles import Article, document_title, split_articles
from ingest.clean import clean_text
from ingest.metadata import HEAD_REGION, detect_kind, detect_period, detect_year, report_clue
from ingest.outline import build_sections, split_lines
from ingest.split import MAX_CHUNK_CHARS, pack_spans
from ingest.units import detect_unit
from retrieval.injection import instruction_sentences, is_instruction
from retrieval.types import ChunkRecord


@dataclass(frozen=True)
class ParsedDocument:
    """A parsed file: ``chunks[i].start/end`` are offsets into ``text``."""

    title: str
    text: str
    articles: int
    chunks: list[ChunkRecord]
    instructions: int = 0  # instruction-like sentences found (kept in the text, quarantined at answer time)


def parse_document(
    raw_text: str,
    *,
    source: str,
    doc_id: str,
    doc_hash: str,
    fallback_title: str,
    max_chars: int = MAX_CHUNK_CHARS,
) -> ParsedDocument:
    """Clean, split and chunk one file's text; chunk ids are ``{doc_id}-{ordinal:04d}`` in reading order."""
    text = clean_text(raw_text)
    lines = split_lines(text)
    title = document_title(lines, fallback_title)
    articles = split_articles(lines, title)
    # An instruction-like line never names a document, an article or a section (those reach every answer).
    if is_instruction(title):
        title = fallback_title
    chunks: list[ChunkRecord] = []
    for article in articles:
        body = "\n".join(line.text for line in article.lines)
        unit = detect_unit(article.title or title, body)
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
                    )
                )
    counted = sum(1 for a in articles if a.counted)
    instructions = len(instruction_sentences(text))  # headings and titles included, each sentence once
    return ParsedDocument(title=title, text=text, articles=counted, chunks=chunks, instructions=instructions)


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
