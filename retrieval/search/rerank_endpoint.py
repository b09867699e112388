"""A served cross-encoder reranker (bge-reranker-v2-m3 and the like) in either common shape:

- ``tei``: Text Embeddings Inference ``POST /rerank`` ``{"query", "texts"}`` → ``[{"index", "score"}]``;
- ``jina``: the Jina/Cohere-style ``POST /v1/rerank`` that vLLM and Xinference serve,
  ``{"model", "query", "documents", "top_n"}`` → ``{"results": [{"index", "relevance_score"}]}``.

``auto`` picks the shape by the URL's path: ``…/v1/rerank``, ``…/v2/rerank`` or a bare ``…/v1`` → jina;
anything else (``…/rerank``, or no path) → tei. A question's rerank is bounded by ``seconds``; when the
server is slow, down or replies with junk, ``EndpointError`` is raised and the searcher keeps its fused order.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from retrieval.endpoint_http import JsonEndpoint
from retrieval.errors import EndpointError
from retrieval.text.index_text import index_text
from retrieval.types import ChunkRecord, Passage

if TYPE_CHECKING:
    from collections.abc import Callable

WHAT = "重排序服务"
_VERSIONED = re.compile(r"/v\d+(?:/rerank)?$")


def rerank_route(url: str, api: str = "auto") -> tuple[str, str]:
    """(URL to post to, shape ``tei`` | ``jina``) for a configured rerank URL and shape setting."""
    url = url.rstrip("/")
    path = urlsplit(url).path
    if api == "auto":
        api = "jina" if _VERSIONED.search(path) else "tei"
    if not path.endswith("/rerank"):
        url += "/rerank"
    return url, api


class EndpointReranker:
    """Reorders the fused candidates by a served cross-encoder's relevance, keeping the intent boost."""

    def __init__(
        self, url: str, api_key: str, model: str = "", *, api: str = "auto", seconds: float = 5.0
    ) -> None:
        route, self.api = rerank_route(url, api)
        self.model = model
        self.seconds = seconds
        self._endpoint = JsonEndpoint(route, api_key, what=WHAT)

    @property
    def url(self) -> str:
        """Where requests go."""
        return self._endpoint.url

    def scores(self, query: str, texts: list[str]) -> list[float | None]:
        """Relevance of each text to ``query`` in 0..1 (None for a text the server did not score)."""
        if self.api == "tei":
            body: dict[str, Any] = {"query": query, "texts": texts, "truncate": True}
        else:
            body = {"model": self.model, "query": query, "documents": texts, "top_n": len(texts)}
        reply = self._endpoint.post(body, seconds=self.seconds)
        try:
            rows = reply if self.api == "tei" else reply["results"]
            key = "score" if self.api == "tei" else "relevance_score"
            pairs = [(int(r["index"]), float(r[key])) for r in rows]
        except (KeyError, TypeError, ValueError):
            raise EndpointError(WHAT, "返回格式无法解析") from None
        out: list[float | None] = [None] * len(texts)
        logits = any(not 0.0 <= s <= 1.0 for _, s in pairs)  # raw scores: squash them like the local reranker
        for i, s in pairs:
            if 0 <= i < len(texts):
                out[i] = 1.0 / (1.0 + math.exp(-s)) if logits else s
        return out

    def rerank(
        self, query: str, passages: list[Passage], *, intent_boost: Callable[[ChunkRecord], float]
    ) -> list[Passage]:
        """Candidates sorted by relevance × intent boost; any the server left unscored follow in fused order."""
        if not passages:
            return []
        scores = self.scores(query, [index_text(p.chunk) for p in passages])
        scored = [
            Passage(p.chunk, intent_boost(p.chunk) * s)
            for p, s in zip(passages, scores, strict=True)
            if s is not None
        ]
        rest = [p for p, s in zip(passages, scores, strict=True) if s is None]
        return sorted(scored, key=lambda p: -p.score) + rest
