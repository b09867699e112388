"""Hybrid search: dense (Chroma) + BM25, fused by reciprocal rank, boosted by intent, optionally reranked."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from retrieval.intent import Intent, detect_intent
from retrieval.normalize import normalize
from retrieval.types import ChunkRecord, Passage

if TYPE_CHECKING:
    from retrieval.lexical import LexicalIndex
    from retrieval.rerank import Reranker
    from retrieval.store import ChunkStore

log = logging.getLogger(__name__)

RRF_K = 60
PERIOD_BOOST = 1.3
KIND_BOOST = 1.25
YEAR_BOOST = 1.2


def rrf(rankings: list[list[str]], k: int = RRF_K) -> dict[str, float]:
    """Reciprocal-rank fusion of several rankings of ids."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, cid in enumerate(ranking):
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (k + rank + 1)
    return scores


def intent_boost(chunk: ChunkRecord, intent: Intent) -> float:
    """Multiplier for a chunk whose metadata match what the question asks for."""
    boost = 1.0
    if intent.period and chunk.period == intent.period:
        boost *= PERIOD_BOOST
    if intent.kind and chunk.kind == intent.kind:
        boost *= KIND_BOOST
    if intent.year and chunk.year == intent.year:
        boost *= YEAR_BOOST
    return boost


class HybridSearcher:
    """The one search used by answers, drafts, the CLI and evaluation."""

    def __init__(
        self,
        store: ChunkStore,
        lexical: LexicalIndex,
        *,
        reranker: Reranker | None = None,
        candidates: int = 40,
    ) -> None:
        self.store = store
        self.lexical = lexical
        self.reranker = reranker
        self.candidates = candidates

    def search(self, query: str, k: int = 5) -> list[Passage]:
        """Top ``k`` stored chunks for ``query`` (chunks as stored, not merged with neighbours)."""
        q = normalize(query).strip()
        if not q:
            return []
        n = max(self.candidates, k)
        dense = self.store.dense_search(q, n)
        lexical = self.lexical.search(q, n)
        chunks = {c.chunk_id: c for c, _ in dense}
        missing = [cid for cid, _ in lexical if cid not in chunks]
        chunks.update((c.chunk_id, c) for c in self.store.get_chunks(missing))
        fused = rrf([[c.chunk_id for c, _ in dense], [cid for cid, _ in lexical if cid in chunks]])
        intent = detect_intent(q)
        scored = sorted(
            ((cid, s * intent_boost(chunks[cid], intent)) for cid, s in fused.items()),
            key=lambda item: -item[1],
        )
        passages = [Passage(chunks[cid], score) for cid, score in scored]
        if self.reranker is not None:
            passages = self.reranker.rerank(
                q, passages[: max(20, k)], intent_boost=lambda c: intent_boost(c, intent)
            )
        return passages[:k]
