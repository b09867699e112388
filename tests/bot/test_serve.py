"""``serve``: settings checked at start; the real process polls a Bot API server and keeps the token out of its logs."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from bot.serve import check_telegram_settings
from bot.settings import Settings
from retrieval.errors import ConfigurationError
from tests.bot.conftest import TOKEN, USER
from tests.bot.fake_bot_api import FakeBotApi

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
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTBOT_")}
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
