"""The read side of the knowledge base for front ends: documents, counts, stats and export.

Front ends (CLI, chat core) read through a ``Library`` and write only through ``IngestService``; neither
reaches into the store, the lexical index or the embedder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from retrieval.text.injection import instruction_sentences

if TYPE_CHECKING:
    from pathlib import Path

    from retrieval.store.chunks import ChunkStore
    from retrieval.types import ChunkRecord, DocumentInfo


@dataclass(frozen=True)
class LibraryStats:
    """How big the knowledge base is and what was ingested last."""

    documents: int
    chunks: int
    latest: DocumentInfo | None


class Library:
    """Read-only view of the ingested documents.

    ``model_key`` names the embedder the store's vectors are made with (recorded in exported archives).
    """

    def __init__(self, store: ChunkStore, *, model_key: str = "") -> None:
        self._store = store
        self.model_key = model_key

    def documents(self) -> list[DocumentInfo]:
        """Every ingested document, sorted by source name."""
        return sorted(self._store.documents(), key=lambda d: d.source)

    def document(self, doc_id: str) -> DocumentInfo | None:
        """One document by id (the console's 文档详情 and 重新解析), or None."""
        return self._store.document(doc_id)

    def chunks(self, doc_id: str | None = None) -> list[ChunkRecord]:
        """The stored passages of one document (or of all), in document order (the console's 文档详情)."""
        found = (c for c in self._store.iter_chunks() if doc_id is None or c.doc_id == doc_id)
        return sorted(found, key=lambda c: (c.source, c.ordinal))

    def chunk_count(self) -> int:
        """Passages in the store."""
        return self._store.count()

    def is_empty(self) -> bool:
        """True before anything was ingested."""
        return self._store.count() == 0

    def articles(self) -> set[tuple[str, str]]:
        """Each stored article once, as (unit, displayed title): what its citations say it reports for."""
        return {(c.unit, c.display_title) for c in self._store.iter_chunks()}

    def quarantined(self) -> dict[str, list[str]]:
        """Each document's quarantined sentences (``retrieval.text.injection``, judged now), by source name, in order."""
        found: dict[str, list[str]] = {}
        for chunk in sorted(self._store.iter_chunks(), key=lambda c: (c.source, c.ordinal)):
            sentences = instruction_sentences(chunk.text)
            if sentences:
                found.setdefault(chunk.source, []).extend(
                    s for s in sentences if s not in found[chunk.source]
                )
        return found

    def unfinished_writes(self) -> dict[str, int]:
        """Passages left by writes that failed and could not be undone, per doc id (``reindex`` removes them)."""
        return self._store.find_orphans()

    def stats(self) -> LibraryStats:
        """Counts and the most recently ingested document."""
        documents = self._store.documents()
        latest = max(documents, key=lambda d: d.ingested_at, default=None)
        return LibraryStats(len(documents), self._store.count(), latest)

    def export(self, path: Path, *, with_embeddings: bool = False) -> dict[str, Any]:
        """Write every document's chunks (and vectors, when asked) to a portable archive; returns its manifest."""
        from ingest.archive import export_archive

        return export_archive(self._store, path, model_key=self.model_key, with_embeddings=with_embeddings)
