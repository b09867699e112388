"""The 文档 page's data: every document with its unit, kinds, periods, year, counts, flagged sentences and who
ingested it; filters; one document's outline. Reads only through ``services.library`` (and the audit log).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from retrieval.text.injection import instruction_sentences

if TYPE_CHECKING:
    from bot.web.audit_view import AuditRecord
    from ingest.library import Library
    from retrieval.types import ChunkRecord, DocumentInfo

KIND_LABELS = {"summary": "总结", "plan": "计划", "problems": "问题", "other": "其他"}
INGESTED = frozenset({"added", "updated"})


@dataclass
class DocumentRow:
    """One line of the 文档 table."""

    info: DocumentInfo
    kinds: list[str] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    by: str = "命令行导入"

    @property
    def year(self) -> int | None:
        """The document's year (its date, else its 文号)."""
        return self.info.year


def document_rows(library: Library, audit: list[AuditRecord]) -> list[DocumentRow]:
    """Every document with what its passages say (kinds, periods, units) and who uploaded it last."""
    kinds: dict[str, set[str]] = defaultdict(set)
    periods: dict[str, set[str]] = defaultdict(set)
    units: dict[str, set[str]] = defaultdict(set)
    for chunk in library.chunks():
        kinds[chunk.doc_id].add(KIND_LABELS.get(chunk.kind, chunk.kind))
        if chunk.period:
            periods[chunk.doc_id].add(chunk.period)
        if chunk.unit:
            units[chunk.doc_id].add(chunk.unit)
    uploaders: dict[str, str] = {}
    for record in reversed(audit):  # oldest first: the newest upload of a name wins
        if record.action == "upload" and record.outcome in INGESTED:
            uploaders[record.what] = f"{record.user}（{record.frontend}）"
    rows = []
    for info in library.documents():
        rows.append(
            DocumentRow(
                info,
                sorted(kinds[info.doc_id]),
                sorted(periods[info.doc_id]),
                sorted({info.unit, *units[info.doc_id]} - {""}),
                uploaders.get(info.source, "命令行导入"),
            )
        )
    return rows


def filter_rows(rows: list[DocumentRow], unit: str = "", year: str = "", kind: str = "") -> list[DocumentRow]:
    """The rows matching every filter given (empty = any)."""
    return [
        r
        for r in rows
        if (not unit or unit in r.units)
        and (not year or str(r.year or "") == year)
        and (not kind or kind in r.kinds)
    ]


@dataclass
class Section:
    """A run of consecutive passages under one heading path."""

    heading: str
    chunks: list[ChunkRecord] = field(default_factory=list)


def outline(chunks: list[ChunkRecord]) -> list[Section]:
    """The document's passages in order, grouped under their heading paths."""
    sections: list[Section] = []
    for chunk in chunks:
        heading = chunk.heading or chunk.article_title or "（无标题）"
        if not sections or sections[-1].heading != heading:
            sections.append(Section(heading))
        sections[-1].chunks.append(chunk)
    return sections


def flagged_sentences(chunks: list[ChunkRecord]) -> list[str]:
    """The instruction-like sentences quarantined in these passages, once each, in order."""
    found: list[str] = []
    for chunk in chunks:
        found.extend(s for s in instruction_sentences(chunk.text) if s not in found)
    return found
