"""Item 18.7: ``reportbot serve`` is gone within 10 s of SIGTERM, whatever the model does.

A real ``reportbot serve`` process (``python -m bot.cli serve``, default shutdown grace of 8 s) over a knowledge
base ingested by the real CLI, against the fake Bot API (or the fake WeCom server) and the fake OpenAI server. The model streams its first
sentence, then hangs (its next piece would come in 60 s; the HTTP client's read timeout is 60 s too). SIGTERM
while the answer streams: the process must exit within 10 s (compose's grace is 15 s, a plain ``docker stop``
10 s), the user must be told to ask again in the message that was streaming (no cursor, no half answer left),
and the audit log must end with the question's complete ``cut`` line.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from typing import TYPE_CHECKING

import pytest

from bot.chat.texts import CUT
from tests.bot.conftest import TOKEN, USER
from tests.bot.wecom.e2e import USER as WECOM_USER
from tests.bot.wecom.e2e import final_text, replies_to
from tests.reliability.chat_fixtures import CURSOR, final_texts
from tests.support.corpus import REPO_DIR
from tests.support.env import child_env
from tests.support.small_kb import QUESTIONS, write_report

if TYPE_CHECKING:
    from pathlib import Path

    from tests.bot.fake_bot_api import FakeBotApi
    from tests.bot.wecom.fake_server import FakeWeCom
    from tests.fakes.openai_server import FakeOpenAIServer

EXIT_WITHIN = 10.0
FIRST_SENTENCE = "上半年全县开展传染病防控培训12次[1]。"
HUNG_REPLY = FIRST_SENTENCE + "下半年继续加强培训[1]。"
"""Streamed as the first sentence and 3 characters, then a 60 s pause before the rest."""


def environment(tmp_path: Path, **values: str) -> dict[str, str]:
    return child_env(
        PYTHONPATH=str(REPO_DIR),
        OMP_WAIT_POLICY="PASSIVE",
        REPORTBOT_DATA_DIR=str(tmp_path / "data"),
        **values,
    )


async def ingest_report(tmp_path: Path) -> None:
    """The invented report in the data dir, through the real CLI."""
    docs = tmp_path / "docs"
    write_report(docs)
    ingest = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "ingest", str(docs), env=environment(tmp_path), cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, ingest_errors = await asyncio.wait_for(ingest.communicate(), 300)
    assert ingest.returncode == 0, ingest_errors.decode()


async def sigterm_and_time(process: asyncio.subprocess.Process) -> float:
    """Send SIGTERM; seconds until the process is gone (killed after 30 s: inf)."""
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), 30)
    except TimeoutError:
        return float("inf")
    return time.monotonic() - started


async def start_serve(env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "serve", env=env, cwd=cwd,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


@pytest.mark.asyncio(loop_scope="function")
async def test_telegram_sigterm_during_a_hung_streamed_answer_exits_within_10s(
    fake_api: FakeBotApi, openai_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    await ingest_report(tmp_path)
    openai_server.script(
        FIRST_SENTENCE + "下半年继续加强培训[1]。", chunk_chars=len(FIRST_SENTENCE) + 3, chunk_delay=60
    )
    env = environment(
        tmp_path,
        REPORTBOT_TELEGRAM_TOKEN=TOKEN,
        REPORTBOT_TELEGRAM_BASE_URL=fake_api.base_url,
        REPORTBOT_ALLOWED_USER_IDS=str(USER),
        REPORTBOT_LLM_BASE_URL=openai_server.base_url,
        REPORTBOT_LLM_API_KEY="sk-test",
    )
    process = await start_serve(env, tmp_path)
    took = float("inf")
    try:
        await fake_api.wait_for(lambda a: a.calls_of("getUpdates"), within=120)
        fake_api.send_text(USER, QUESTIONS[0])
        # the first verified sentence is on screen, the model hangs on the next piece
        await fake_api.wait_for(lambda a: any("12次" in t and CURSOR in t for t in final_texts(a, USER)), 60)
        took = await sigterm_and_time(process)
    finally:
        if process.returncode is None:
            process.kill()
        _, stderr = await process.communicate()
    print(f"\nTelegram: SIGTERM during a hung streamed answer, process gone in {took:.1f}s")
    assert took < EXIT_WITHIN, stderr.decode("utf-8", "replace")[-3000:]
    assert process.returncode == 0
    texts = final_texts(fake_api, USER)
    assert texts == [CUT]  # the streaming message now tells the user to ask again, nothing half-written
    audit = (tmp_path / "data" / "audit.log").read_text(encoding="utf-8")
    assert audit.endswith("\n")
    assert "action=ask outcome=cut" in audit.splitlines()[-1]


@pytest.mark.asyncio(loop_scope="function")
async def test_wecom_sigterm_during_a_hung_streamed_answer_exits_within_10s(
    fake: FakeWeCom, openai_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    await ingest_report(tmp_path)
    openai_server.script(HUNG_REPLY, chunk_chars=len(FIRST_SENTENCE) + 3, chunk_delay=60)
    env = environment(
        tmp_path,
        REPORTBOT_WECOM_BOT_ID=fake.bot_id,
        REPORTBOT_WECOM_SECRET=fake.secret,
        REPORTBOT_WECOM_WS_URL=fake.ws_url,
        REPORTBOT_WECOM_ALLOWED_USERS=WECOM_USER,
        REPORTBOT_LLM_BASE_URL=openai_server.base_url,
        REPORTBOT_LLM_API_KEY="sk-test",
    )
    process = await start_serve(env, tmp_path)
    took = float("inf")
    try:
        await fake.wait_for(lambda f: f.frames("aibot_subscribe", ok=True), 120)
        req_id = await fake.push_text(WECOM_USER, QUESTIONS[0])

        def streaming(f: FakeWeCom) -> bool:
            return any(
                "12次" in str((r.body.get("stream") or {}).get("content", "")) for r in replies_to(f, req_id)
            )

        await fake.wait_for(streaming, 60)
        took = await sigterm_and_time(process)
    finally:
        if process.returncode is None:
            process.kill()
        _, stderr = await process.communicate()
    print(f"\nWeCom: SIGTERM during a hung streamed answer, process gone in {took:.1f}s")
    assert took < EXIT_WITHIN, stderr.decode("utf-8", "replace")[-3000:]
    assert process.returncode == 0
    assert final_text(fake, req_id) == CUT  # the stream ends telling the user to ask again
    audit = (tmp_path / "data" / "audit.log").read_text(encoding="utf-8")
    assert audit.endswith("\n")
    assert "action=ask outcome=cut" in audit.splitlines()[-1]
