"""``reportbot doctor`` on a good and on broken configurations (real embedder, real Chroma server, stub LLM)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.bot.conftest import TOKEN
from tests.chroma_server import ChromaServer, free_port
from tests.fakes.openai_server import FakeOpenAIServer, unused_base_url

if TYPE_CHECKING:
    from pathlib import Path

    from tests.bot.dingtalk.fake_server import FakeDingTalk
    from tests.bot.fake_bot_api import FakeBotApi
    from tests.bot.wecom.fake_server import FakeWeCom
    from tests.fakes.model_server import FakeModelServer


def wecom_env(fake: FakeWeCom, **overrides: str) -> dict[str, str]:
    """The WeCom settings pointing at ``fake``."""
    return {
        "REPORTBOT_WECOM_BOT_ID": fake.bot_id,
        "REPORTBOT_WECOM_SECRET": fake.secret,
        "REPORTBOT_WECOM_WS_URL": fake.ws_url,
        **overrides,
    }


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
@pytest.mark.asyncio(loop_scope="function")
async def test_a_good_configuration_passes_every_check(
    tmp_path: Path,
    chroma: ChromaServer,
    openai_server: FakeOpenAIServer,
    fake_api: FakeBotApi,
    fake: FakeWeCom,
    dingtalk: FakeDingTalk,
    model_server: FakeModelServer,
) -> None:
    env = {
        "REPORTBOT_DATA_DIR": str(tmp_path / "data"),
        "REPORTBOT_RERANK_URL": f"{model_server.url}/rerank",
        "REPORTBOT_TELEGRAM_TOKEN": TOKEN,
        "REPORTBOT_TELEGRAM_BASE_URL": fake_api.base_url,
        **wecom_env(fake),
        "REPORTBOT_DINGTALK_CLIENT_ID": dingtalk.client_id,
        "REPORTBOT_DINGTALK_CLIENT_SECRET": dingtalk.client_secret,
        "REPORTBOT_DINGTALK_API_URL": dingtalk.base_url,
        "REPORTBOT_CHROMA_URL": chroma.url,
        "REPORTBOT_LLM_BASE_URL": openai_server.base_url,
        "REPORTBOT_LLM_API_KEY": "sk-local",
        "REPORTBOT_LLM_MODEL": "fake-model",
    }
    code, lines = await asyncio.to_thread(run_doctor, env)
    assert code == 0, lines
    assert set(lines) == {
        "数据目录可写",
        "企业微信",
        "钉钉",
        "Telegram",
        "嵌入模型",
        "Chroma 服务器",
        "知识库",
        "知识库向量",
        "重排序服务",
        "大模型接口",
        "扫描件与旧版 Word",
    }
    assert all(line.startswith("✓") for line in lines.values()), lines
    assert chroma.url in lines["Chroma 服务器"]
    assert "384 维" in lines["嵌入模型"]
    assert TOKEN not in "\n".join(lines.values())
    assert "@reportbot_test_bot" in lines["Telegram"]
    assert "已连接并订阅" in lines["企业微信"]
    (request,) = openai_server.chat_requests
    assert request.body["max_tokens"] == 1
    assert request.authorization == "Bearer sk-local"


def test_cli_only_embedded_mode_without_llm_passes_and_skips_the_rest(tmp_path: Path) -> None:
    env = {"REPORTBOT_DATA_DIR": str(tmp_path / "data")}
    code, lines = run_doctor(env)
    assert code == 0, lines
    assert lines["Telegram"].startswith("–")
    assert "未配置" in lines["Telegram"]
    assert lines["企业微信"].startswith("–")
    assert "REPORTBOT_WECOM_BOT_ID" in lines["企业微信"]
    assert lines["Chroma 服务器"].startswith("–")
    assert lines["大模型接口"].startswith("–")
    assert lines["知识库"].startswith("✓")
    assert "reportbot ingest" in lines["知识库"]  # empty knowledge base: says what to do next


def test_missing_old_word_tools_are_named_with_the_command_that_installs_them(tmp_path: Path) -> None:
    env = {"REPORTBOT_DATA_DIR": str(tmp_path / "data"), "PATH": str(tmp_path)}  # antiword, catdoc not on it
    code, lines = run_doctor(env)
    assert code == 0, lines  # only .doc/.wps files are refused: reported, not failed
    assert lines["扫描件与旧版 Word"] == (
        "– 扫描件与旧版 Word：扫描件可识别；未安装 antiword、catdoc，.doc/.wps 文件无法导入（apt-get install antiword catdoc）"
    )


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
    assert lines["Telegram"].startswith("✗")
    assert "格式不正确" in lines["Telegram"]
    assert "not-a-token" not in lines["Telegram"]
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
    assert lines["Telegram"].startswith("–")

    openai_server.script(raw=b"<html>gateway</html>")
    code, lines = run_doctor(env)
    assert "返回格式无法解析" in lines["大模型接口"]

    del env["REPORTBOT_LLM_API_KEY"]
    code, lines = run_doctor(env)
    assert code == 1
    assert "REPORTBOT_LLM_API_KEY" in lines["大模型接口"]


@pytest.mark.asyncio(loop_scope="function")
async def test_front_ends_reachable_or_wrong_credentials(
    tmp_path: Path, fake_api: FakeBotApi, fake: FakeWeCom
) -> None:
    base = {"REPORTBOT_DATA_DIR": str(tmp_path / "data"), "REPORTBOT_TELEGRAM_BASE_URL": fake_api.base_url}
    good = {**base, "REPORTBOT_TELEGRAM_TOKEN": TOKEN, **wecom_env(fake)}
    code, lines = await asyncio.to_thread(run_doctor, good)
    assert code == 0, lines
    assert lines["Telegram"] == "✓ Telegram：已连接，机器人 @reportbot_test_bot"
    assert lines["企业微信"] == f"✓ 企业微信：已连接并订阅（{fake.ws_url}）"
    assert fake.subscriptions == 1
    assert fake.live_connections == 0  # the check closes its connection

    wrong_token = TOKEN.replace("AAH", "XXH")
    wrong_secret = "not-the-secret-0123456789"
    wrong = {
        **base,
        "REPORTBOT_TELEGRAM_TOKEN": wrong_token,
        **wecom_env(fake, REPORTBOT_WECOM_SECRET=wrong_secret),
    }
    code, lines = await asyncio.to_thread(run_doctor, wrong)
    assert code == 1
    assert lines["Telegram"].startswith("✗ Telegram：令牌或密钥错误")
    assert lines["企业微信"].startswith("✗ 企业微信：令牌或密钥错误")
    assert wrong_secret not in "\n".join(lines.values())
    assert wrong_token not in "\n".join(lines.values())


def test_unreachable_front_ends_say_so_without_a_traceback(tmp_path: Path) -> None:
    env = {
        "REPORTBOT_DATA_DIR": str(tmp_path / "data"),
        "REPORTBOT_TELEGRAM_TOKEN": TOKEN,
        "REPORTBOT_TELEGRAM_BASE_URL": f"http://127.0.0.1:{free_port()}/bot",
        "REPORTBOT_WECOM_BOT_ID": "aibot-x",
        "REPORTBOT_WECOM_SECRET": "S3cr3t-unreachable-0123",
        "REPORTBOT_WECOM_WS_URL": f"ws://127.0.0.1:{free_port()}",
    }
    code, lines = run_doctor(env)  # run_doctor asserts there is no traceback
    assert code == 1
    assert lines["Telegram"].startswith("✗ Telegram：无法连接 Telegram")
    assert lines["企业微信"].startswith("✗ 企业微信：无法连接 ws://127.0.0.1:")
