"""Search: a question analysed (intent, units, focus, follow-ups) and the passages that answer it, best first.

Hybrid search (``hybrid``) fuses BM25 over the lexical index with the vector query, then reranks; everything
here reads the store and the text helpers, never the answer side.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from retrieval.search.query import Query
    from retrieval.types import Passage

__all__ = ["DENSE_WEIGHT", "TOP_K", "Searcher"]

# The defaults the settings expose (REPORTBOT_TOP_K, REPORTBOT_DENSE_WEIGHT), here so that reading the settings
# imports no search code (bot.health runs every minute).
TOP_K = 5
"""Passages a search returns, and an answer is given, unless told otherwise."""
DENSE_WEIGHT = 0.3
"""Weight of the dense ranking against BM25 (1.0) in the fusion, measured with ``reportbot eval``: the bundled
4-bit e5-small is much weaker than BM25 over words and bigrams on these reports (raise it for bge-m3 and the like).
"""


class Searcher(Protocol):
    """Anything that returns the top passages for a query (``retrieval.search.hybrid.HybridSearcher``)."""

    def search(self, query: str | Query, k: int = TOP_K) -> list[Passage]:
        """The best passages for ``query``, best first."""
