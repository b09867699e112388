"""Server mode end to end: the real services against a real ``chroma run`` on 127.0.0.1."""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from bot.services import Services, build_services
from bot.settings import Settings
from retrieval.errors import StoreUnavailableError
from retrieval.store.chunks import open_client
from tests.chroma_server import ChromaServer, free_port

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.chroma_server

SUMMARY = """示例县卫生健康局2023年上半年工作总结

一、上半年工作开展情况
（一）传染病防控
上半年开展手足口病防控培训3次，覆盖全县托幼机构42所，指导园所落实晨午检制度。
（二）慢性病管理
为辖区65岁以上老年人免费体检8600人次，高血压患者规范管理率达到72%。
"""

PLAN = """示例县卫生健康局2023年下半年工作计划

一、下半年工作打算
（一）职业病防治
下半年组织尘肺病筛查，对重点企业劳动者开展职业健康检查不少于1200人。
"""


@pytest.fixture(scope="module")
def chroma(tmp_path_factory: pytest.TempPathFactory) -> ChromaServer:
    """One real Chroma server for this module (each test uses its own collection)."""
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server") / "data").start()
    yield server
    server.stop()


@pytest.fixture
def collection() -> str:
    return f"t{uuid.uuid4().hex[:10]}"


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "summary.txt").write_text(SUMMARY, encoding="utf-8")
    (folder / "plan.txt").write_text(PLAN, encoding="utf-8")
    return folder


def server_services(data_dir: Path, url: str, collection: str) -> Services:
    return build_services(
        Settings(data_dir=data_dir, chroma_url=url, chroma_collection=collection, _env_file=None)
    )


def sources(services: Services, query: str) -> list[str]:
    return [p.chunk.source for p in services.searcher.search(query, k=3)]


def test_a_server_that_is_down_is_named_at_open(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(StoreUnavailableError, match=f"无法连接 Chroma 服务器 {url}"):
        open_client(tmp_path, url)


def test_cli_reports_a_down_server_in_one_line_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.cli import app

    monkeypatch.chdir(tmp_path)  # no ./.env in the way

    url = f"http://127.0.0.1:{free_port()}"
    env = {"REPORTBOT_CHROMA_URL": url, "REPORTBOT_DATA_DIR": str(tmp_path)}
    result = CliRunner().invoke(app, ["docs"], env=env)
    assert result.exit_code == 1
    assert "无法连接 Chroma 服务器" in result.output
    assert "Traceback" not in result.output


def test_ingest_search_ask_delete_against_the_server(
    chroma: ChromaServer, tmp_path: Path, reports: Path, collection: str
) -> None:
    services = server_services(tmp_path / "data", chroma.url, collection)
    report = services.ingest.ingest([reports])
    assert [r.status for r in report.results] == ["added", "added"]
    assert not (tmp_path / "data" / "chroma").exists()  # nothing went to an embedded store

    assert sources(services, "手足口病防控培训")[0] == "summary.txt"
    answer = services.answers.answer("上半年手足口病防控做了什么")
    assert answer.found
    assert "托幼机构" in answer.text
    assert {c.source for c in answer.citations} == {"summary.txt"}

    services.ingest.delete("summary.txt")
    assert [d.source for d in services.store.documents()] == ["plan.txt"]
    assert "summary.txt" not in sources(services, "手足口病防控培训")


def test_a_second_instance_sees_the_same_knowledge_base(
    chroma: ChromaServer, tmp_path: Path, reports: Path, collection: str
) -> None:
    first = server_services(tmp_path / "a", chroma.url, collection)
    first.ingest.ingest([reports / "summary.txt"])
    assert first.lexical.search("职业病 尘肺病", k=3) == []

    second = server_services(tmp_path / "b", chroma.url, collection)
    # b's lexical index did not exist: it is built from the server's collection
    assert second.lexical.search("手足口病", k=3)
    second.ingest.ingest([reports / "plan.txt"])

    time.sleep(first.lexical.check_every + 0.1)
    hits = first.lexical.search("职业病 尘肺病", k=3)
    assert hits, "first instance's lexical index was not rebuilt after the second one ingested"
    assert first.store.get_chunks([hits[0][0]])[0].source == "plan.txt"
    assert sources(first, "尘肺病筛查")[0] == "plan.txt"


def test_a_missing_lexical_index_is_rebuilt_from_the_server(
    chroma: ChromaServer, tmp_path: Path, reports: Path, collection: str
) -> None:
    server_services(tmp_path / "a", chroma.url, collection).ingest.ingest([reports])
    fresh = server_services(tmp_path / "fresh", chroma.url, collection)
    assert sources(fresh, "老年人免费体检")[0] == "summary.txt"
    assert (tmp_path / "fresh" / "lexical" / collection / "bm25.json").exists()


def test_server_down_mid_run_gives_a_clear_error_then_recovers(
    chroma: ChromaServer, tmp_path: Path, reports: Path, collection: str
) -> None:
    services = server_services(tmp_path / "data", chroma.url, collection)
    services.ingest.ingest([reports / "summary.txt"])
    before = sources(services, "手足口病防控培训")

    chroma.stop()
    try:
        with pytest.raises(StoreUnavailableError, match="Chroma 服务器"):
            services.searcher.search("手足口病防控培训", k=3)
        with pytest.raises(StoreUnavailableError, match="Chroma 服务器"):
            services.answers.answer("上半年手足口病防控做了什么")
        with pytest.raises(StoreUnavailableError, match="Chroma 服务器"):
            services.ingest.ingest([reports / "plan.txt"])
    finally:
        chroma.start()

    assert sources(services, "手足口病防控培训") == before
    services.ingest.ingest([reports / "plan.txt"])
    assert sources(services, "尘肺病筛查")[0] == "plan.txt"
