"""Hybrid search: dense (Chroma) + BM25, fused by reciprocal rank, boosted by intent, optionally reranked."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from retrieval.errors import EmbeddingMismatchError, EndpointError
from retrieval.search import DENSE_WEIGHT, TOP_K
from retrieval.search.gazetteer import UnitGazetteer
from retrieval.search.query import Query
from retrieval.search.units import belongs_to
from retrieval.text.normalize import normalize
from retrieval.text.synonyms import expansions
from retrieval.types import ChunkRecord, Passage

if TYPE_CHECKING:
    from retrieval.search.intent import Intent
    from retrieval.search.rerank import Reranker
    from retrieval.search.rerank_endpoint import EndpointReranker
    from retrieval.store.lexical import LexicalIndex
    from retrieval.store.reader import ChunkReader

log = logging.getLogger(__name__)

# Fusion and boosts, measured with `reportbot eval eval/questions.jsonl` (see README "Retrieval quality").
# A small RRF k lets a list's top hits count; the dense ranking's weight is DENSE_WEIGHT (retrieval.search).
RRF_K = 10
PERIOD_BOOST = 1.15
KIND_BOOST = 1.1
YEAR_BOOST = 1.1
UNIT_BOOST = 2.0  # a chunk of the unit the question names (its own figures first, before any other unit's)
UNIT_CANDIDATES = 3  # a question naming a unit looks this many times deeper for that unit's chunks
RERANK_CANDIDATES = 20  # the fused top-N a reranker reorders
LEXICAL_ONLY_NOTICE = "向量检索服务暂不可用（{reason}），本次仅按关键词检索，结果可能不全。"


def rrf(rankings: list[tuple[float, list[str]]], k: int = RRF_K) -> dict[str, float]:
    """Weighted reciprocal-rank fusion of (weight, ranking of ids) pairs."""
    scores: dict[str, float] = {}
    for weight, ranking in rankings:
        for rank, cid in enumerate(ranking):
            scores[cid] = scores.get(cid, 0.0) + weight / (k + rank + 1)
    return scores


def unit_boost(chunk: ChunkRecord, query: Query) -> float:
    """Multiplier for a chunk of a unit the question names."""
    if any(belongs_to(chunk, u, query.gazetteer) for u in query.named):
        return UNIT_BOOST
    return 1.0


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


class Hits(list[Passage]):
    """Search results, best first; ``notice`` says why the search was degraded ("" when it was not)."""

    def __init__(self, passages: list[Passage], *, notice: str = "") -> None:
        super().__init__(passages)
        self.notice = notice


class HybridSearcher:
    """The one search used by answers, drafts, the CLI and evaluation."""

    def __init__(
        self,
        store: ChunkReader,
        lexical: LexicalIndex,
        *,
        reranker: Reranker | EndpointReranker | None = None,
        candidates: int = 40,
        dense_weight: float = DENSE_WEIGHT,
    ) -> None:
        self.store = store
        self.lexical = lexical
        self.reranker = reranker
        self.candidates = candidates
        self.dense_weight = dense_weight
        self.gazetteer = UnitGazetteer(
            store, lexical.directory, check_every=lexical.check_every, mentioned=lexical.mentions
        )

    def search(self, query: str | Query, k: int = TOP_K) -> Hits:
        """Top ``k`` stored chunks for ``query`` (chunks as stored, not merged with neighbours).

        A ``Query`` (``retrieval.search.query``) brings its normalised text, intent and units, detected once per
        question; a plain string is analysed here. Chunks of the unit, period, kind and year the question
        names rank first.
        """
        if isinstance(query, str):
            query = Query.build(query, gazetteer=self.gazetteer.current())
        q, intent = query.normalized, query.intent
        if not q:
            return Hits([])
        n = max(self.candidates * (UNIT_CANDIDATES if query.named else 1), k)
        wordings = expansions(query.topic or q)  # a unit's name is matched by unit, not words
        expanded = " ".join([q, *wordings])
        notice = ""
        try:
            dense = self.store.nearest_ids(expanded, n)
        except (EndpointError, EmbeddingMismatchError) as exc:  # the model server is down: words alone
            reason = exc.cause if isinstance(exc, EndpointError) else "向量维度与知识库不一致"
            log.warning(
                "dense search unavailable, keyword search alone error=%s reason=%s",
                type(exc).__name__,
                reason,
            )
            dense, notice = [], LEXICAL_ONLY_NOTICE.format(reason=reason)
        # the question is normalised already (once, in Query), the glossary's wordings are not
        lexical = self.lexical.search(" ".join([q, *map(normalize, wordings)]), n, normalized=True)
        # Records from memory, kept in step with the store by the lexical index; ids written since its last
        # check are read from Chroma, and ids Chroma no longer holds are dropped.
        held = self.lexical.records()
        wanted = dict.fromkeys([cid for cid, _ in dense] + [cid for cid, _ in lexical])
        chunks = {cid: held[cid] for cid in wanted if cid in held}
        missing = [cid for cid in wanted if cid not in chunks]
        if missing:
            read = self.store.get_chunks(missing)
            self.lexical.remember(read)
            chunks.update((c.chunk_id, c) for c in read)
        fused = rrf(
            [
                (self.dense_weight, [cid for cid, _ in dense if cid in chunks]),
                (1.0, [cid for cid, _ in lexical if cid in chunks]),
            ]
        )

        def boost(chunk: ChunkRecord) -> float:
            return intent_boost(chunk, intent) * unit_boost(chunk, query)

        scored = sorted(
            ((cid, s * boost(chunks[cid])) for cid, s in fused.items()), key=lambda item: -item[1]
        )
        bm25 = dict(lexical)
        similarity = dict(dense)
        passages = [Passage(chunks[cid], score, bm25.get(cid), similarity.get(cid)) for cid, score in scored]
        if self.reranker is not None:
            try:
                passages = self.reranker.rerank(q, passages[: max(RERANK_CANDIDATES, k)], intent_boost=boost)
            except EndpointError as exc:  # slow or down: the fused order stands
                log.warning("rerank skipped reason=%s", exc.cause)
        return Hits(passages[:k], notice=notice)
