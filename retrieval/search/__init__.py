"""Search: a question analysed (intent, units, focus, follow-ups) and the passages that answer it, best first.

Hybrid search (``hybrid``) fuses BM25 over the lexical index with the vector query, then reranks; everything
here reads the store and the text helpers, never the answer side.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from retrieval.search.query import Query
    from retrieval.types import Passage

__all__ = ["TOP_K", "Searcher"]

TOP_K = 5
"""Passages a search returns, and an answer is given, unless told otherwise (``REPORTBOT_TOP_K``)."""


class Searcher(Protocol):
    """Anything that returns the top passages for a query (``retrieval.search.hybrid.HybridSearcher``)."""

    def search(self, query: str | Query, k: int = TOP_K) -> list[Passage]:
        """The best passages for ``query``, best first."""
