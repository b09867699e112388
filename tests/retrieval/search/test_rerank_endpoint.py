"""A served reranker in both common shapes (TEI ``/rerank``, Jina/Cohere ``/v1/rerank``) against a real local
server, and a search that goes on without it, within its deadline, when it is slow, down or talks nonsense.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

from retrieval.search.rerank_endpoint import EndpointReranker, rerank_route
from retrieval.types import Passage
from tests.fakes.openai_server import unused_base_url
from tests.retrieval.helpers import chunk, make_searcher, put

if TYPE_CHECKING:
    from retrieval.search.hybrid import HybridSearcher
    from retrieval.store.chunks import ChunkStore
    from tests.fakes.model_server import FakeModelServer

TEXTS = ["开展登革热病媒生物监测240次。", "新建慢病自我管理小组14个。", "开展手足口病防控培训。"]


@pytest.mark.parametrize(
    ("url", "api", "route"),
    [
        ("http://10.0.0.6:8080", "auto", ("http://10.0.0.6:8080/rerank", "tei")),
        ("http://10.0.0.6:8080/rerank", "auto", ("http://10.0.0.6:8080/rerank", "tei")),
        ("http://10.0.0.6:8000/v1/rerank", "auto", ("http://10.0.0.6:8000/v1/rerank", "jina")),
        ("http://10.0.0.6:8000/v1", "auto", ("http://10.0.0.6:8000/v1/rerank", "jina")),
        ("http://10.0.0.6:9997/v2/rerank/", "auto", ("http://10.0.0.6:9997/v2/rerank", "jina")),
        (
            "http://10.0.0.6:8000/rerank",
            "jina",
            ("http://10.0.0.6:8000/rerank", "jina"),
        ),  # vLLM's bare /rerank
    ],
)
def test_the_shape_follows_the_url_path_unless_set(url: str, api: str, route: tuple[str, str]) -> None:
    assert rerank_route(url, api) == route


def passages() -> list[Passage]:
    return [Passage(chunk("d", i, text), 1.0 - i / 10) for i, text in enumerate(TEXTS)]


@pytest.mark.parametrize("path", ["/rerank", "/v1/rerank"])
def test_both_shapes_reorder_by_the_served_score(model_server: FakeModelServer, path: str) -> None:
    reranker = EndpointReranker(model_server.url + path, "rk-secret-value", "bge-reranker-v2-m3")
    ranked = reranker.rerank("慢病自我管理", passages(), intent_boost=lambda c: 1.0)
    assert ranked[0].chunk.text == TEXTS[1]
    assert [p.score for p in ranked] == sorted((p.score for p in ranked), reverse=True)
    (request,) = model_server.requests
    if path == "/rerank":
        assert (request.body["query"], len(request.body["texts"])) == ("慢病自我管理", 3)
    else:
        assert request.body["model"] == "bge-reranker-v2-m3"
        assert request.body["documents"][1].endswith(TEXTS[1])  # the index text, heading path first
        assert request.body["top_n"] == 3
    assert request.headers["authorization"] == "Bearer rk-secret-value"


def test_the_intent_boost_still_counts(model_server: FakeModelServer) -> None:
    reranker = EndpointReranker(model_server.url + "/rerank", "")
    ranked = reranker.rerank(
        "开展慢病自我管理", passages(), intent_boost=lambda c: 100.0 if c.text == TEXTS[2] else 1.0
    )
    assert ranked[0].chunk.text == TEXTS[2]


@pytest.fixture(scope="module")
def searched(tmp_path_factory: pytest.TempPathFactory) -> tuple[ChunkStore, HybridSearcher]:
    store, _, searcher = make_searcher(tmp_path_factory.mktemp("rerank-kb"))
    put(store, "a", [chunk("a", i, t) for i, t in enumerate([*TEXTS, "慢病管理率达到75.3%。"])])
    return store, searcher


def search_with(searcher: HybridSearcher, reranker: EndpointReranker | None) -> list[str]:
    searcher.reranker = reranker
    try:
        return [p.chunk.text for p in searcher.search("慢病自我管理小组", k=4)]
    finally:
        searcher.reranker = None


def test_search_uses_the_served_reranker(
    model_server: FakeModelServer, searched: tuple[ChunkStore, HybridSearcher]
) -> None:
    _, searcher = searched
    served = search_with(searcher, EndpointReranker(model_server.url + "/v1/rerank", "", "m"))
    assert served[0] == TEXTS[1]
    assert len(model_server.paths("/v1/rerank")) == 1


@pytest.mark.parametrize("fault", ["down", "slow", "500", "junk"])
def test_search_goes_on_in_fused_order_when_the_reranker_fails(
    model_server: FakeModelServer, searched: tuple[ChunkStore, HybridSearcher], fault: str
) -> None:
    _, searcher = searched
    fused = search_with(searcher, None)
    url = unused_base_url() if fault == "down" else model_server.url + "/v1"
    model_server.script(
        **{"slow": {"delay": 10}, "500": {"status": 500}, "junk": {"raw": b"[1, 2"}}.get(fault, {})
    )
    started = time.monotonic()
    assert search_with(searcher, EndpointReranker(url, "", "m", seconds=0.5)) == fused
    assert time.monotonic() - started < 1.5  # within the rerank deadline, whatever the fault
