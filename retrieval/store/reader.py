"""The read side of the store: documents, chunks and vectors from Chroma, and the vector queries of search.

Everything that only reads (search, the lexical index, the record cache, the gazetteer) takes a ``ChunkReader``;
writes go through ``ChunkWriter`` (``ChunkStore`` is both).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import TYPE_CHECKING

from retrieval.errors import EmbeddingMismatchError, UnknownDocumentError
from retrieval.store.batches import batched
from retrieval.store.records import chunk_from, dimension_mismatch, document_from

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence
    from pathlib import Path

    from langchain_core.embeddings import Embeddings

    from retrieval.store.collection import GuardedCollection, Hits, Include, Rows, Where
    from retrieval.types import ChunkRecord, DocumentInfo

BATCH = 1000  # records a Chroma call reads or deletes at most
_DOCS_A_CALL = 20  # documents whose chunks one call reads (``chunks_of``)


class ChunkReader:
    """Reads a store's two collections: chunks (vector, display text, metadata) and the document registry."""

    def __init__(
        self,
        chunk_collection: GuardedCollection,
        doc_collection: GuardedCollection,
        embeddings: Embeddings,
        *,
        db_path: Path | None = None,
    ) -> None:
        self.embeddings = embeddings
        self.chunk_collection = chunk_collection
        self.doc_collection = doc_collection
        self._db_path = db_path  # Chroma's SQLite file (embedded store), for ``change_marker``

    # --- the registry --------------------------------------------------------------------------------

    def documents(self) -> list[DocumentInfo]:
        """Every ingested document, by source name."""
        return sorted(self._documents(None), key=lambda d: d.source)

    def document(self, doc_id: str) -> DocumentInfo | None:
        """One document's registry entry (read by id), or None."""
        return next(iter(self._documents([doc_id])), None)

    def _documents(self, ids: Sequence[str] | None) -> list[DocumentInfo]:
        got = self.doc_collection.get(ids, include=["documents", "metadatas"])
        return [document_from(i, t, m) for i, t, m in zip(got.ids, got.documents, got.metadatas, strict=True)]

    def embedding_models(self, ids: Sequence[str] | None = None) -> dict[str, str]:
        """Which embedding model made each document's vectors (doc id → model key; "" when not recorded)."""
        got = self.doc_collection.get(ids, include=["metadatas"])
        return {i: str(m.get("embedding_model", "")) for i, m in zip(got.ids, got.metadatas, strict=True)}

    def fingerprint(self, documents: Sequence[DocumentInfo] | None = None) -> str:
        """Changes whenever any document is added, replaced or removed (of ``documents`` when given: a
        registry read once for several uses).
        """
        docs = self.documents() if documents is None else documents
        parts = sorted(f"{d.doc_id}:{d.doc_hash}:{d.chunks}" for d in docs)
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

    def change_marker(self) -> tuple[int, int] | None:
        """A token that changes whenever any process writes to this embedded store (the modification time
        and size of Chroma's SQLite file, which every write commits to; its journal mode is ``delete``), so
        a reader can tell "nothing changed" with one ``stat`` instead of reading the registry. None for a
        Chroma server (no file to look at) or when the file cannot be read: readers then check on a timer.
        """
        if self._db_path is None:
            return None
        try:
            st = self._db_path.stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    # --- chunks --------------------------------------------------------------------------------------

    def count(self) -> int:
        """Number of chunks."""
        return self.chunk_collection.count()

    def dimension(self) -> int | None:
        """The dimension of the stored vectors (None while the store is empty)."""
        got = self.chunk_collection.get(limit=1, include=["embeddings"])
        return len(got.embeddings[0]) if got.embeddings else None

    def chunk_ids(self, doc_id: str) -> list[str]:
        """Ids of every stored chunk of a document (orphans of another version included)."""
        return self.chunk_collection.get(where={"doc_id": doc_id}, include=[]).ids

    def _pages(self, include: Sequence[Include], where: Where | None = None) -> Iterator[Rows]:
        """Every stored chunk (``where`` one matches), ``BATCH`` a call: a call returning many thousands of rows
        fails inside Chroma (SQLite's limit on a statement's variables), whatever asked for them.
        """
        offset = 0
        while True:
            got = self.chunk_collection.get(include=include, where=where, limit=BATCH, offset=offset)
            yield got
            if len(got.ids) < BATCH:
                return
            offset += BATCH

    def iter_chunks(self) -> Iterator[ChunkRecord]:
        """Every stored chunk, in batches (for rebuilding the lexical index and for export)."""
        for got in self._pages(["documents", "metadatas"]):
            yield from _records(got)

    def unit_labels(self) -> set[tuple[str, str, str]]:
        """Each stored article's (unit, doc title, article title), read from metadata only (the gazetteer)."""
        labels: set[tuple[str, str, str]] = set()
        for got in self._pages(["metadatas"]):
            labels.update(
                (str(m.get("unit", "")), str(m["doc_title"]), str(m["article_title"])) for m in got.metadatas
            )
        return labels

    def find_orphans(self, registered: Mapping[str, str] | None = None) -> dict[str, int]:
        """Chunks no registry entry describes, per doc id: their document is not registered, or they belong to
        another version of it (left by a write that failed part-way and could not be undone). ``registered``:
        doc id → hash of the registry, when the caller has read it.

        Search would return them while ``docs``, ``delete`` and ``--prune`` cannot see them.
        """
        known = {d.doc_id: d.doc_hash for d in self.documents()} if registered is None else registered
        counts: Counter[str] = Counter()
        for got in self._pages(["metadatas"]):
            counts.update(
                str(m["doc_id"])
                for m in got.metadatas
                if m["doc_id"] not in known or known[m["doc_id"]] != m.get("doc_hash")
            )
        return dict(counts)

    def vectors(self, ids: Sequence[str]) -> list[list[float]]:
        """Stored vectors by chunk id, in the order asked (for export); unknown ids are an error."""
        by_id: dict[str, list[float]] = {}
        for part in batched(ids, BATCH):
            got = self.chunk_collection.get(part, include=["embeddings"])
            by_id.update(zip(got.ids, got.embeddings, strict=True))
        missing = [cid for cid in ids if cid not in by_id]
        if missing:
            msg = f"知识库中没有这些段落：{', '.join(missing[:5])}"
            raise UnknownDocumentError(msg)
        return [by_id[cid] for cid in ids]

    def get_chunks(self, ids: Sequence[str]) -> list[ChunkRecord]:
        """Chunks by id, in the order asked (unknown ids are skipped, repeated ids given once)."""
        ids = list(dict.fromkeys(ids))  # Chroma rejects a request naming an id twice
        if not ids:
            return []
        by_id = {
            c.chunk_id: c
            for c in _records(self.chunk_collection.get(ids, include=["documents", "metadatas"]))
        }
        return [by_id[i] for i in ids if i in by_id]

    def chunks_of(self, doc_ids: Sequence[str]) -> Iterator[ChunkRecord]:
        """Every stored chunk of these documents (orphans of another version included), a few documents a call."""
        for part in batched(doc_ids, _DOCS_A_CALL):
            for got in self._pages(["documents", "metadatas"], where={"doc_id": {"$in": part}}):
                yield from _records(got)

    # --- vector search -------------------------------------------------------------------------------

    def nearest_ids(self, query: str, k: int) -> list[tuple[str, float]]:
        """Ids of the nearest chunks to the (normalised) query with cosine similarity, best first: the vector
        query alone, for a caller holding the records (``HybridSearcher``); see ``dense_search``.
        """
        if k <= 0:
            return []
        got = self._query(query, k, [])
        return [(cid, 1.0 - dist) for cid, dist in zip(got.ids, got.distances, strict=True)]

    def dense_search(self, query: str, k: int) -> list[tuple[ChunkRecord, float]]:
        """Nearest chunks to the (normalised) query, with cosine similarity (fewer than ``k`` in a small store).

        No ``count()`` first: Chroma returns what it holds, and counting costs more than the query itself
        in a large store (7 ms against 5 ms at 100k chunks, see benchmarks/README.md).
        """
        if k <= 0:
            return []
        got = self._query(query, k, ["documents", "metadatas"])
        return [(c, 1.0 - dist) for c, dist in zip(_records(got), got.distances, strict=True)]

    def _query(self, query: str, k: int, include: Sequence[Include]) -> Hits:
        vector = self.embeddings.embed_query(query)
        try:
            return self.chunk_collection.query(vector, k, include)
        except Exception as exc:
            mismatch = dimension_mismatch(exc)
            if mismatch:
                raise EmbeddingMismatchError(mismatch) from exc
            raise


def _records(rows: Rows) -> Iterator[ChunkRecord]:
    """Chunk records of rows read with their documents and metadatas."""
    for cid, text, meta in zip(rows.ids, rows.documents, rows.metadatas, strict=True):
        yield chunk_from(cid, text, meta)
