"""Shutdown and start-up of the Telegram front end: bounded, lossless, one clear line, no secret.

- SIGTERM-like shutdown during a streamed answer: polling stops first, the answer is cut within the grace,
  its message no longer shows a partial text with the cursor, the user is told to ask again, and the
  question is audited as cut; a question fetched just before the stop is answered or told to ask again.
- ``reportbot serve`` against a Bot API that refuses the token (401) or is not there (closed port): exits
  non-zero with one Chinese line on stderr, no traceback, no token.
- A 409 Conflict storm while polling logs one line, not one traceback per failed poll.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
import time
from pathlib import Path

import pytest

from bot.chat.texts import CUT
from tests.bot.conftest import TOKEN, USER
from tests.bot.fake_bot_api import BotApiError, FakeBotApi
from tests.reliability.chat_fixtures import CURSOR, final_texts, serving, streaming_services
from tests.support.env import child_env

pytestmark = pytest.mark.asyncio(loop_scope="function")

REPO_DIR = Path(__file__).resolve().parents[2]
REPORTBOT = Path(sys.executable).with_name("reportbot")


async def test_shutdown_mid_stream_cuts_within_the_grace_and_tells_the_user(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    services = streaming_services(pieces=40, pause=0.5)  # a 20-second answer
    started = 0.0
    async with serving(fake_api, tmp_path, services, shutdown_grace=1.0):
        fake_api.send_text(USER, "上半年做了什么？")
        await fake_api.wait_for(lambda a: any(CURSOR in t for t in final_texts(a, USER)))
        started = time.monotonic()
    took = time.monotonic() - started
    assert took < 1.0 + 3.0 + 2.0  # grace + the cut notice + stopping
    [message] = fake_api.bot_messages(USER)
    assert message["text"] == CUT
    lines = (tmp_path / "audit.log").read_text(encoding="utf-8").splitlines()
    assert next(line for line in lines if "action=ask" in line).count("outcome=cut") == 1


async def test_a_question_fetched_right_before_shutdown_is_answered(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    async with serving(fake_api, tmp_path, streaming_services(pieces=0), shutdown_grace=3.0):
        fake_api.send_text(USER, "上半年做了什么？")
        await fake_api.wait_for(lambda a: a.calls_of("sendChatAction"))
    texts = final_texts(fake_api, USER)
    assert len(texts) == 1
    assert "上半年开展培训6次" in texts[0]


def serve_env(tmp_path: Path, base_url: str) -> dict[str, str]:
    env = child_env()
    env.update(
        REPORTBOT_TELEGRAM_TOKEN=TOKEN,
        REPORTBOT_TELEGRAM_BASE_URL=base_url,
        REPORTBOT_ALLOWED_USER_IDS=str(USER),
        REPORTBOT_DATA_DIR=str(tmp_path / "data"),
        PYTHONPATH=str(REPO_DIR),
        OMP_WAIT_POLICY="PASSIVE",
    )
    return env


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("where", ["refusing", "closed"])
async def test_a_wrong_or_unreachable_token_gives_one_clear_line(
    fake_api: FakeBotApi, tmp_path: Path, where: str
) -> None:
    if where == "refusing":
        base_url = f"http://127.0.0.1:{fake_api.port}/bot"
        fake_api.token = "999:another-token"  # the fake now answers 401 Unauthorized to ours
        expected = "Telegram 拒绝了机器人令牌"
    else:
        base_url = f"http://127.0.0.1:{closed_port()}/bot"
        expected = "无法连接 Telegram Bot API"
    process = await asyncio.create_subprocess_exec(
        str(REPORTBOT),
        "serve",
        env=serve_env(tmp_path, base_url),
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 120)
    out = (stdout + stderr).decode("utf-8", "replace")
    assert process.returncode != 0
    assert expected in out
    assert "Traceback" not in out
    assert TOKEN not in out
    assert TOKEN.split(":")[1] not in out
    assert "%3A" + TOKEN.split(":")[1] not in out
    errors = [line for line in stderr.decode("utf-8", "replace").splitlines() if expected in line]
    assert len(errors) == 1


async def test_a_409_conflict_storm_logs_one_line(
    fake_api: FakeBotApi, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    conflict = BotApiError(409, "Conflict: terminated by other getUpdates request")
    caplog.set_level(logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # as serve sets it

    def recovered(api: FakeBotApi) -> bool:
        polls = api.calls_of("getUpdates")
        failed = [i for i, c in enumerate(polls) if c.error is not None]
        return len(failed) == 4 and any(c.error is None for c in polls[failed[-1] :])

    try:
        async with serving(fake_api, tmp_path, streaming_services(pieces=0)):
            fake_api.fail_next("getUpdates", conflict, times=4)
            await fake_api.wait_for(recovered, 40)
    finally:
        logging.getLogger("httpx").setLevel(logging.NOTSET)
    polling = [
        r
        for r in caplog.records
        if "Conflict" in r.getMessage() or (r.exc_info and "Conflict" in str(r.exc_info[1]))
    ]
    assert len(polling) == 1, [r.getMessage() for r in polling]
    assert polling[0].exc_info is None  # one line, no traceback
    assert "another process is polling" in polling[0].getMessage()
