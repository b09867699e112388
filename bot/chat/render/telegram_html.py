"""Answers, drafts, sources, passages and admin results as Telegram HTML messages (each under 4096 characters)."""

from __future__ import annotations

import html
import re
from collections import Counter
from typing import TYPE_CHECKING

from bot.chat.render.labels import (
    CLOSEST_TITLE,
    FLAGS_TITLE,
    SOURCES_TITLE,
    citation_label,
    document_origin,
    ingested_when,
)
from bot.chat.render.split import PART_LIMIT, escape_units, pack, utf16_len

if TYPE_CHECKING:
    from bot.chat.admin import StatsResult
    from ingest.service import IngestReport
    from retrieval.types import Answer, Citation, DocumentInfo, Draft, Passage

STREAM_CURSOR = " ▍"
_BOLD = re.compile(r"\*\*(.+?)\*\*")

DOCS_HEADER = "<b>文档（{count} 个）</b>\n删除：/delete 文件名\n"
STATS = "<b>统计</b>\n文档：{documents} 个\n段落：{chunks} 个\n已回答问题：{questions} 个\n最近导入：{last}"
REINDEX_PROGRESS = "重建索引：{done}/{total} · {source}"
REINDEX_DONE = (
    "<b>重建索引完成</b>：共 {total} 个文件，新增 {added}，更新 {updated}，未变 {unchanged}，失败 {failed}。"
)
REINDEX_FAILED_LINE = "\n• {source}：{error}"


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def rich(text: str) -> str:
    """A core text with ``**bold**`` marks as HTML (escaped, bold as ``<b>``)."""
    return _BOLD.sub(r"<b>\1</b>", _e(text))


def code(text: str) -> str:
    """``text`` as tap-to-copy code."""
    return f"<code>{_e(text)}</code>"


def sources_units(citations: list[Citation] | tuple[Citation, ...]) -> list[str]:
    """The sources list: a header and one line per citation."""
    if not citations:
        return []
    return [f"\n\n<b>{SOURCES_TITLE}</b>"] + [f"\n[{c.n}] {_e(citation_label(c))}" for c in citations]


def _closest_units(closest: list[Passage]) -> list[str]:
    if not closest:
        return []
    units = [f"\n\n<b>{CLOSEST_TITLE}</b>"]
    for p in closest:
        heading = p.chunk.heading
        label = p.chunk.display_title or p.chunk.source
        units.append(f"\n• {_e(label)}" + (f" · {_e(heading)}" if heading else ""))
    return units


def render_answer(answer: Answer, limit: int = PART_LIMIT) -> list[str]:
    """The answer as one or more HTML messages, in order: notice, text with [n] markers, sources."""
    units: list[str] = []
    if answer.notice:
        units.append(f"<i>{_e(answer.notice)}</i>\n\n")
    units.extend(escape_units(answer.text.strip(), limit))
    if answer.found or answer.state == "partial":  # a partial answer cites what may be relevant
        units.extend(sources_units(answer.citations))
    elif not answer.citations:
        units.extend(_closest_units(answer.closest))
    # a not-found answer's text already lists its closest passages as [n]; the buttons open them
    return pack(units, limit)


def render_stream(text_so_far: str, limit: int = PART_LIMIT) -> str:
    """A still-streaming answer: what has arrived so far, marked as unfinished, in one message."""
    budget = limit - 200
    shown = text_so_far.strip()
    while utf16_len(_e(shown)) > budget:
        shown = shown[: int(len(shown) * 0.9)]
    suffix = "…（生成中）" if shown != text_so_far.strip() else STREAM_CURSOR
    return _e(shown) + suffix


def render_sources(citations: tuple[Citation, ...], limit: int = PART_LIMIT) -> list[str]:
    """``/sources``: the last answer's sources list on its own."""
    return pack([u.lstrip("\n") if i == 0 else u for i, u in enumerate(sources_units(citations))], limit)


def render_passage(c: Citation, limit: int = PART_LIMIT) -> list[str]:
    """The full passage behind citation ``[n]`` with where it comes from."""
    units = [f"<b>[{c.n}] {_e(c.title or c.source)}</b>\n"]
    if c.heading:
        units.append(f"<i>{_e(c.heading)}</i>\n")
    units.append(f"来源文件：{_e(c.source)}\n\n")
    units.extend(escape_units(c.text.strip(), limit))
    return pack(units, limit)


def render_draft(draft: Draft, limit: int = PART_LIMIT) -> list[str]:
    """The draft as HTML messages: bold title and headings, paragraphs, flags, sources."""
    units = [f"<b>{_e(draft.title)}</b>\n"]
    for section in draft.sections:
        if section.heading:
            units.append(f"\n<b>{_e(section.heading)}</b>")
        for paragraph in section.paragraphs:
            units.append("\n")
            units.extend(escape_units(paragraph.text.strip(), limit))
    if draft.flags:
        units.append(f"\n\n<b>{FLAGS_TITLE}</b>")
        units.extend(f"\n• {_e(f.text)}（{_e(f.reason)}）" for f in draft.flags)
    units.extend(sources_units(draft.citations))
    return pack(units, limit)


def document_line(i: int, doc: DocumentInfo) -> str:
    """One document: title, then its source name (tap to copy), size and when it was ingested, then its issuing
    unit, date and 文号 when it states them.
    """
    origin = document_origin(doc)
    return (
        f"\n{i}. <b>{_e(doc.title or doc.source)}</b>\n"
        f"   {code(doc.source)} · {doc.articles} 篇 · {doc.chunks} 段 · {ingested_when(doc) or '未知'}"
    ) + (f"\n   {_e(origin)}" if origin else "")


def render_documents(documents: list[DocumentInfo], limit: int = PART_LIMIT) -> list[str]:
    """``/docs``: the documents, sorted by source name (call only with at least one)."""
    units = [DOCS_HEADER.format(count=len(documents))]
    units += [document_line(i, d) for i, d in enumerate(sorted(documents, key=lambda d: d.source), 1)]
    return pack(units, limit)


def render_stats(stats: StatsResult) -> str:
    """``/stats``: documents, chunks, questions answered, last ingest."""
    latest = stats.library.latest
    last = "无"
    if latest is not None:
        last = f"{ingested_when(latest) or '时间未知'} · {_e(latest.source)}"
    return STATS.format(
        documents=stats.library.documents, chunks=stats.library.chunks, questions=stats.questions, last=last
    )


def render_reindex_progress(done: int, total: int, source: str) -> str:
    """One progress line of a running reindex."""
    return REINDEX_PROGRESS.format(done=done, total=total, source=_e(source) if source else "收尾中")


def render_reindex_result(report: IngestReport, limit: int = PART_LIMIT) -> list[str]:
    """The result message: counts per outcome, then each failed file with its reason."""
    counts = Counter(r.status for r in report.results)
    units = [
        REINDEX_DONE.format(
            total=len(report.results),
            added=counts["added"],
            updated=counts["updated"],
            unchanged=counts["unchanged"],
            failed=counts["failed"],
        )
    ]
    units += [
        REINDEX_FAILED_LINE.format(source=_e(r.source), error=_e(r.error or "未知原因"))
        for r in report.results
        if r.status == "failed"
    ]
    return pack(units, limit)
