"""Answers, drafts, sources, passages and admin results as markdown (WeCom), each part under 20,480 bytes.

WeCom counts a stream message's content in UTF-8 bytes. Report text is hostile and made inert with CommonMark
backslashes: emphasis, code, headings, links and images (``[点此下载](http://…)``), HTML (``<a>``, ``<script>``),
tables and strikethrough; ``://`` and ``www.`` are broken up so no URL becomes an autolink. Only the bot's own
``[n]`` markers stay as they are (a document's own bracketed numbers are ``〔n〕`` by then: ``retrieval.inert``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from bot.chat.render import split
from bot.chat.render.labels import (
    CLOSEST_TITLE,
    FLAGS_TITLE,
    SOURCES_TITLE,
    citation_label,
    document_origin,
    ingested_when,
)
from retrieval.sentences import sentences

if TYPE_CHECKING:
    from bot.chat.admin import StatsResult
    from bot.chat.types import Refusal
    from ingest.service import IngestReport
    from retrieval.types import Answer, Citation, DocumentInfo, Draft

MARKDOWN_LIMIT = 20_480
"""WeCom's limit on a stream message's content, in UTF-8 bytes."""
PART_BYTES = 20_000
"""Budget per part, with headroom for a front end's own line."""
STREAM_CURSOR = " ▍"
_SPECIAL = re.compile(r"([\\*_`#\[\]()<>!~|])")
_BOT_MARKER = re.compile(r"(\[\d+\])")
_WWW = re.compile(r"(?i)\b(www)\.")


def byte_len(text: str) -> int:
    """Length as WeCom counts it (UTF-8 bytes)."""
    return len(text.encode("utf-8"))


def escape(text: str) -> str:
    """Report text made inert for markdown: no emphasis, code, heading, link, image, HTML or autolink; the
    bot's ``[n]`` markers kept.
    """
    parts = _BOT_MARKER.split(text)
    return "".join(part if i % 2 else _inert(part) for i, part in enumerate(parts))


def _inert(text: str) -> str:
    escaped = _SPECIAL.sub(r"\\\1", text).replace("://", ":\\/\\/")
    return _WWW.sub(r"\1\\.", escaped)


def text_units(text: str, limit: int = PART_BYTES) -> list[str]:
    """``text`` as escaped sentence units, each under ``limit`` bytes (over-long sentences cut anywhere)."""
    units: list[str] = []
    for sentence in sentences(text):
        escaped = escape(sentence)
        while byte_len(escaped) > limit:
            cut = len(escaped.encode("utf-8")[:limit].decode("utf-8", errors="ignore"))
            if escaped[cut - 1 : cut] == "\\":
                cut -= 1
            units.append(escaped[:cut])
            escaped = escaped[cut:]
        units.append(escaped)
    return units


def pack(units: Iterable[str], limit: int = PART_BYTES) -> list[str]:
    """Join units, in order, into as few parts as fit under ``limit`` UTF-8 bytes each."""
    return split.pack(units, limit, measure=byte_len)


def sources_units(citations: list[Citation] | tuple[Citation, ...]) -> list[str]:
    """The sources list: a bold header and one line per citation."""
    if not citations:
        return []
    return [f"\n\n**{SOURCES_TITLE}**"] + [f"\n[{c.n}] {escape(citation_label(c))}" for c in citations]


def render_answer(answer: Answer, limit: int = PART_BYTES) -> list[str]:
    """The answer as markdown parts: notice (italic), text with [n] markers, sources."""
    units: list[str] = []
    if answer.notice:
        units.append(f"*{escape(answer.notice)}*\n\n")
    units.extend(text_units(answer.text.strip(), limit))
    if answer.found or answer.state == "partial":  # a partial answer cites what may be relevant
        units.extend(sources_units(answer.citations))
    elif not answer.citations and answer.closest:
        units.append(f"\n\n**{CLOSEST_TITLE}**")
        for p in answer.closest:
            label = escape(p.chunk.display_title or p.chunk.source)
            units.append(f"\n- {label}" + (f" · {escape(p.chunk.heading)}" if p.chunk.heading else ""))
    return pack(units, limit)


def render_stream(text_so_far: str, limit: int = PART_BYTES) -> str:
    """A still-streaming answer (the whole text so far, as WeCom wants), marked unfinished, in one part."""
    shown = text_so_far.strip()
    while byte_len(escape(shown)) > limit - 100:
        shown = shown[: int(len(shown) * 0.9)]
    suffix = "…（生成中）" if shown != text_so_far.strip() else STREAM_CURSOR
    return escape(shown) + suffix


def render_sources(citations: tuple[Citation, ...], limit: int = PART_BYTES) -> list[str]:
    """``/sources``: the last answer's sources list on its own."""
    return pack([u.lstrip("\n") if i == 0 else u for i, u in enumerate(sources_units(citations))], limit)


def render_passage(c: Citation, limit: int = PART_BYTES) -> list[str]:
    """The full passage behind citation ``[n]`` with where it comes from."""
    units = [f"**[{c.n}] {escape(c.title or c.source)}**\n"]
    if c.heading:
        units.append(f"*{escape(c.heading)}*\n")
    units.append(f"来源文件：{escape(c.source)}\n\n")
    units.extend(text_units(c.text.strip(), limit))
    return pack(units, limit)


def render_draft(draft: Draft, limit: int = PART_BYTES) -> list[str]:
    """The draft as markdown parts: bold title and headings, paragraphs, flags, sources."""
    units = [f"**{escape(draft.title)}**\n"]
    for section in draft.sections:
        if section.heading:
            units.append(f"\n**{escape(section.heading)}**")
        for paragraph in section.paragraphs:
            units.append("\n")
            units.extend(text_units(paragraph.text.strip(), limit))
    if draft.flags:
        units.append(f"\n\n**{FLAGS_TITLE}**")
        units.extend(f"\n- {escape(f.text)}（{escape(f.reason)}）" for f in draft.flags)
    units.extend(sources_units(draft.citations))
    return pack(units, limit)


def render_documents(documents: list[DocumentInfo], limit: int = PART_BYTES) -> list[str]:
    """``/docs``: the documents, sorted by source name."""
    units = [f"**文档（{len(documents)} 个）**\n删除：/delete 文件名\n"]
    for i, d in enumerate(sorted(documents, key=lambda d: d.source), 1):
        when = ingested_when(d) or "未知"
        origin = document_origin(d)
        units.append(
            f"\n{i}. **{escape(d.title or d.source)}**\n   `{d.source}` · {d.articles} 篇 · {d.chunks} 段 · {when}"
            + (f"\n   {escape(origin)}" if origin else "")
        )
    return pack(units, limit)


def render_stats(stats: StatsResult) -> str:
    """``/stats``: documents, chunks, questions answered, last ingest."""
    latest = stats.library.latest
    last = "无" if latest is None else f"{ingested_when(latest) or '时间未知'} · {escape(latest.source)}"
    return (
        f"**统计**\n文档：{stats.library.documents} 个\n段落：{stats.library.chunks} 个\n"
        f"已回答问题：{stats.questions} 个\n最近导入：{last}"
    )


def render_reindex_result(report: IngestReport, limit: int = PART_BYTES) -> list[str]:
    """The reindex result: counts per outcome, then each failed file with its reason."""
    counts = Counter(r.status for r in report.results)
    units = [
        f"**重建索引完成**：共 {len(report.results)} 个文件，新增 {counts['added']}，更新 {counts['updated']}，"
        f"未变 {counts['unchanged']}，失败 {counts['failed']}。"
    ]
    units += [
        f"\n- {escape(r.source)}：{escape(r.error or '未知原因')}"
        for r in report.results
        if r.status == "failed"
    ]
    return pack(units, limit)


def render_refusal(refusal: Refusal) -> str | None:
    """A refusal's text with the stranger's id as code, so it can be copied whole (None: say nothing)."""
    if refusal.text is None or not refusal.id_shown:
        return refusal.text
    return refusal.text.replace(refusal.id_shown, f"`{refusal.id_shown}`", 1)
