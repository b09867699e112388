"""``serve``: settings checked at start; the real process polls a Bot API server and keeps the token out of its logs."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.serve import check_telegram_settings
from bot.settings import Settings
from retrieval.errors import ConfigurationError
from tests.bot.conftest import TOKEN, USER
from tests.bot.wecom.e2e import USER as WECOM_USER
from tests.bot.wecom.e2e import final_text, markdown_sent, wait_card, wait_final
from tests.chroma_server import free_port
from tests.support.env import child_env

if TYPE_CHECKING:
    from tests.bot.fake_bot_api import FakeBotApi
    from tests.bot.wecom.fake_server import FakeWeCom

REPO_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("values", "variable"),
    [
        ({}, "REPORTBOT_TELEGRAM_TOKEN"),
        ({"telegram_token": "not-a-token"}, "REPORTBOT_TELEGRAM_TOKEN"),
        (
            {"telegram_token": TOKEN, "telegram_base_file_url": "http://127.0.0.1:8081/file/bot"},
            "REPORTBOT_TELEGRAM_BASE_URL",
        ),
    ],
)
def test_bad_telegram_settings_fail_at_start_naming_the_variable(
    values: dict[str, str], variable: str
) -> None:
    with pytest.raises(ConfigurationError, match=variable):
        check_telegram_settings(Settings(_env_file=None, **values))  # type: ignore[call-arg]


def test_good_settings_pass(caplog: pytest.LogCaptureFixture) -> None:
    check_telegram_settings(Settings(_env_file=None, telegram_token=TOKEN, admin_user_ids=[1]))  # type: ignore[call-arg]
    check_telegram_settings(Settings(_env_file=None, telegram_token=TOKEN))  # type: ignore[call-arg]
    assert "the bot will refuse everyone" in caplog.text


@pytest.mark.asyncio(loop_scope="function")
async def test_serve_process_answers_and_never_logs_the_token(fake_api: FakeBotApi, tmp_path: Path) -> None:
    env = child_env()
    env.update(
        REPORTBOT_TELEGRAM_TOKEN=TOKEN,
        REPORTBOT_TELEGRAM_BASE_URL=fake_api.base_url,
        REPORTBOT_TELEGRAM_BASE_FILE_URL=fake_api.base_file_url,
        REPORTBOT_ALLOWED_USER_IDS=str(USER),
        REPORTBOT_DATA_DIR=str(tmp_path / "data"),
        PYTHONPATH=str(REPO_DIR),
        OMP_WAIT_POLICY="PASSIVE",
    )
    code = "import logging; logging.basicConfig(level=logging.DEBUG); from bot.serve import serve; from bot.settings import Settings; serve(Settings())"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        code,
        env=env,
        cwd=tmp_path,
        stderr=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        fake_api.send_text(USER, "上半年做了什么？")
        [answer] = await fake_api.wait_for_messages(USER, 1, within=90)
    finally:
        process.send_signal(signal.SIGINT)
        stdout, stderr = await asyncio.wait_for(process.communicate(), 30)
    logs = (stdout + stderr).decode("utf-8", "replace")
    assert answer["text"].startswith("资料中未找到")  # an empty knowledge base, honestly said
    assert process.returncode == 0, logs[-2000:]
    assert "Set Bot API URL: http://127.0.0.1" in logs  # PTB logs its URLs at DEBUG …
    assert TOKEN not in logs  # … and the token is redacted from them
    assert TOKEN.split(":")[1] not in logs


def serve_env(tmp_path: Path, **values: str) -> dict[str, str]:
    """The process environment: no REPORTBOT_* of the developer's, the repo importable, ``values`` set."""
    env = child_env()
    env.update(
        REPORTBOT_DATA_DIR=str(tmp_path / "data"),
        PYTHONPATH=str(REPO_DIR),
        OMP_WAIT_POLICY="PASSIVE",
        **values,
    )
    return env


async def start_serve(tmp_path: Path, env: dict[str, str]) -> asyncio.subprocess.Process:
    """``reportbot serve`` as a child process (``python -m bot.cli serve``)."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "serve",
        env=env,
        cwd=tmp_path,
        stderr=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )


async def stop_serve(process: asyncio.subprocess.Process) -> str:
    """SIGTERM, wait, and return everything it wrote."""
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    return (stdout + stderr).decode("utf-8", "replace")


@pytest.mark.asyncio(loop_scope="function")
async def test_serve_with_no_front_end_configured_exits_2_with_one_line(tmp_path: Path) -> None:
    process = await start_serve(tmp_path, serve_env(tmp_path))
    stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    output = (stdout + stderr).decode("utf-8", "replace")
    assert process.returncode == 2, output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert "没有配置任何聊天前端" in lines[0]
    assert "REPORTBOT_WECOM_BOT_ID" in lines[0]
    assert "REPORTBOT_TELEGRAM_TOKEN" in lines[0]


def wecom_values(fake: FakeWeCom) -> dict[str, str]:
    """Only the WeCom settings, pointed at the fake server."""
    return {
        "REPORTBOT_WECOM_BOT_ID": fake.bot_id,
        "REPORTBOT_WECOM_SECRET": fake.secret,
        "REPORTBOT_WECOM_WS_URL": fake.ws_url,
        "REPORTBOT_WECOM_ALLOWED_USERS": WECOM_USER,
    }


@pytest.mark.slow
@pytest.mark.asyncio(loop_scope="function")
async def test_serve_with_only_wecom_answers_from_the_corpus_and_shows_the_passage(
    fake: FakeWeCom, tmp_path: Path, corpus_data_copy: Path
) -> None:
    env = serve_env(tmp_path, **wecom_values(fake))
    assert env["REPORTBOT_DATA_DIR"] == str(corpus_data_copy)  # the session's corpus knowledge base, copied
    process = await start_serve(tmp_path, env)
    try:
        await fake.wait_for(lambda f: f.live_connections == 1, timeout=180)
        req_id = await fake.push_text(WECOM_USER, "上半年手足口病防控做了什么")
        card = await wait_card(fake, req_id, timeout=180)
        answer = final_text(fake, req_id)
        await fake.push_click(WECOM_USER, card["task_id"], card["button_list"][0]["key"])
        [update] = await fake.wait_for(lambda f: f.frames("aibot_respond_update_msg"), timeout=30)
        passages = await fake.wait_for(lambda f: markdown_sent(f, WECOM_USER), timeout=30)
    finally:
        logs = await stop_serve(process)
    assert process.returncode == 0, logs[-3000:]
    assert answer is not None
    assert "手足口病" in answer
    assert "[1]" in answer
    assert (
        "**来源**\n[1] 衛生局上半年工作總結及下半年工作計劃一 · " in answer
    )  # report 000, its first article
    assert update.errcode == 0
    assert update.body["template_card"]["main_title"]["title"] == "[1] 衛生局上半年工作總結及下半年工作計劃一"
    assert passages[0].startswith("**[1] 衛生局上半年工作總結及下半年工作計劃一**")
    assert "手足口病" in passages[0]
    assert fake.secret not in logs
    assert "wecom subscribed" in logs


@pytest.mark.asyncio(loop_scope="function")
async def test_telegram_and_wecom_answer_from_one_process(
    fake: FakeWeCom, fake_api: FakeBotApi, tmp_path: Path
) -> None:
    env = serve_env(
        tmp_path,
        **wecom_values(fake),
        REPORTBOT_TELEGRAM_TOKEN=TOKEN,
        REPORTBOT_TELEGRAM_BASE_URL=fake_api.base_url,
        REPORTBOT_TELEGRAM_BASE_FILE_URL=fake_api.base_file_url,
        REPORTBOT_ALLOWED_USER_IDS=str(USER),
    )
    process = await start_serve(tmp_path, env)
    try:
        await fake.wait_for(lambda f: f.live_connections == 1, timeout=120)
        req_id = await fake.push_text(WECOM_USER, "上半年做了什么？")
        fake_api.send_text(USER, "上半年做了什么？")
        wecom_answer = await wait_final(fake, req_id, timeout=120)
        [telegram_answer] = await fake_api.wait_for_messages(USER, 1, within=120)
        fake_api.drain()
    finally:
        logs = await stop_serve(process)
    assert process.returncode == 0, logs[-3000:]
    assert wecom_answer.startswith("资料中未找到")  # an empty knowledge base, honestly said, on both
    assert telegram_answer["text"].startswith("资料中未找到")
    assert "frontends=wecom,telegram" in logs
    assert fake.secret not in logs
    assert TOKEN not in logs


@pytest.mark.asyncio(loop_scope="function")
async def test_wecom_connection_is_taken_back_after_another_login(
    fake: FakeWeCom, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot import serve as serve_module
    from bot.chat.connection import ProbeResult
    from bot.wecom.frontend import WeComFrontend
    from bot.wecom.probe import probe

    monkeypatch.setattr(serve_module, "TAKEOVER_RETRY", 0.2)
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, wecom_bot_id=fake.bot_id, wecom_secret=fake.secret, wecom_ws_url=fake.ws_url
    )
    close = asyncio.Event()
    from types import SimpleNamespace

    from bot.chat.delivery import DEFAULT_POLICY
    from bot.chat.flood import WECOM_LIMITS, FloodLimiter

    chat = SimpleNamespace(flood=FloodLimiter(WECOM_LIMITS), delivery=DEFAULT_POLICY)  # no messages are sent
    task = asyncio.create_task(serve_module._run_wecom(settings, WeComFrontend(chat), close))  # type: ignore[arg-type]
    await fake.wait_for(lambda f: f.live_connections == 1)
    assert await probe(fake.ws_url, fake.bot_id, fake.secret) == (
        ProbeResult.OK,
        "subscribed",
    )  # as doctor does
    await fake.wait_for(lambda f: f.subscriptions == 3 and f.live_connections == 1, timeout=10)
    close.set()
    await asyncio.wait_for(task, 10)
    assert fake.live_connections == 0


@pytest.mark.asyncio(loop_scope="function")
async def test_a_wrong_wecom_secret_stops_serve_with_one_line(fake: FakeWeCom, tmp_path: Path) -> None:
    env = serve_env(tmp_path, **{**wecom_values(fake), "REPORTBOT_WECOM_SECRET": "wrong-secret-0123456789"})
    process = await start_serve(tmp_path, env)
    stdout, stderr = await asyncio.wait_for(process.communicate(), 120)
    output = (stdout + stderr).decode("utf-8", "replace")
    assert process.returncode == 2, output
    assert "企业微信令牌或密钥错误" in output
    assert "Traceback" not in output
    assert "wrong-secret-0123456789" not in output


@pytest.mark.asyncio(loop_scope="function")
async def test_unreachable_telegram_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    env = serve_env(
        tmp_path,
        REPORTBOT_TELEGRAM_TOKEN=TOKEN,
        REPORTBOT_TELEGRAM_BASE_URL=f"http://127.0.0.1:{free_port()}/bot",
        REPORTBOT_ALLOWED_USER_IDS=str(USER),
    )
    process = await start_serve(tmp_path, env)
    stdout, stderr = await asyncio.wait_for(process.communicate(), 120)
    output = (stdout + stderr).decode("utf-8", "replace")
    assert process.returncode == 1, output
    assert "无法连接 Telegram" in output
    assert "Traceback" not in output
    assert TOKEN not in output
