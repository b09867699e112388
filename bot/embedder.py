"""The embedder as the services hold it: built on first use, counting what it embeds, reporting progress.

Loading the embedding model is the slowest part of start-up, and ``docs``, ``delete`` or ``export`` never
embed anything, so the model loads on the first ``embed_documents`` / ``embed_query`` call. Documents are
embedded in slices so a front end can show progress, and the counts tell how many texts were embedded anew
and how many came from the embedding cache (``reportbot ingest`` reports both).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from retrieval.store.batches import batched

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

EmbedProgress = Callable[[int, int], None]
"""Called with (texts done, texts in this call) after each slice of an ``embed_documents`` call."""

SLICE = 32


class LazyEmbeddings:
    """An ``Embeddings`` (duck-typed: ``embed_documents``, ``embed_query``) that builds the real one on first use.

    ``requested`` counts the document texts asked for, ``embedded`` those the model actually embedded (cache
    misses of the inner ``CachedEmbeddings``; every text when it has no cache); ``listener`` gets progress.
    """

    def __init__(self, build: Callable[[], Embeddings]) -> None:
        self._build = build
        self._inner: Embeddings | None = None
        self._lock = threading.Lock()
        self.requested = 0
        self.embedded = 0
        self.listener: EmbedProgress | None = None
        self.slice = SLICE

    @property
    def inner(self) -> Embeddings:
        """The real embedder (loads the model the first time)."""
        if self._inner is None:
            with self._lock:
                if self._inner is None:
                    self._inner = self._build()
        return self._inner

    @property
    def loaded(self) -> bool:
        """True once the model has been loaded."""
        return self._inner is not None

    @property
    def reused(self) -> int:
        """Document texts whose vectors came from the cache."""
        return self.requested - self.embedded

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Vectors of ``texts``, a slice at a time (cached ones are read, not recomputed)."""
        inner = self.inner
        out: list[list[float]] = []
        done = 0
        for part in batched(texts, self.slice):
            before = getattr(inner, "misses", None)
            out.extend(inner.embed_documents(part))
            after = getattr(inner, "misses", None)
            self.requested += len(part)
            self.embedded += len(part) if before is None or after is None else after - before
            done += len(part)
            if self.listener is not None:
                self.listener(done, len(texts))
        return out

    def embed_query(self, text: str) -> list[float]:
        """The vector of a question."""
        return self.inner.embed_query(text)
