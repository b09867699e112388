"""The write side of the store: documents upserted and deleted under one file lock, all or nothing.

A write that fails part-way is rolled back (the new chunks removed, the previous version put back); on a disk
too full for that, the store's health is wedged instead and this process stops calling Chroma (see
``disk_space.py``); orphans such a write leaves are found by ``ChunkReader.find_orphans`` and removed here.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from filelock import FileLock, Timeout

from retrieval.errors import (
    EmbeddingMismatchError,
    ReportbotError,
    StoreLockedError,
    StoreWriteError,
    UnknownDocumentError,
)
from retrieval.store.batches import batched
from retrieval.store.collection import WEDGED
from retrieval.store.disk_space import DiskSpace, batch_bytes, disk_full
from retrieval.store.reader import BATCH
from retrieval.store.records import chunk_metadata, dimension_mismatch, document_metadata, write_failure
from retrieval.text.index_text import index_text

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from pathlib import Path

    from retrieval.store.collection import Rows, Where
    from retrieval.store.reader import ChunkReader
    from retrieval.types import ChunkRecord, DocumentInfo

log = logging.getLogger(__name__)

WRITE_BATCH = 64  # chunks embedded and written together: a failure part-way is rolled back
_NO_VECTOR = [1.0]  # registry records carry no meaning in vector space


class WriteOptions(TypedDict, total=False):
    """How a store writes (``ChunkWriter``'s keyword arguments, passed through by ``ChunkStore``)."""

    model_key: str
    lock_path: Path | None
    lock_timeout: float
    write_batch: int
    space: DiskSpace | None


@dataclass(frozen=True)
class _Snapshot:
    """A document as stored before a write: its registry entry and its chunks (with vectors)."""

    entry: Rows
    chunks: Rows


class ChunkWriter:
    """Writes a store through its ``reader``'s collections; embeds new chunks with the reader's ``Embeddings``."""

    def __init__(
        self,
        reader: ChunkReader,
        *,
        model_key: str = "",
        lock_path: Path | None = None,
        lock_timeout: float = 15.0,
        write_batch: int = WRITE_BATCH,
        space: DiskSpace | None = None,
        read_only_reason: str = "",
    ) -> None:
        self.reader = reader
        self.model_key = model_key  # recorded with each document written: which model made its vectors
        self.write_batch = write_batch
        self.read_only_reason = read_only_reason  # why writes are refused ("" for a writable store)
        self._chunks = reader.chunk_collection
        self._docs = reader.doc_collection
        self._space = space or DiskSpace(None, 0)
        self._lock = FileLock(str(lock_path)) if lock_path else None
        self._lock_timeout = lock_timeout

    @property
    def wedged(self) -> bool:
        """Whether a write failed on a full disk and this process no longer touches the store."""
        return bool(self._chunks.health.wedged)

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

    def _write(
        self,
        info: DocumentInfo,
        chunks: Sequence[ChunkRecord],
        vectors: Sequence[Sequence[float]] | None,
        written: list[bool],
    ) -> None:
        old_ids = set(self.reader.chunk_ids(info.doc_id))
        given = batched(vectors, self.write_batch) if vectors is not None else None
        for part in batched(chunks, self.write_batch):
            self._space.ensure_room(batch_bytes([c.text for c in part]))  # before embedding: no wasted work
            vecs = (
                next(given)
                if given is not None
                else self.reader.embeddings.embed_documents([index_text(c) for c in part])
            )
            written.append(True)
            self._chunks.upsert(
                ids=[c.chunk_id for c in part],
                embeddings=vecs,
                documents=[c.text for c in part],
                metadatas=[chunk_metadata(c) for c in part],
            )
        stale = sorted(old_ids - {c.chunk_id for c in chunks})
        self._space.ensure_room()
        written.append(True)
        self._delete_chunks(stale)
        self._docs.upsert(
            ids=[info.doc_id],
            embeddings=[_NO_VECTOR],
            documents=[info.title],
            metadatas=[document_metadata(info, self.model_key)],
        )

    def _snapshot(self, doc_id: str) -> _Snapshot | None:
        """A document's registry entry and chunks (with vectors) as stored, to restore after a failed write."""
        entry = self._docs.get([doc_id], include=["documents", "metadatas"])
        if not entry.ids:
            return None
        chunks = self._chunks.get(where={"doc_id": doc_id}, include=["documents", "metadatas", "embeddings"])
        return _Snapshot(entry, chunks)

    def _undo(self, doc_id: str, previous: _Snapshot | None, exc: Exception) -> None:
        """Roll a failed write back, or, when the disk has no room for that, stop using Chroma in this process."""
        if self._space.room_for_rollback():
            log.warning("document write failed doc_id=%s error=%s; rolling back", doc_id, type(exc).__name__)
            self._roll_back(doc_id, previous)
            return
        self._chunks.health.wedge()
        log.error(
            "document write failed on a full disk doc_id=%s error=%s; not rolled back, store left alone "
            "until space is freed and `reportbot reindex` runs",
            doc_id,
            type(exc).__name__,
        )
        raise StoreWriteError(WEDGED) from exc

    def _roll_back(self, doc_id: str, previous: _Snapshot | None) -> None:
        """Remove what a failed write left and restore the previous version; orphans left by a failed
        rollback (e.g. the disk is still full) are found by ``find_orphans`` and removed by a reindex.
        """
        try:
            self._delete_chunks(self.reader.chunk_ids(doc_id))
            if previous is None:
                self._docs.delete([doc_id])
                return
            old = previous.chunks
            for ids, vectors, texts, metadatas in zip(
                batched(old.ids, BATCH),
                batched(old.embeddings, BATCH),
                batched(old.documents, BATCH),
                batched(old.metadatas, BATCH),
                strict=True,
            ):
                self._chunks.upsert(ids=ids, embeddings=vectors, documents=texts, metadatas=metadatas)
            entry = previous.entry
            self._docs.upsert(
                ids=entry.ids, embeddings=[_NO_VECTOR], documents=entry.documents, metadatas=entry.metadatas
            )
        except Exception as exc:
            log.error("rollback failed doc_id=%s error=%s", doc_id, type(exc).__name__)

    def _delete_chunks(self, ids: Sequence[str]) -> None:
        for part in batched(ids, BATCH):
            self._chunks.delete(part)

    def delete_orphans(self) -> dict[str, int]:
        """Remove every orphan chunk (``ChunkReader.find_orphans``); what was removed, per doc id."""
        registered = {d.doc_id: d.doc_hash for d in self.reader.documents()}
        orphans = self.reader.find_orphans(registered)
        if orphans:
            self._ensure_room_for_delete()
        for doc_id in orphans:
            where: Where = {"doc_id": doc_id}
            if doc_id in registered:  # only the chunks of the version that did not finish
                where = {"$and": [where, {"doc_hash": {"$ne": registered[doc_id]}}]}
            self._delete_chunks(self._chunks.get(where=where, include=[]).ids)
        return orphans

    def delete_document(self, doc_id: str) -> DocumentInfo:
        """Remove a document and all its chunks; ``UnknownDocumentError`` if it is not there."""
        info = self.reader.document(doc_id)
        if info is None:
            msg = f"知识库中没有文档 {doc_id}"
            raise UnknownDocumentError(msg)
        self._ensure_room_for_delete()
        self._delete_chunks(self.reader.chunk_ids(doc_id))
        self._docs.delete([doc_id])
        return info

    def _ensure_room_for_delete(self) -> None:
        """Deletes need journal room too: refuse them on a disk too full to roll them back."""
        if not self._space.room_for_rollback():
            raise StoreWriteError(write_failure(disk_full()))
