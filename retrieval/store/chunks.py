"""The vector store: Chroma collections for chunks (vectors, display text, metadata) and a document registry.

Chroma is the source of truth; the lexical index and caches are rebuilt from it. Nothing here may reach the
network on its own: telemetry is off and no collection has a default embedding function.

``ChunkStore`` is the one object the services pass around: it reads as a ``ChunkReader`` (``reader.py``) and
writes through its ``ChunkWriter`` (``writer.py``), both over the same two guarded collections.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Unpack

from retrieval.store.client import open_client, read_only_reason, sqlite_path
from retrieval.store.collection import StoreHealth, open_collection
from retrieval.store.reader import ChunkReader
from retrieval.store.writer import ChunkWriter, WriteOptions

if TYPE_CHECKING:
    from collections.abc import Sequence
    from contextlib import AbstractContextManager

    from chromadb.api import ClientAPI
    from langchain_core.embeddings import Embeddings

    from retrieval.types import ChunkRecord, DocumentInfo

__all__ = ["ChunkStore", "open_client"]


class ChunkStore(ChunkReader):
    """Chunks and documents in Chroma, embedded with the configured ``Embeddings``: every read of
    ``ChunkReader``, and the writes of ``ChunkWriter`` (``options``: its lock file, batch size, disk space…).
    """

    def __init__(
        self,
        client: ClientAPI,
        embeddings: Embeddings,
        *,
        collection: str = "reportbot",
        **options: Unpack[WriteOptions],
    ) -> None:
        health = StoreHealth()  # one for both collections: a wedged write stops every call
        super().__init__(
            open_collection(client, f"{collection}-chunks", {"hnsw:space": "cosine"}, health),
            open_collection(client, f"{collection}-docs", None, health),
            embeddings,
            db_path=sqlite_path(client),
        )
        self.writer = ChunkWriter(self, read_only_reason=read_only_reason(client), **options)

    @property
    def model_key(self) -> str:
        """The embedding model recorded with each document written."""
        return self.writer.model_key

    @property
    def wedged(self) -> bool:
        """Whether a write failed on a full disk and this process no longer touches the store."""
        return self.writer.wedged

    def write_lock(self) -> AbstractContextManager[None]:
        """Hold the store's write lock (``ChunkWriter.write_lock``)."""
        return self.writer.write_lock()

    def upsert_document(
        self,
        info: DocumentInfo,
        chunks: Sequence[ChunkRecord],
        vectors: Sequence[Sequence[float]] | None = None,
    ) -> None:
        """Add or replace a document, all or nothing (``ChunkWriter.upsert_document``)."""
        self.writer.upsert_document(info, chunks, vectors)

    def delete_document(self, doc_id: str) -> DocumentInfo:
        """Remove a document and its chunks (``ChunkWriter.delete_document``)."""
        return self.writer.delete_document(doc_id)

    def delete_orphans(self) -> dict[str, int]:
        """Remove every orphan chunk, per doc id (``ChunkWriter.delete_orphans``)."""
        return self.writer.delete_orphans()
