"""Every stored chunk's record in memory, so a search reads Chroma once (the vector query) per question.

Kept by ``LexicalIndex`` in step with the registry snapshot of its last freshness check: when that changes, only
the chunks of documents added, replaced or removed are fetched or dropped (a store changed some other way, e.g.
orphans removed, is read again whole). Ids a search finds that are not held (written since) are read from
Chroma by the caller and remembered. About 1 KiB per chunk of ~300 characters (see benchmarks/README.md).

A sync reads whole documents only up to ``EAGER_LIMIT`` chunks: beyond that (a first question on a large store,
where reading every record took 12–27 s at 100k chunks) records are read as searches first need them.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from retrieval.store.reader import ChunkReader
    from retrieval.types import ChunkRecord, DocumentInfo


EAGER_LIMIT = 10_000
"""Most chunks a sync reads at once; a larger change is read as searches need its records."""


def _version(d: DocumentInfo) -> str:
    return f"{d.doc_hash}:{d.chunks}"


class RecordCache:
    """Chunk id → record for a whole store, synchronised by document."""

    def __init__(self, store: ChunkReader) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._versions: dict[str, str] = {}  # doc id → version held
        self._by_doc: dict[str, list[str]] = {}
        self._records: dict[str, ChunkRecord] = {}
        self.fingerprint = ""  # the store fingerprint the records were read at ("" before the first sync)
        self.fetched = 0  # chunks read from Chroma so far (tests, benchmarks)
        self.complete = True  # every chunk of the snapshot is held (False: filled as searches need them)

    def records(
        self, fingerprint: str, documents: Sequence[DocumentInfo], count: int
    ) -> dict[str, ChunkRecord]:
        """The records as of a registry snapshot (``documents``, ``count`` chunks, ``fingerprint`` of both)."""
        with self._lock:
            if fingerprint != self.fingerprint:
                self._sync(documents, count)
                self.fingerprint = fingerprint
            return self._records

    def _sync(self, documents: Sequence[DocumentInfo], count: int) -> None:
        wanted = {d.doc_id: _version(d) for d in documents}
        records = dict(self._records)  # a search holding the previous dict keeps a consistent one
        stale = [d for d, v in self._versions.items() if wanted.get(d) != v]
        for doc_id in stale:
            for cid in self._by_doc.pop(doc_id, []):
                records.pop(cid, None)
            del self._versions[doc_id]
        changed = [d for d in documents if self._versions.get(d.doc_id) != wanted[d.doc_id]]
        if not self.complete or sum(d.chunks for d in changed) > EAGER_LIMIT:
            self.complete = False  # read as searches need them (``remember``)
            self._hold([d.doc_id for d in changed], wanted)
        else:
            self._read(records, [d.doc_id for d in changed], wanted)
            # orphans, or chunks removed without a registry change: read it all again
            if len(records) != count:
                records.clear()
                self._by_doc.clear()
                self._versions.clear()
                self._read(records, list(wanted), wanted)
        self._records = records

    def remember(self, chunks: Iterable[ChunkRecord]) -> None:
        """Keep records a search had to read from Chroma (of documents in the snapshot) for the next one; only
        while records are read as needed (a complete snapshot reads what changed at the next sync).
        """
        with self._lock:
            if self.complete:
                return
            for chunk in chunks:
                if chunk.doc_id in self._versions and chunk.chunk_id not in self._records:
                    self._records[chunk.chunk_id] = chunk
                    self._by_doc[chunk.doc_id].append(chunk.chunk_id)
                    self.fetched += 1

    def _hold(self, doc_ids: list[str], versions: dict[str, str]) -> None:
        """Count ``doc_ids`` as held at ``versions``, with none of their records yet."""
        for doc_id in doc_ids:
            self._by_doc[doc_id] = []
            self._versions[doc_id] = versions[doc_id]

    def _read(self, records: dict[str, ChunkRecord], doc_ids: list[str], versions: dict[str, str]) -> None:
        self._hold(doc_ids, versions)
        for chunk in self._store.chunks_of(doc_ids):
            records[chunk.chunk_id] = chunk
            self._by_doc.setdefault(chunk.doc_id, []).append(chunk.chunk_id)
            self.fetched += 1
