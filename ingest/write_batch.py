"""The one write sequence of the knowledge base: lock → upsert / delete → refresh BM25.

``IngestService`` is the only caller: ingest, upload, delete, reindex and archive import each run their
writes inside one ``write_batch``, so the lock is held once and the lexical index is refreshed once.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from retrieval.store.chunks import ChunkStore
    from retrieval.store.lexical import LexicalIndex
    from retrieval.types import ChunkRecord, DocumentInfo


class WriteBatch:
    """The writes made under one hold of the store's write lock; remembers whether anything changed."""

    def __init__(self, store: ChunkStore) -> None:
        self._store = store
        self.changed = False

    def documents(self) -> list[DocumentInfo]:
        """Every document, read under the lock (what the batch's writes start from)."""
        return self._store.documents()

    def document(self, doc_id: str) -> DocumentInfo | None:
        """One document's registry entry, or None."""
        return self._store.document(doc_id)

    def other_model(self, doc_id: str) -> bool:
        """Whether a stored document's vectors were made by another embedding model than the store's own."""
        recorded = self._store.embedding_models([doc_id]).get(doc_id, "")
        return bool(recorded and self._store.model_key and recorded != self._store.model_key)

    def get_chunks(self, ids: Sequence[str]) -> list[ChunkRecord]:
        """Stored chunks by id (to tell whether an incoming document is already stored as it is)."""
        return self._store.get_chunks(ids)

    def upsert(
        self,
        info: DocumentInfo,
        chunks: Sequence[ChunkRecord],
        vectors: Sequence[Sequence[float]] | None = None,
    ) -> None:
        """Add or replace a document with its chunks (``vectors`` skip embedding when given)."""
        self._store.upsert_document(info, chunks, vectors)
        self.changed = True

    def delete_orphans(self) -> dict[str, int]:
        """Remove chunks whose document is not in the registry (left by a write that died); per doc id."""
        orphans = self._store.delete_orphans()
        if orphans:
            self.changed = True
        return orphans

    def delete(self, doc_id: str) -> DocumentInfo:
        """Remove a document and its chunks."""
        info = self._store.delete_document(doc_id)
        self.changed = True
        return info


@contextmanager
def write_batch(store: ChunkStore, lexical: LexicalIndex, *, rebuild: bool = False) -> Iterator[WriteBatch]:
    """Hold the write lock for a batch of writes; afterwards rebuild BM25 when anything changed (or always,
    with ``rebuild``). A batch that fails part-way leaves the index to notice the change on its next use.
    """
    batch = WriteBatch(store)
    try:
        with store.write_lock():
            yield batch
    except BaseException:
        if batch.changed:
            lexical.invalidate()
        raise
    if store.wedged:  # a write failed on a full disk: reading the store now could hang (disk_space.py)
        lexical.invalidate()
    elif batch.changed or rebuild:
        lexical.rebuild(force=rebuild)
