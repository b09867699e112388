"""The vector store: Chroma collections for chunks (vectors, display text, metadata) and a document registry.

Chroma is the source of truth; the lexical index and caches are rebuilt from it. Nothing here may reach the
network on its own: telemetry is off and no collection has a default embedding function.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import httpx
from filelock import FileLock, Timeout

from retrieval.errors import (
    EmbeddingMismatchError,
    ReportbotError,
    StoreLockedError,
    StoreUnavailableError,
    StoreWriteError,
    UnknownDocumentError,
)
from retrieval.store.client import open_client, read_only_reason
from retrieval.store.disk_space import DiskSpace, batch_bytes, disk_full
from retrieval.store.records import chunk_from as _chunk_from
from retrieval.store.records import chunk_metadata as _chunk_metadata
from retrieval.store.records import dimension_mismatch, write_failure
from retrieval.text.index_text import index_text
from retrieval.types import ChunkRecord, DocumentInfo

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection
    from langchain_core.embeddings import Embeddings

__all__ = ["ChunkStore", "open_client"]

log = logging.getLogger(__name__)

_BATCH = 1000
_WRITE_BATCH = 64  # chunks embedded and written together: a failure part-way is rolled back
_NO_VECTOR = [1.0]  # registry records carry no meaning in vector space
_WEDGED = (
    "写入知识库失败（磁盘已满），未完成的写入无法在磁盘已满时撤回：请释放磁盘空间，"
    "然后运行 reportbot reindex 清理（服务进程需重启）"
)


class _Health:
    """Shared by a store's collections: set once a write failed on a full disk and could not be undone.

    From then on this process does not call Chroma again (see ``retrieval/store/disk_space.py`` for why).
    """

    def __init__(self) -> None:
        self.wedged = ""


class _Guarded:
    """A Chroma collection whose connection failures (server down, timeout) surface as
    ``StoreUnavailableError``, so front ends show one clear message and the next call retries; once a write
    failed on a full disk and could not be undone (``_Health``), every call is refused before reaching Chroma.
    """

    def __init__(self, collection: Collection, health: _Health) -> None:
        self._collection = collection
        self._health = health

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._collection, name)
        if not callable(attr):
            return attr

        @functools.wraps(attr)
        def call(*args: Any, **kwargs: Any) -> Any:
            if self._health.wedged:
                raise StoreUnavailableError(self._health.wedged)
            try:
                return attr(*args, **kwargs)
            except httpx.TransportError as exc:
                msg = f"与 Chroma 服务器的连接中断（{type(exc).__name__}），请确认服务已启动后重试"
                raise StoreUnavailableError(msg) from exc

        return call


def _sqlite_path(client: ClientAPI) -> Path | None:
    """Chroma's SQLite file for an embedded client, None for a server."""
    try:
        settings = client.get_settings()
    except Exception:  # noqa: BLE001 - a client without settings: no file to watch
        return None
    if not settings.is_persistent or not settings.persist_directory:
        return None
    return Path(settings.persist_directory) / "chroma.sqlite3"


class ChunkStore:
    """Chunks and documents in Chroma, embedded with the configured ``Embeddings``."""

    def __init__(
        self,
        client: ClientAPI,
        embeddings: Embeddings,
        *,
        collection: str = "reportbot",
        lock_path: Path | None = None,
        lock_timeout: float = 15.0,
        write_batch: int = _WRITE_BATCH,
        space: DiskSpace | None = None,
        model_key: str = "",
    ) -> None:
        self.embeddings = embeddings
        self.model_key = model_key  # recorded with each document written: which model made its vectors
        self.write_batch = write_batch
        self._space = space or DiskSpace(None, 0)
        self._health = _Health()
        self._client = client
        self._name = collection
        self._lock = FileLock(str(lock_path)) if lock_path else None
        self._lock_timeout = lock_timeout
        self.read_only_reason = read_only_reason(client)
        self._db_path = _sqlite_path(client)
        self._chunks = self._collection(f"{collection}-chunks", {"hnsw:space": "cosine"})
        self._docs = self._collection(f"{collection}-docs", None)

    def _collection(self, name: str, metadata: dict[str, Any] | None) -> Collection:
        try:
            collection = self._client.get_or_create_collection(
                name, embedding_function=None, metadata=metadata
            )
        except Exception as exc:
            msg = f"无法打开向量库集合 {name}（{type(exc).__name__}: {exc}）"
            raise StoreUnavailableError(msg) from exc
        return cast("Collection", _Guarded(collection, self._health))

    # --- writing -------------------------------------------------------------------------------------

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """Only one process writes to an embedded store at a time; an unwritable store refuses every write."""
        if self.read_only_reason:
            raise StoreWriteError(self.read_only_reason)
        if self._lock is None:
            yield
            return
        try:
            acquired = self._lock.acquire(timeout=self._lock_timeout)
        except Timeout:
            msg = f"另一个进程正在写入知识库（锁文件 {self._lock.lock_file}），请等它完成后再试"
            raise StoreLockedError(msg) from None
        except OSError as exc:  # read-only or full data dir: reads still work, writes say why
            raise StoreWriteError(write_failure(exc)) from exc
        with acquired:
            yield

    def upsert_document(
        self,
        info: DocumentInfo,
        chunks: Sequence[ChunkRecord],
        vectors: Sequence[Sequence[float]] | None = None,
    ) -> None:
        """Replace a document's chunks with ``chunks``, batch by batch; a failure part-way is rolled back
        (the new chunks removed, the previous version put back) and raised as ``StoreWriteError``.

        ``vectors`` (one per chunk, made by the same model) skip embedding, e.g. when importing an archive.
        """
        if vectors is not None and len(vectors) != len(chunks):
            msg = f"{len(chunks)} chunks but {len(vectors)} vectors for document {info.doc_id}"
            raise ValueError(msg)
        previous = self._snapshot(info.doc_id)
        written: list[bool] = []  # appended to before the first call that changes Chroma
        try:
            self._write(info, chunks, vectors, written)
        except Exception as exc:
            if written:
                self._undo(info.doc_id, previous, exc)
            if isinstance(exc, ReportbotError):
                raise
            mismatch = dimension_mismatch(exc)
            if mismatch:
                raise EmbeddingMismatchError(mismatch) from exc
            cause = disk_full() if self._space.is_low() else exc  # Chroma words a full disk its own way
            raise StoreWriteError(write_failure(cause)) from exc

    def _undo(
        self, doc_id: str, previous: tuple[dict[str, Any], dict[str, Any]] | None, exc: Exception
    ) -> None:
        """Roll a failed write back, or, when the disk has no room for that, stop using Chroma in this process."""
        if self._space.room_for_rollback():
            log.warning("document write failed doc_id=%s error=%s; rolling back", doc_id, type(exc).__name__)
            self._roll_back(doc_id, previous)
            return
        self._health.wedged = _WEDGED
        log.error(
            "document write failed on a full disk doc_id=%s error=%s; not rolled back, store left alone "
            "until space is freed and `reportbot reindex` runs",
            doc_id,
            type(exc).__name__,
        )
        raise StoreWriteError(_WEDGED) from exc

    @property
    def wedged(self) -> bool:
        """Whether a write failed on a full disk and this process no longer touches the store."""
        return bool(self._health.wedged)

    def _write(
        self,
        info: DocumentInfo,
        chunks: Sequence[ChunkRecord],
        vectors: Sequence[Sequence[float]] | None,
        written: list[bool],
    ) -> None:
        old_ids = set(self._chunk_ids(info.doc_id))
        step = self.write_batch
        for i in range(0, len(chunks), step):
            part = chunks[i : i + step]
            self._space.ensure_room(batch_bytes([c.text for c in part]))  # before embedding: no wasted work
            vecs = (
                vectors[i : i + step]
                if vectors is not None
                else self.embeddings.embed_documents([index_text(c) for c in part])
            )
            written.append(True)
            self._chunks.upsert(
                ids=[c.chunk_id for c in part],
                embeddings=[list(v) for v in vecs],
                documents=[c.text for c in part],
                metadatas=[_chunk_metadata(c) for c in part],
            )
        stale = sorted(old_ids - {c.chunk_id for c in chunks})
        self._space.ensure_room()
        written.append(True)
        for i in range(0, len(stale), _BATCH):
            self._chunks.delete(ids=stale[i : i + _BATCH])
        self._docs.upsert(
            ids=[info.doc_id],
            embeddings=[_NO_VECTOR],
            documents=[info.title],
            metadatas=[
                {
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
                    "embedding_model": self.model_key,
                    "source_kind": info.source_kind,
                    "low_confidence": info.low_confidence,
                }
            ],
        )

    def _snapshot(self, doc_id: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """A document's registry record and chunks (with vectors) as stored, to restore after a failed write."""
        entry = self._docs.get(ids=[doc_id], include=["documents", "metadatas"])
        if not entry["ids"]:
            return None
        chunks = self._chunks.get(where={"doc_id": doc_id}, include=["documents", "metadatas", "embeddings"])
        return dict(entry), dict(chunks)

    def _roll_back(self, doc_id: str, previous: tuple[dict[str, Any], dict[str, Any]] | None) -> None:
        """Remove what a failed write left and restore the previous version; orphans left by a failed
        rollback (e.g. the disk is still full) are found by ``find_orphans`` and removed by a reindex.
        """
        try:
            for ids in self._batched(self._chunk_ids(doc_id)):
                self._chunks.delete(ids=ids)
            if previous is None:
                self._docs.delete(ids=[doc_id])
                return
            entry, chunks = previous
            for start in range(0, len(chunks["ids"]), _BATCH):
                end = start + _BATCH
                self._chunks.upsert(
                    ids=chunks["ids"][start:end],
                    embeddings=[list(v) for v in chunks["embeddings"][start:end]],
                    documents=chunks["documents"][start:end],
                    metadatas=chunks["metadatas"][start:end],
                )
            self._docs.upsert(
                ids=entry["ids"],
                embeddings=[_NO_VECTOR],
                documents=entry["documents"],
                metadatas=entry["metadatas"],
            )
        except Exception as exc:  # noqa: BLE001 - the write error is what the caller reports
            log.error("rollback failed doc_id=%s error=%s", doc_id, type(exc).__name__)

    @staticmethod
    def _batched(ids: list[str]) -> Iterator[list[str]]:
        for i in range(0, len(ids), _BATCH):
            yield ids[i : i + _BATCH]

    def find_orphans(self) -> dict[str, int]:
        """Chunks no registry entry describes, per doc id: their document is not registered, or they belong to
        another version of it (left by a write that failed part-way and could not be undone).

        Search would return them while ``docs``, ``delete`` and ``--prune`` cannot see them.
        """
        return self._orphans(self._registered_hashes())

    def _registered_hashes(self) -> dict[str, str]:
        return {d.doc_id: d.doc_hash for d in self.documents()}

    def _orphans(self, registered: dict[str, str]) -> dict[str, int]:
        counts: Counter[str] = Counter()
        total = self._chunks.count()
        for offset in range(0, total, _BATCH):
            got = self._chunks.get(include=["metadatas"], limit=_BATCH, offset=offset)
            counts.update(
                m["doc_id"]
                for m in got["metadatas"] or []
                if m["doc_id"] not in registered or registered[m["doc_id"]] != m.get("doc_hash")
            )
        return dict(counts)

    def delete_orphans(self) -> dict[str, int]:
        """Remove every orphan chunk; what was removed, per doc id."""
        registered = self._registered_hashes()
        orphans = self._orphans(registered)
        if orphans:
            self._ensure_room_for_delete()
        for doc_id in orphans:
            where: dict[str, Any] = {"doc_id": doc_id}
            if doc_id in registered:  # only the chunks of the version that did not finish
                where = {"$and": [where, {"doc_hash": {"$ne": registered[doc_id]}}]}
            got = self._chunks.get(where=cast("Any", where), include=[])
            for ids in self._batched(list(got["ids"])):
                self._chunks.delete(ids=ids)
        return orphans

    def delete_document(self, doc_id: str) -> DocumentInfo:
        """Remove a document and all its chunks; ``UnknownDocumentError`` if it is not there."""
        info = self.document(doc_id)
        if info is None:
            msg = f"知识库中没有文档 {doc_id}"
            raise UnknownDocumentError(msg)
        self._ensure_room_for_delete()
        ids = self._chunk_ids(doc_id)
        for i in range(0, len(ids), _BATCH):
            self._chunks.delete(ids=ids[i : i + _BATCH])
        self._docs.delete(ids=[doc_id])
        return info

    def _ensure_room_for_delete(self) -> None:
        """Deletes need journal room too: refuse them on a disk too full to roll them back."""
        if not self._space.room_for_rollback():
            raise StoreWriteError(write_failure(disk_full()))

    # --- reading -------------------------------------------------------------------------------------

    def _chunk_ids(self, doc_id: str) -> list[str]:
        return list(self._chunks.get(where={"doc_id": doc_id}, include=[])["ids"])

    def documents(self) -> list[DocumentInfo]:
        """Every ingested document, by source name."""
        got = self._docs.get(include=["documents", "metadatas"])
        docs = [
            DocumentInfo(
                doc_id=i,
                source=m["source"],
                title=t or "",
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
            for i, t, m in zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True)
        ]
        return sorted(docs, key=lambda d: d.source)

    def embedding_models(self, ids: Sequence[str] | None = None) -> dict[str, str]:
        """Which embedding model made each document's vectors (doc id → model key; "" when not recorded)."""
        got = self._docs.get(ids=list(ids) if ids is not None else None, include=["metadatas"])
        return {
            i: str((m or {}).get("embedding_model", ""))
            for i, m in zip(got["ids"], got["metadatas"] or [], strict=True)
        }

    def dimension(self) -> int | None:
        """The dimension of the stored vectors (None while the store is empty)."""
        got = self._chunks.get(limit=1, include=["embeddings"])
        vecs = got["embeddings"] if got["embeddings"] is not None else []
        return len(vecs[0]) if len(vecs) else None

    def document(self, doc_id: str) -> DocumentInfo | None:
        """One document's registry entry, or None."""
        return next((d for d in self.documents() if d.doc_id == doc_id), None)

    def count(self) -> int:
        """Number of chunks."""
        return self._chunks.count()

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

    def iter_chunks(self) -> Iterator[ChunkRecord]:
        """Every stored chunk, in batches (for rebuilding the lexical index and for export)."""
        total = self._chunks.count()
        for offset in range(0, total, _BATCH):
            got = self._chunks.get(include=["documents", "metadatas"], limit=_BATCH, offset=offset)
            for cid, text, meta in zip(
                got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True
            ):
                yield _chunk_from(cid, text or "", meta)

    def unit_labels(self) -> set[tuple[str, str, str]]:
        """Each stored article's (unit, doc title, article title), read from metadata only (the gazetteer)."""
        labels: set[tuple[str, str, str]] = set()
        total = self._chunks.count()
        for offset in range(0, total, _BATCH):
            got = self._chunks.get(include=["metadatas"], limit=_BATCH, offset=offset)
            labels.update(
                (str(m.get("unit", "")), str(m["doc_title"]), str(m["article_title"]))
                for m in got["metadatas"] or []
            )
        return labels

    def vectors(self, ids: Sequence[str]) -> list[list[float]]:
        """Stored vectors by chunk id, in the order asked (for export); unknown ids are an error."""
        by_id: dict[str, list[float]] = {}
        for i in range(0, len(ids), _BATCH):
            got = self._chunks.get(ids=list(ids[i : i + _BATCH]), include=["embeddings"])
            vecs = got["embeddings"] if got["embeddings"] is not None else []
            by_id.update((cid, [float(x) for x in v]) for cid, v in zip(got["ids"], vecs, strict=True))
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
        got = self._chunks.get(ids=ids, include=["documents", "metadatas"])
        by_id = {
            cid: _chunk_from(cid, text or "", meta)
            for cid, text, meta in zip(
                got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True
            )
        }
        return [by_id[i] for i in ids if i in by_id]

    def chunks_of(self, doc_ids: Sequence[str]) -> Iterator[ChunkRecord]:
        """Every stored chunk of these documents (orphans of another version included), a few documents a call."""
        for i in range(0, len(doc_ids), 20):
            where: dict[str, Any] = {"doc_id": {"$in": list(doc_ids[i : i + 20])}}
            got = self._chunks.get(where=cast("Any", where), include=["documents", "metadatas"])
            for cid, text, meta in zip(
                got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True
            ):
                yield _chunk_from(cid, text or "", meta)

    def nearest_ids(self, query: str, k: int) -> list[tuple[str, float]]:
        """Ids of the nearest chunks to the (normalised) query with cosine similarity, best first: the vector
        query alone, for a caller holding the records (``HybridSearcher``); see ``dense_search``.
        """
        if k <= 0:
            return []
        got = self._query(query, k, ["distances"])
        return [
            (cid, 1.0 - float(dist))
            for cid, dist in zip(got["ids"][0], (got["distances"] or [[]])[0], strict=True)
        ]

    def _query(self, query: str, k: int, include: list[str]) -> Any:
        vector = self.embeddings.embed_query(query)
        try:
            return self._chunks.query(query_embeddings=[vector], n_results=k, include=cast("Any", include))
        except Exception as exc:
            mismatch = dimension_mismatch(exc)
            if mismatch:
                raise EmbeddingMismatchError(mismatch) from exc
            raise

    def dense_search(self, query: str, k: int) -> list[tuple[ChunkRecord, float]]:
        """Nearest chunks to the (normalised) query, with cosine similarity (fewer than ``k`` in a small store).

        No ``count()`` first: Chroma returns what it holds, and counting costs more than the query itself
        in a large store (7 ms against 5 ms at 100k chunks, see benchmarks/README.md).
        """
        if k <= 0:
            return []
        got = self._query(query, k, ["documents", "metadatas", "distances"])
        return [
            (_chunk_from(cid, text or "", meta), 1.0 - float(dist))
            for cid, text, meta, dist in zip(
                got["ids"][0],
                (got["documents"] or [[]])[0],
                (got["metadatas"] or [[]])[0],
                (got["distances"] or [[]])[0],
                strict=True,
            )
        ]
