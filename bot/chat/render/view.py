"""The one chat renderer: answers, drafts, sources, passages and admin results walked once, marked up by a
``Markup`` (``bot.chat.render.markup``: Telegram HTML, WeCom and DingTalk markdown), each part under its budget.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from bot.chat.render.labels import (
    CLOSEST_TITLE,
    DOCS_TITLE,
    FLAGS_TITLE,
    REINDEX_DONE_TITLE,
    SOURCES_TITLE,
    STATS_TITLE,
    citation_label,
    document_origin,
    ingested_when,
)

if TYPE_CHECKING:
    from bot.chat.admin import StatsResult
    from bot.chat.render.markup import Markup
    from ingest.results import IngestReport
    from retrieval.answers.types import Answer, Citation
    from retrieval.drafting.types import Draft
    from retrieval.types import DocumentInfo, Passage

STREAM_CURSOR = " ▍"
STREAM_CUT = "…（生成中）"
DOCS_HINT = "\n删除：/delete 文件名\n"
STATS = "\n文档：{documents} 个\n段落：{chunks} 个\n已回答问题：{questions} 个\n最近导入：{last}"
REINDEX_PROGRESS = "重建索引：{done}/{total} · {source}"
REINDEX_COUNTS = "：共 {total} 个文件，新增 {added}，更新 {updated}，未变 {unchanged}，失败 {failed}。"


class Renderer:
    """Every chat rendering in one ``Markup``; ``limit`` defaults to the markup's budget per part."""

    def __init__(self, markup: Markup) -> None:
        self.m = markup

    def _limit(self, limit: int | None) -> int:
        return self.m.part_limit if limit is None else limit

    def sources_units(self, citations: list[Citation] | tuple[Citation, ...]) -> list[str]:
        """The sources list: a bold header and one line per citation."""
        if not citations:
            return []
        e = self.m.escape
        return [f"\n\n{self.m.strong(SOURCES_TITLE)}"] + [
            f"\n[{c.n}] {e(citation_label(c))}" for c in citations
        ]

    def _closest_units(self, closest: list[Passage]) -> list[str]:
        if not closest:
            return []
        e = self.m.escape
        units = [f"\n\n{self.m.strong(CLOSEST_TITLE)}"]
        for p in closest:
            heading = p.chunk.heading
            label = p.chunk.display_title or p.chunk.source
            units.append(f"\n{self.m.bullet} {e(label)}" + (f" · {e(heading)}" if heading else ""))
        return units

    def answer(self, answer: Answer, limit: int | None = None) -> list[str]:
        """The answer as parts, in order: notice (italic), text with [n] markers, sources."""
        limit = self._limit(limit)
        units: list[str] = []
        if answer.notice:
            units.append(f"{self.m.em(self.m.escape(answer.notice))}\n\n")
        units.extend(self.m.units(answer.text.strip(), limit))
        if answer.found or answer.state == "partial":  # a partial answer cites what may be relevant
            units.extend(self.sources_units(answer.citations))
        elif not answer.citations:
            units.extend(self._closest_units(answer.closest))
        # a not-found answer's text already lists its closest passages as [n]; the buttons open them
        return self.m.pack(units, limit)

    def stream(self, text_so_far: str, limit: int | None = None) -> str:
        """A still-streaming answer (the whole text so far), marked unfinished, in one part."""
        budget = self._limit(limit) - self.m.stream_headroom
        shown = text_so_far.strip()
        while self.m.measure(self.m.escape(shown)) > budget:
            shown = shown[: int(len(shown) * 0.9)]
        suffix = STREAM_CUT if shown != text_so_far.strip() else STREAM_CURSOR
        return self.m.escape(shown) + suffix

    def sources(self, citations: tuple[Citation, ...], limit: int | None = None) -> list[str]:
        """``/sources``: the last answer's sources list on its own."""
        units = self.sources_units(citations)
        return self.m.pack([u.lstrip("\n") if i == 0 else u for i, u in enumerate(units)], self._limit(limit))

    def passage(self, c: Citation, limit: int | None = None) -> list[str]:
        """The full passage behind citation ``[n]`` with where it comes from."""
        limit, e = self._limit(limit), self.m.escape
        units = [self.m.strong(f"[{c.n}] {e(c.title or c.source)}") + "\n"]
        if c.heading:
            units.append(self.m.em(e(c.heading)) + "\n")
        units.append(f"来源文件：{e(c.source)}\n\n")
        units.extend(self.m.units(c.text.strip(), limit))
        return self.m.pack(units, limit)

    def draft(self, draft: Draft, limit: int | None = None) -> list[str]:
        """The draft as parts: bold title and headings, paragraphs, flags, sources."""
        limit, e = self._limit(limit), self.m.escape
        units = [self.m.strong(e(draft.title)) + "\n"]
        for section in draft.sections:
            if section.heading:
                units.append("\n" + self.m.strong(e(section.heading)))
            for paragraph in section.paragraphs:
                units.append("\n")
                units.extend(self.m.units(paragraph.text.strip(), limit))
        if draft.flags:
            units.append(f"\n\n{self.m.strong(FLAGS_TITLE)}")
            units.extend(f"\n{self.m.bullet} {e(f.text)}（{e(f.reason)}）" for f in draft.flags)
        units.extend(self.sources_units(draft.citations))
        return self.m.pack(units, limit)

    def document_line(self, i: int, doc: DocumentInfo) -> str:
        """One document: title, then its source name (tap to copy), size and when it was ingested, then its
        issuing unit, date and 文号 when it states them.
        """
        origin = document_origin(doc)
        return (
            f"\n{i}. {self.m.strong(self.m.escape(doc.title or doc.source))}\n"
            f"   {self.m.code(doc.source)} · {doc.articles} 篇 · {doc.chunks} 段 · {ingested_when(doc) or '未知'}"
        ) + (f"\n   {self.m.escape(origin)}" if origin else "")

    def documents(self, documents: list[DocumentInfo], limit: int | None = None) -> list[str]:
        """``/docs``: the documents, sorted by source name."""
        units = [self.m.strong(DOCS_TITLE.format(count=len(documents))) + DOCS_HINT]
        units += [
            self.document_line(i, d) for i, d in enumerate(sorted(documents, key=lambda d: d.source), 1)
        ]
        return self.m.pack(units, self._limit(limit))

    def stats(self, stats: StatsResult) -> str:
        """``/stats``: documents, chunks, questions answered, last ingest."""
        latest = stats.library.latest
        last = "无"
        if latest is not None:
            last = f"{ingested_when(latest) or '时间未知'} · {self.m.escape(latest.source)}"
        counts = STATS.format(
            documents=stats.library.documents,
            chunks=stats.library.chunks,
            questions=stats.questions,
            last=last,
        )
        return self.m.strong(STATS_TITLE) + counts

    def reindex_progress(self, done: int, total: int, source: str) -> str:
        """One progress line of a running reindex."""
        return REINDEX_PROGRESS.format(
            done=done, total=total, source=self.m.escape(source) if source else "收尾中"
        )

    def reindex_result(self, report: IngestReport, limit: int | None = None) -> list[str]:
        """The reindex result: counts per outcome, then each failed file with its reason."""
        counts = Counter(r.status for r in report.results)
        e = self.m.escape
        units = [
            self.m.strong(REINDEX_DONE_TITLE)
            + REINDEX_COUNTS.format(
                total=len(report.results),
                added=counts["added"],
                updated=counts["updated"],
                unchanged=counts["unchanged"],
                failed=counts["failed"],
            )
        ]
        units += [
            f"\n{self.m.bullet} {e(r.source)}：{e(r.error or '未知原因')}"
            for r in report.results
            if r.status == "failed"
        ]
        return self.m.pack(units, self._limit(limit))
