"""A portable archive of the knowledge base: move it between embedded and server mode or to another machine
without re-reading the original files (the format and its checks live in ``ingest.archive_format``).

Import (reached as ``IngestService.import_archive``, the only writer) reads and checks the whole archive before
it writes anything, and is idempotent: a document whose ``doc_hash`` and chunks are already in the store is left
as it is. Archived vectors are used only when they were made by the same embedding model.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import tarfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from ingest.archive_format import (
    CHUNKS,
    DOCUMENTS,
    EMBEDDINGS,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    Archive,
    ArchiveError,
    read_archive,
)

if TYPE_CHECKING:
    from pathlib import Path

    from ingest.write_batch import WriteBatch
    from retrieval.store.chunks import ChunkStore
    from retrieval.types import ChunkRecord, DocumentInfo

__all__ = ["Archive", "ArchiveError", "ImportReport", "export_archive", "import_documents", "read_archive"]

log = logging.getLogger(__name__)


@dataclass
class ImportReport:
    """What an import did, per document status; ``vectors_reused`` tells whether archived embeddings were used."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    chunks: int = 0
    vectors_reused: bool = False
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        """True when the import added, updated or removed anything."""
        return bool(self.added or self.updated or self.pruned)


# --- export --------------------------------------------------------------------------------------------


def export_archive(
    store: ChunkStore, path: Path, *, model_key: str, with_embeddings: bool = False
) -> dict[str, Any]:
    """Write the whole knowledge base to ``path`` (atomically) and return the manifest.

    The write lock keeps another process of an embedded store from changing it mid-export.
    """
    with store.write_lock():
        documents = store.documents()
        by_doc: dict[str, list[ChunkRecord]] = {d.doc_id: [] for d in documents}
        for chunk in store.iter_chunks():
            by_doc.setdefault(chunk.doc_id, []).append(chunk)
        ordered = [c for d in documents for c in sorted(by_doc[d.doc_id], key=lambda c: c.ordinal)]
        vectors = store.vectors([c.chunk_id for c in ordered]) if with_embeddings else None
    members = {
        DOCUMENTS: _jsonl(asdict(d) for d in documents),
        CHUNKS: _jsonl(c.stored() for c in ordered),
    }
    if vectors is not None:
        matrix = (
            np.asarray(vectors, dtype=np.float32).reshape(len(ordered), -1) if ordered else np.zeros((0, 0))
        )
        buffer = io.BytesIO()
        np.save(buffer, matrix.astype(np.float32), allow_pickle=False)
        members[EMBEDDINGS] = buffer.getvalue()
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "embedding_model": model_key,
        "documents": len(documents),
        "chunks": len(ordered),
        "with_embeddings": with_embeddings,
        "sha256": {name: hashlib.sha256(data).hexdigest() for name, data in members.items()},
    }
    members = {MANIFEST: json.dumps(manifest, ensure_ascii=False, indent=2).encode(), **members}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with tarfile.open(tmp, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = int(time.time())
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    tmp.replace(path)
    log.info("export documents=%s chunks=%s embeddings=%s", len(documents), len(ordered), with_embeddings)
    return manifest


def _jsonl(rows: Any) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")


# --- import --------------------------------------------------------------------------------------------


def import_documents(
    batch: WriteBatch, archive: Archive, *, model_key: str, prune: bool = False
) -> ImportReport:
    """Write a checked archive's documents through ``batch`` (``IngestService.import_archive`` holds it).

    Archived vectors are used when they were made by ``model_key``; otherwise chunks are embedded here
    (through the embedding cache). A document already stored exactly as archived is left alone. ``prune``
    removes documents that are not in the archive.
    """
    report = ImportReport(vectors_reused=archive.vectors is not None and archive.embedding_model == model_key)
    known = {d.doc_id: d for d in batch.documents()}
    for info in archive.documents:
        chunks = archive.chunks[info.doc_id]
        report.chunks += len(chunks)
        if _unchanged(batch, known.get(info.doc_id), info, chunks):
            report.unchanged.append(info.source)
            continue
        vectors = archive.vectors[info.doc_id].tolist() if report.vectors_reused and archive.vectors else None
        batch.upsert(info, chunks, vectors)
        (report.updated if info.doc_id in known else report.added).append(info.source)
    if prune:
        wanted = {d.doc_id for d in archive.documents}
        for doc_id, info in known.items():
            if doc_id not in wanted:
                batch.delete(doc_id)
                report.pruned.append(info.source)
    return report


def _unchanged(
    batch: WriteBatch, known: DocumentInfo | None, info: DocumentInfo, chunks: list[ChunkRecord]
) -> bool:
    """Same content hash, same chunk count, and every chunk stored exactly as archived."""
    if known is None or known.doc_hash != info.doc_hash or known.chunks != info.chunks:
        return False
    return batch.get_chunks([c.chunk_id for c in chunks]) == chunks
