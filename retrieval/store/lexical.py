"""BM25 over jieba words and character bigrams of the normalised index text, as a sparse matrix persisted beside the store.

Scoring a query is one column slice and a row sum, so it stays fast at 100k chunks. The index remembers the
store fingerprint it was built from and is rebuilt from Chroma when missing or stale.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
import uuid
from collections import Counter
from typing import TYPE_CHECKING

import numpy as np
from filelock import FileLock
from scipy import sparse

from retrieval.store.numpy_io import load_npz_matrix
from retrieval.store.record_cache import RecordCache
from retrieval.store.term_cache import TermCache
from retrieval.text.index_text import index_text
from retrieval.text.normalize import normalize
from retrieval.text.tokenize import bigrams, lexical_terms

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence
    from pathlib import Path

    from retrieval.store.reader import ChunkReader
    from retrieval.types import ChunkRecord, DocumentInfo

log = logging.getLogger(__name__)

K1 = 1.5
B = 0.75
# Bump when tokenisation changes: a saved index of another version is rebuilt.
LEXICAL_VERSION = "2"


class BM25Index:
    """An immutable BM25 index: chunk ids, a vocabulary and a (chunks × terms) weight matrix."""

    def __init__(
        self, ids: list[str], vocab: dict[str, int], weights: sparse.csc_matrix, fingerprint: str
    ) -> None:
        self.ids = ids
        self.vocab = vocab
        self.weights = weights
        self.fingerprint = fingerprint

    @classmethod
    def build(cls, docs: Iterable[tuple[str, list[str]]], fingerprint: str) -> BM25Index:
        """Build from (chunk id, tokens) pairs."""
        ids: list[str] = []
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        tfs: list[int] = []
        lengths: list[int] = []
        for row, (chunk_id, tokens) in enumerate(docs):
            ids.append(chunk_id)
            lengths.append(len(tokens))
            for tok, tf in Counter(tokens).items():
                rows.append(row)
                cols.append(vocab.setdefault(tok, len(vocab)))
                tfs.append(tf)
        n = len(ids)
        if n == 0:
            return cls([], {}, sparse.csc_matrix((0, 0), dtype=np.float32), fingerprint)
        r = np.asarray(rows)
        c = np.asarray(cols)
        term_freq = np.asarray(tfs, dtype=np.float32)
        dl = np.asarray(lengths, dtype=np.float32)
        avgdl = max(float(dl.mean()), 1.0)
        df = np.bincount(c, minlength=len(vocab)).astype(np.float32)
        idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
        w = idf[c] * term_freq * (K1 + 1) / (term_freq + K1 * (1 - B + B * dl[r] / avgdl))
        weights = sparse.csc_matrix((w.astype(np.float32), (r, c)), shape=(n, len(vocab)))
        return cls(ids, vocab, weights, fingerprint)

    def search(self, tokens: list[str], k: int) -> list[tuple[str, float]]:
        """Top ``k`` chunk ids for the query tokens, best first (only chunks sharing a token)."""
        counts = Counter(t for t in tokens if t in self.vocab)
        if not counts or not self.ids:
            return []
        cols = [self.vocab[t] for t in counts]
        qw = np.asarray([counts[t] for t in counts], dtype=np.float32)
        scores = np.asarray(self.weights[:, cols] @ qw).ravel()
        nz = np.flatnonzero(scores)
        if nz.size == 0:
            return []
        vals = scores[nz]
        if nz.size > k:  # sort only the scores reaching the k-th best (ties kept: same order as a full sort)
            keep = vals >= np.partition(vals, nz.size - k)[nz.size - k]
            nz, vals = nz[keep], vals[keep]
        top = nz[np.argsort(-vals, kind="stable")[:k]]
        return [(self.ids[i], float(scores[i])) for i in top]

    def save(self, directory: Path) -> None:
        """Write atomically (temp files, then rename) so a reader never sees half an index."""
        directory.mkdir(parents=True, exist_ok=True)
        unique = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"  # two writers never share a temp file
        tmp_npz = directory / f"bm25.{unique}.tmp.npz"
        tmp_json = directory / f"bm25.{unique}.tmp.json"
        try:
            sparse.save_npz(tmp_npz, self.weights.tocsc())
            tmp_json.write_text(
                json.dumps(
                    {"fingerprint": self.fingerprint, "ids": self.ids, "vocab": self.vocab},
                    ensure_ascii=False,
                ),
                encoding="utf-8",
            )
            tmp_npz.replace(directory / "bm25.npz")
            tmp_json.replace(directory / "bm25.json")
        finally:
            tmp_npz.unlink(missing_ok=True)
            tmp_json.unlink(missing_ok=True)

    @classmethod
    def load(cls, directory: Path) -> BM25Index | None:
        """The saved index, or None when missing or unreadable."""
        if not (directory / "bm25.json").exists():
            return None
        try:
            meta = json.loads((directory / "bm25.json").read_text(encoding="utf-8"))
            weights = load_npz_matrix(directory / "bm25.npz")
            ids, vocab, fingerprint = meta["ids"], meta["vocab"], meta["fingerprint"]
            shaped = (
                isinstance(ids, list)
                and isinstance(vocab, dict)
                and isinstance(fingerprint, str)
                and weights.shape == (len(ids), len(vocab))
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning(
                "lexical index unreadable, will rebuild path=%s error=%s", directory, type(exc).__name__
            )
            return None
        if not shaped:
            log.warning("lexical index has the wrong shape, will rebuild path=%s", directory)
            return None
        return cls(ids, vocab, weights, fingerprint)


class LexicalIndex:
    """The persisted BM25 index of a store, kept in step with it."""

    def __init__(self, store: ChunkReader, directory: Path, *, check_every: float = 2.0) -> None:
        self.store = store
        self.directory = directory
        self.check_every = check_every
        self._index: BM25Index | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()
        # One rebuild at a time: threads of this process, then processes sharing the directory.
        self._build_lock = threading.Lock()
        self.builds = 0  # rebuilds this object actually ran (not those it found done by another)
        self.terms = TermCache(directory / "terms.sqlite", LEXICAL_VERSION, lexical_terms)
        self._marker: tuple[int, int] | None = None
        self._snapshot: tuple[str, Sequence[DocumentInfo]] = ("", ())
        self._records = RecordCache(store)

    def rebuild(self, *, force: bool = False) -> BM25Index:
        """Bring the saved index in step with the store, under a lock; an index another thread or process
        built for the current store while this one waited is reused, unless ``force``.
        """
        with self._build_lock, self._file_lock():
            fingerprint = self._expected_fingerprint()
            if not force:
                done = self._index if self._index and self._index.fingerprint == fingerprint else None
                done = done or BM25Index.load(self.directory)
                if done is not None and done.fingerprint == fingerprint:
                    self._index, self._checked_at = done, time.monotonic()
                    return done
            started = time.perf_counter()
            index = BM25Index.build(
                self.terms.terms_of_all((c.chunk_id, index_text(c)) for c in self.store.iter_chunks()),
                fingerprint,
            )
            try:
                index.save(self.directory)
            except OSError as exc:  # read-only or full disk: serve the index from memory, say so once
                log.warning("lexical index not saved path=%s error=%s", self.directory, exc.strerror or exc)
            self.builds += 1
            log.info(
                "lexical index rebuilt chunks=%s seconds=%.2f", len(index.ids), time.perf_counter() - started
            )
            self._index = index
            self._checked_at = time.monotonic()
            return index

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        """The cross-process rebuild lock (none when the directory cannot hold a lock file: read-only)."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            lock = FileLock(str(self.directory / "bm25.lock"))
            lock.acquire(timeout=600)
        except OSError:
            yield
            return
        try:
            yield
        finally:
            lock.release()

    def current(self) -> BM25Index:
        """The index, loaded or rebuilt when missing or stale.

        The store is checked when its change marker moved (an embedded store: any process wrote to it since
        the last check) and at least every ``check_every`` seconds (a Chroma server has no marker: only then).
        """
        with self._lock:
            now = time.monotonic()
            marker = self.store.change_marker()  # read before the registry: a write after it moves it again
            if (
                self._index is not None
                and now - self._checked_at < self.check_every
                and (marker is None or marker == self._marker)
            ):
                return self._index
            documents = self.store.documents()
            fingerprint = self._expected_fingerprint(documents)
            if self._index is None or self._index.fingerprint != fingerprint:
                loaded = BM25Index.load(self.directory)
                self._index = loaded if loaded and loaded.fingerprint == fingerprint else self.rebuild()
            self._checked_at, self._marker = now, marker
            self._snapshot = (fingerprint, documents)
            return self._index

    def records(self) -> dict[str, ChunkRecord]:
        """Every stored chunk's record, as of the same freshness check as ``current()`` (read from Chroma by
        document when the store changed; chunks written since are missing: read them from the store).
        """
        index = self.current()
        if self._snapshot[0] != index.fingerprint:  # rebuilt by this process since its last check
            self.invalidate()
            self.current()
        fingerprint, documents = self._snapshot
        count = int(fingerprint.rsplit(":", 1)[1])
        return self._records.records(fingerprint, documents, count)

    def remember(self, chunks: Iterable[ChunkRecord]) -> None:
        """Keep records a search read from Chroma, for the next search (see ``RecordCache``)."""
        self._records.remember(chunks)

    def _expected_fingerprint(self, documents: Sequence[DocumentInfo] | None = None) -> str:
        # the chunk count too, so chunks without a registry entry (orphans) make the index stale
        return f"v{LEXICAL_VERSION}:{self.store.fingerprint(documents)}:{self.store.count()}"

    def install(self, docs: Iterable[tuple[str, list[str]]]) -> BM25Index:
        """Build the index from (chunk id, terms) pairs already at hand and save it as ``rebuild`` would, under
        the store's current fingerprint (e.g. a benchmark that wrote the store and knows every chunk's terms).
        """
        with self._build_lock, self._file_lock():
            index = BM25Index.build(docs, self._expected_fingerprint())
            index.save(self.directory)
            self._index, self._checked_at = index, time.monotonic()
            return index

    def invalidate(self) -> None:
        """Force a freshness check on next use (after this process wrote to the store)."""
        with self._lock:
            self._checked_at = float("-inf")  # not 0: monotonic() may be below check_every after boot

    def mentions(self, word: str) -> bool:
        """Does some indexed text hold every character bigram of ``word`` (normalised)? A cheap "the
        knowledge base names this" for place names (南岗镇), from the index vocabulary.
        """
        grams = bigrams(normalize(word))
        vocab = self.current().vocab
        return bool(grams) and all(g in vocab for g in grams)

    def search(self, query: str, k: int, *, normalized: bool = False) -> list[tuple[str, float]]:
        """BM25 top ``k`` for a question (tokenised here, and normalised unless ``normalized``)."""
        return self.current().search(lexical_terms(query, query=True, normalized=normalized), k)
