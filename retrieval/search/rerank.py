"""Optional cross-encoder rerank (a sentence-transformers ``CrossEncoder`` named in the settings)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from retrieval.text.index_text import index_text
from retrieval.types import ChunkRecord, Passage

if TYPE_CHECKING:
    from collections.abc import Callable


class Reranker:
    """Reorders the fused candidates by a cross-encoder's relevance, keeping the intent boost."""

    def __init__(self, model: str, device: str = "cpu") -> None:
        from sentence_transformers import CrossEncoder

        self._model = CrossEncoder(model, device=device)

    def rerank(
        self, query: str, passages: list[Passage], *, intent_boost: Callable[[ChunkRecord], float]
    ) -> list[Passage]:
        """Candidates sorted by sigmoid(cross-encoder score) × intent boost."""
        if not passages:
            return []
        raw = self._model.predict([(query, index_text(p.chunk)) for p in passages])
        scored = [
            Passage(p.chunk, intent_boost(p.chunk) / (1.0 + math.exp(-float(s))))
            for p, s in zip(passages, raw, strict=True)
        ]
        return sorted(scored, key=lambda p: -p.score)
