"""Chunk records and registry entries ↔ Chroma metadata, and what a failed store write means for the user."""

from __future__ import annotations

import errno
import json
import re
from sys import intern
from typing import TYPE_CHECKING, Any, cast

from retrieval.text.injection import rules_fingerprint
from retrieval.types import UNCOUNTED, ChunkRecord, DocumentInfo, Kind, Period

if TYPE_CHECKING:
    from collections.abc import Mapping


def chunk_metadata(c: ChunkRecord) -> dict[str, Any]:
    """What Chroma stores beside a chunk's text (its vector is of the index text, not this)."""
    return {
        "doc_id": c.doc_id,
        "source": c.source,
        "doc_title": c.doc_title,
        "article_title": c.article_title,
        "heading_path": json.dumps(list(c.heading_path), ensure_ascii=False),
        "kind": c.kind,
        "period": c.period,
        "year": c.year or 0,
        "start": c.start,
        "end": c.end,
        "ordinal": c.ordinal,
        "doc_hash": c.doc_hash,
        "unit": c.unit,
        "instructions": c.instructions,
        "instruction_rules": rules_fingerprint(),  # the rules ``instructions`` was counted under
        "issuer": c.issuer,
        "doc_date": c.doc_date,
        "doc_number": c.doc_number,
        "source_kind": c.source_kind,
        "low_confidence": c.low_confidence,
    }


def chunk_from(chunk_id: str, text: str, m: Mapping[str, Any]) -> ChunkRecord:
    """A stored chunk back as a record (stores written before ``unit``, ``instructions`` or the 公文 fields existed still load).

    ``instructions`` is trusted only when counted under the current rules (else ``UNCOUNTED``: they are looked
    for again). The fields a document's chunks share are interned: search holds every record in memory (about
    half the memory per chunk at 100k chunks).
    """
    return ChunkRecord(
        chunk_id=chunk_id,
        doc_id=intern(m["doc_id"]),
        text=text,
        source=intern(m["source"]),
        doc_title=intern(m["doc_title"]),
        article_title=intern(m["article_title"]),
        heading_path=tuple(intern(h) for h in json.loads(m["heading_path"])),
        kind=cast("Kind", intern(m["kind"])),
        period=cast("Period", intern(m["period"])),
        year=m["year"] or None,
        start=m["start"],
        end=m["end"],
        ordinal=m["ordinal"],
        doc_hash=intern(m["doc_hash"]),
        unit=intern(m.get("unit", "")),
        instructions=m.get("instructions", UNCOUNTED)
        if m.get("instruction_rules") == rules_fingerprint()
        else UNCOUNTED,
        issuer=intern(m.get("issuer", "")),
        doc_date=intern(m.get("doc_date", "")),
        doc_number=intern(m.get("doc_number", "")),
        source_kind=intern(m.get("source_kind", "")),
        low_confidence=bool(m.get("low_confidence", False)),
    )


def document_metadata(info: DocumentInfo, model_key: str) -> dict[str, Any]:
    """What the registry stores beside a document's title; ``model_key`` names the model that made its vectors."""
    return {
        "source": info.source,
        "path": info.path,
        "doc_hash": info.doc_hash,
        "chunks": info.chunks,
        "articles": info.articles,
        "ingested_at": info.ingested_at,
        "instructions": info.instructions,
        "unit": info.unit,
        "date": info.date,
        "doc_number": info.doc_number,
        "embedding_model": model_key,
        "source_kind": info.source_kind,
        "low_confidence": info.low_confidence,
    }


def document_from(doc_id: str, title: str, m: Mapping[str, Any]) -> DocumentInfo:
    """A registry entry back as a ``DocumentInfo`` (entries written before the later fields existed still load)."""
    return DocumentInfo(
        doc_id=doc_id,
        source=m["source"],
        title=title,
        path=m["path"],
        doc_hash=m["doc_hash"],
        chunks=m["chunks"],
        articles=m["articles"],
        ingested_at=m.get("ingested_at", ""),
        instructions=m.get("instructions", 0),
        unit=m.get("unit", ""),
        date=m.get("date", ""),
        doc_number=m.get("doc_number", ""),
        source_kind=m.get("source_kind", ""),
        low_confidence=m.get("low_confidence", 0),
    )


def write_failure(exc: BaseException) -> str:
    """One Chinese sentence for a store write that failed (disk full, read-only, anything else)."""
    text = str(exc).lower()
    code = getattr(exc, "errno", None)
    if code == errno.ENOSPC or "disk is full" in text or "no space" in text:
        cause = "磁盘已满"
    elif code == errno.EROFS or "readonly" in text or "read-only" in text or isinstance(exc, PermissionError):
        cause = "数据目录只读"
    else:
        cause = f"{type(exc).__name__}"
    return f"写入知识库失败（{cause}），这次没有写入任何内容，知识库保持原样"


_DIMENSION = re.compile(r"dimension of (\d+), got (\d+)")


def dimension_mismatch(exc: BaseException) -> str:
    """One Chinese sentence when ``exc`` is Chroma refusing vectors of another dimension, else ""."""
    m = _DIMENSION.search(str(exc))
    if m is None:
        return ""
    return (
        f"向量维度与知识库不一致（知识库 {m.group(1)} 维，当前嵌入模型 {m.group(2)} 维）：知识库是用另一个嵌入模型建的；"
        "请改回原来的 REPORTBOT_EMBEDDING_MODEL，或换用新的 REPORTBOT_CHROMA_COLLECTION 后重新 reportbot ingest"
    )
