"""BM25 over jieba words and character bigrams of the normalised index text, as a sparse matrix persisted beside the store.

Scoring a query is one column slice and a row sum, so it stays fast at 100k chunks. The index remembers the
store fingerprint it was built from and is rebuilt from Chroma when missing or stale.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from retrieval.index_text import index_text
from retrieval.term_cache import TermCache
from retrieval.tokenize import lexical_terms

if TYPE_CHECKING:
    from collections.abc import Iterable

    from retrieval.store import ChunkStore

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
        tf = np.asarray(tfs, dtype=np.float32)
        dl = np.asarray(lengths, dtype=np.float32)
        avgdl = max(float(dl.mean()), 1.0)
        df = np.bincount(c, minlength=len(vocab)).astype(np.float32)
        idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
        w = idf[c] * tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl[r] / avgdl))
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
        tmp_npz = directory / "bm25.tmp.npz"
        tmp_json = directory / "bm25.tmp.json"
        sparse.save_npz(tmp_npz, self.weights.tocsc())
        tmp_json.write_text(
            json.dumps(
                {"fingerprint": self.fingerprint, "ids": self.ids, "vocab": self.vocab}, ensure_ascii=False
            ),
            encoding="utf-8",
        )
        tmp_npz.replace(directory / "bm25.npz")
        tmp_json.replace(directory / "bm25.json")

    @classmethod
    def load(cls, directory: Path) -> BM25Index | None:
        """The saved index, or None when missing or unreadable."""
        try:
            meta = json.loads((directory / "bm25.json").read_text(encoding="utf-8"))
            weights = sparse.load_npz(directory / "bm25.npz").tocsc()
        except (OSError, ValueError, KeyError):
            return None
        if weights.shape[0] != len(meta["ids"]):
            return None
        return cls(meta["ids"], meta["vocab"], weights, meta["fingerprint"])


class LexicalIndex:
    """The persisted BM25 index of a store, kept in step with it."""

    def __init__(self, store: ChunkStore, directory: Path, *, check_every: float = 2.0) -> None:
        self.store = store
        self.directory = directory
        self.check_every = check_every
        self._index: BM25Index | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()
        self.terms = TermCache(directory / "terms.sqlite", LEXICAL_VERSION, lexical_terms)

    def rebuild(self) -> BM25Index:
        """Rebuild from every chunk in the store and save."""
        fingerprint = self._expected_fingerprint()
        started = time.perf_counter()
        index = BM25Index.build(
            self.terms.terms_of_all((c.chunk_id, index_text(c)) for c in self.store.iter_chunks()),
            fingerprint,
        )
        index.save(self.directory)
        log.info(
            "lexical index rebuilt chunks=%s seconds=%.2f", len(index.ids), time.perf_counter() - started
        )
        self._index = index
        self._checked_at = time.monotonic()
        return index

    def current(self) -> BM25Index:
        """The index, loaded or rebuilt when missing or stale (the store is checked at most every few seconds)."""
        with self._lock:
            now = time.monotonic()
            if self._index is not None and now - self._checked_at < self.check_every:
                return self._index
            fingerprint = self._expected_fingerprint()
            if self._index is None or self._index.fingerprint != fingerprint:
                loaded = BM25Index.load(self.directory)
                self._index = loaded if loaded and loaded.fingerprint == fingerprint else self.rebuild()
            self._checked_at = now
            return self._index

    def _expected_fingerprint(self) -> str:
        return f"v{LEXICAL_VERSION}:{self.store.fingerprint()}"

    def invalidate(self) -> None:
        """Force a freshness check on next use (after this process wrote to the store)."""
        with self._lock:
            self._checked_at = float("-inf")  # not 0: monotonic() may be below check_every after boot

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """BM25 top ``k`` for a question (normalised and tokenised here)."""
        return self.current().search(lexical_terms(query, query=True), k)
