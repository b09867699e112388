"""What every rendering shares: section titles, citation and button labels, a citation button's key."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from retrieval.types import date_label, scan_note

if TYPE_CHECKING:
    from retrieval.answers.types import Citation
    from retrieval.drafting.types import Draft
    from retrieval.types import DocumentInfo

CITE_PREFIX = "cite"
_CITE_KEY = re.compile(rf"^{CITE_PREFIX}:(\d+):(\d+)$")
BUTTON_LABEL_CHARS = 22
SOURCES_TITLE = "来源"
CLOSEST_TITLE = "最接近的段落"
FLAGS_TITLE = "待核实"
DOCS_TITLE = "文档（{count} 个）"
STATS_TITLE = "统计"
REINDEX_DONE_TITLE = "重建索引完成"
_UNSAFE_FILENAME = re.compile(r"[\\/:*?\"<>|\s]+")


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    """``text`` cut to at most ``limit`` characters, marking the cut."""
    return text if len(text) <= limit else text[: max(0, limit - len(ellipsis))] + ellipsis


def citation_label(c: Citation) -> str:
    """``title · heading path`` (the source file name when the title is empty), then the document's
    issuing unit and date when it states a date (a 公文's 落款: ``（江澜市卫生健康委员会 2024年2月20日）``),
    and ``扫描件识别`` when the passage was read from a scan by OCR (with a warning when read uncertainly).
    """
    title = c.title or c.source
    label = f"{title} · {c.heading}" if c.heading else title
    notes = "；".join(x for x in (citation_origin(c), scan_note(c.source_kind, c.low_confidence)) if x)
    return f"{label}（{notes}）" if notes else label


def citation_origin(c: Citation) -> str:
    """``江澜市卫生健康委员会 2024年2月20日`` for a cited document with a date, else ""."""
    if not c.date:
        return ""
    unit = c.unit if c.unit and c.unit not in c.title else ""
    return " ".join(x for x in (unit, date_label(c.date)) if x)


def document_origin(doc: DocumentInfo) -> str:
    """``江澜市卫生健康委员会 · 2024年2月20日 · 江卫健〔2024〕3号``: what a document says of itself ("" when nothing)."""
    return " · ".join(x for x in (doc.unit, date_label(doc.date), doc.doc_number) if x)


def button_label(c: Citation, limit: int = BUTTON_LABEL_CHARS) -> str:
    """``[n] <last heading>`` (or the title), short enough for a button."""
    name = c.heading_path[-1] if c.heading_path else (c.title or c.source)
    return truncate(f"[{c.n}] {name}", limit)


def citation_key(answer_id: int, n: int) -> str:
    """The key a citation button carries: ``cite:<answer id>:<n>`` (short: Telegram allows 64 bytes)."""
    return f"{CITE_PREFIX}:{answer_id}:{n}"


def parse_citation_key(key: str | None) -> tuple[int, int] | None:
    """``(answer_id, n)`` from a citation button's key, or None for anything else."""
    m = _CITE_KEY.match(key or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def ingested_when(doc: DocumentInfo) -> str:
    """``2026-11-22 14:00`` from a document's ingest time (empty when unknown)."""
    return doc.ingested_at[:16].replace("T", " ")


def docx_filename(draft: Draft) -> str:
    """The draft's title as a file name, e.g. ``下半年传染病防控工作计划.docx``."""
    return (_UNSAFE_FILENAME.sub("_", draft.title).strip("_.") or "draft")[:60] + ".docx"
