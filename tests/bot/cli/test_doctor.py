"""``reportbot doctor`` on a good and on broken configurations (real embedder, real Chroma server, stub LLM)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.chroma_server import ChromaServer, free_port
from tests.fakes.openai_server import FakeOpenAIServer, unused_base_url

GOOD_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"


@pytest.fixture(autouse=True)
def _no_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings also read ./.env: run where there is none, so a developer's .env cannot leak in."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def chroma(tmp_path_factory: pytest.TempPathFactory) -> ChromaServer:
    server = ChromaServer(tmp_path_factory.mktemp("doctor-chroma") / "data").start()
    yield server
    server.stop()


def run_doctor(env: dict[str, str]) -> tuple[int, dict[str, str]]:
    """Exit code and the output lines keyed by their check name."""
    result = CliRunner().invoke(app, ["doctor"], env=env)
    assert "Traceback" not in result.output, result.output
    lines = {}
    for line in result.output.splitlines():
        if line[:1] in "✓✗–":
            lines[line[2:].split("：")[0]] = line
    return result.exit_code, lines


@pytest.mark.chroma_server
def test_a_good_configuration_passes_every_check(
    tmp_path: Path, chroma: ChromaServer, openai_server: FakeOpenAIServer
) -> None:
    env = {
        "REPORTBOT_DATA_DIR": str(tmp_path / "data"),
        "REPORTBOT_TELEGRAM_TOKEN": GOOD_TOKEN,
        "REPORTBOT_CHROMA_URL": chroma.url,
        "REPORTBOT_LLM_BASE_URL": openai_server.base_url,
        "REPORTBOT_LLM_API_KEY": "sk-local",
        "REPORTBOT_LLM_MODEL": "fake-model",
    }
    code, lines = run_doctor(env)
    assert code == 0, lines
    assert set(lines) == {
        "数据目录可写",
        "Telegram 令牌",
        "嵌入模型",
        "Chroma 服务器",
        "知识库",
        "大模型接口",
    }
    assert all(line.startswith("✓") for line in lines.values()), lines
    assert chroma.url in lines["Chroma 服务器"]
    assert "384 维" in lines["嵌入模型"]
    assert GOOD_TOKEN not in "\n".join(lines.values())
    (request,) = openai_server.chat_requests
    assert request.body["max_tokens"] == 1
    assert request.authorization == "Bearer sk-local"


def test_embedded_mode_without_llm_skips_those_checks(tmp_path: Path) -> None:
    env = {"REPORTBOT_DATA_DIR": str(tmp_path / "data"), "REPORTBOT_TELEGRAM_TOKEN": GOOD_TOKEN}
    code, lines = run_doctor(env)
    assert code == 0, lines
    assert lines["Chroma 服务器"].startswith("–")
    assert lines["大模型接口"].startswith("–")
    assert lines["知识库"].startswith("✓")
    assert "reportbot ingest" in lines["知识库"]  # empty knowledge base: says what to do next


def test_a_broken_configuration_names_each_problem_and_its_fix(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "data"
    not_a_dir.write_text("a file where the data dir should be", encoding="utf-8")
    chroma_url = f"http://127.0.0.1:{free_port()}"
    env = {
        "REPORTBOT_DATA_DIR": str(not_a_dir),
        "REPORTBOT_TELEGRAM_TOKEN": "not-a-token",
        "REPORTBOT_CHROMA_URL": chroma_url,
        "REPORTBOT_LLM_BASE_URL": unused_base_url(),
        "REPORTBOT_LLM_API_KEY": "sk-local",
        "REPORTBOT_EMBEDDING_MODEL": str(tmp_path),  # a folder that holds no model
    }
    code, lines = run_doctor(env)
    assert code == 1
    assert lines["数据目录可写"].startswith("✗")
    assert "REPORTBOT_DATA_DIR" in lines["数据目录可写"]
    assert lines["Telegram 令牌"].startswith("✗")
    assert "格式不正确" in lines["Telegram 令牌"]
    assert "not-a-token" not in lines["Telegram 令牌"]
    assert lines["嵌入模型"].startswith("✗")
    assert "REPORTBOT_EMBEDDING_MODEL" in lines["嵌入模型"]
    assert lines["Chroma 服务器"].startswith("✗")
    assert chroma_url in lines["Chroma 服务器"]
    assert lines["知识库"].startswith("–")
    assert lines["大模型接口"].startswith("✗")
    assert "无法连接服务" in lines["大模型接口"]


def test_llm_errors_and_a_missing_key_are_reported(tmp_path: Path, openai_server: FakeOpenAIServer) -> None:
    env = {
        "REPORTBOT_DATA_DIR": str(tmp_path / "data"),
        "REPORTBOT_LLM_BASE_URL": openai_server.base_url,
        "REPORTBOT_LLM_API_KEY": "sk-wrong",
    }
    openai_server.script(status=401)
    code, lines = run_doctor(env)
    assert code == 1
    assert "密钥无效或无权限" in lines["大模型接口"]
    assert lines["Telegram 令牌"].startswith("✗")
    assert "未设置" in lines["Telegram 令牌"]

    openai_server.script(raw=b"<html>gateway</html>")
    code, lines = run_doctor(env)
    assert "返回格式无法解析" in lines["大模型接口"]

    del env["REPORTBOT_LLM_API_KEY"]
    code, lines = run_doctor(env)
    assert code == 1
    assert "REPORTBOT_LLM_API_KEY" in lines["大模型接口"]
