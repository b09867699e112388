"""``reportbot serve`` with DingTalk: the real process on the corpus knowledge base answers through the fake, all
three front ends run in one process, wrong credentials stop it with one line, SIGTERM during a hung answer ends it
soon after the shutdown grace with the user told, and the secret is never logged."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest

from bot.chat.texts import CUT
from tests.bot.conftest import TOKEN
from tests.bot.conftest import USER as TELEGRAM_USER
from tests.bot.dingtalk.e2e import USER, tap_links, wait_texts
from tests.bot.test_serve import serve_env, start_serve, stop_serve, wecom_values
from tests.bot.wecom.e2e import USER as WECOM_USER
from tests.bot.wecom.e2e import wait_final
from tests.reliability.test_serve_shutdown import (
    HUNG_REPLY,
    environment,
    ingest_report,
    sigterm_and_time,
)
from tests.reliability.test_serve_shutdown import start_serve as start_shutdown_serve
from tests.support.small_kb import QUESTIONS

if TYPE_CHECKING:
    from pathlib import Path

    from tests.bot.dingtalk.fake_server import FakeDingTalk
    from tests.bot.fake_bot_api import FakeBotApi
    from tests.bot.wecom.fake_server import FakeWeCom
    from tests.fakes.openai_server import FakeOpenAIServer

pytestmark = pytest.mark.asyncio(loop_scope="function")

REPORT_000 = "衛生局上半年工作總結及下半年工作計劃一"
GRACE = 5.0
EXIT_AFTER_GRACE = 5.0
"""After the grace: the cut notice (3 s at most), closing the connection and the interpreter's exit (1–2 s on a
loaded 2-core machine)."""


def dingtalk_values(fake: FakeDingTalk, secret: str | None = None) -> dict[str, str]:
    """Only the DingTalk settings, pointed at the fake."""
    return {
        "REPORTBOT_DINGTALK_CLIENT_ID": fake.client_id,
        "REPORTBOT_DINGTALK_CLIENT_SECRET": secret or fake.client_secret,
        "REPORTBOT_DINGTALK_API_URL": fake.base_url,
        "REPORTBOT_DINGTALK_ALLOWED_USERS": USER,
    }


@pytest.mark.slow
async def test_serve_with_only_dingtalk_answers_from_the_corpus_and_shows_the_passage(
    dingtalk: FakeDingTalk, tmp_path: Path, corpus_data_copy: Path
) -> None:
    env = serve_env(tmp_path, **dingtalk_values(dingtalk))
    env["REPORTBOT_DATA_DIR"] = str(corpus_data_copy)
    process = await start_serve(tmp_path, env)
    try:
        await dingtalk.wait_for(lambda f: f.live_connections == 1, timeout=180)
        await dingtalk.push_text(USER, "上半年手足口病防控做了什么")
        [answer] = await wait_texts(dingtalk, USER, 1, timeout=180)
        await dingtalk.push_text(USER, tap_links(answer)[1])
        passage = (await wait_texts(dingtalk, USER, 2, timeout=60))[1]
    finally:
        logs = await stop_serve(process)
    assert process.returncode == 0, logs[-3000:]
    assert "手足口病" in answer
    assert f"**来源**\n[1] {REPORT_000} · " in answer
    assert passage.startswith(f"**[1] {REPORT_000}**")
    assert "手足口病" in passage
    assert dingtalk.violations == []
    assert "frontends=dingtalk" in logs
    assert dingtalk.client_secret not in logs
    assert dingtalk.client_secret[:12] not in logs


async def test_wecom_dingtalk_and_telegram_answer_from_one_process(
    fake: FakeWeCom, dingtalk: FakeDingTalk, fake_api: FakeBotApi, tmp_path: Path
) -> None:
    env = serve_env(
        tmp_path,
        **wecom_values(fake),
        **dingtalk_values(dingtalk),
        REPORTBOT_TELEGRAM_TOKEN=TOKEN,
        REPORTBOT_TELEGRAM_BASE_URL=fake_api.base_url,
        REPORTBOT_TELEGRAM_BASE_FILE_URL=fake_api.base_file_url,
        REPORTBOT_ALLOWED_USER_IDS=str(TELEGRAM_USER),
    )
    process = await start_serve(tmp_path, env)
    try:
        await fake.wait_for(lambda f: f.live_connections == 1, timeout=120)
        await dingtalk.wait_for(lambda f: f.live_connections == 1, timeout=60)
        req_id = await fake.push_text(WECOM_USER, "上半年做了什么？")
        await dingtalk.push_text(USER, "上半年做了什么？")
        fake_api.send_text(TELEGRAM_USER, "上半年做了什么？")
        wecom_answer = await wait_final(fake, req_id, timeout=120)
        [dingtalk_answer] = await wait_texts(dingtalk, USER, 1, timeout=120)
        [telegram_answer] = await fake_api.wait_for_messages(TELEGRAM_USER, 1, within=120)
        fake_api.drain()
    finally:
        logs = await stop_serve(process)
    assert process.returncode == 0, logs[-3000:]
    for answer in (wecom_answer, dingtalk_answer, telegram_answer["text"]):
        assert answer.startswith("资料中未找到")  # an empty knowledge base, honestly said, on all three
    assert "frontends=wecom,dingtalk,telegram" in logs
    assert dingtalk.client_secret not in logs


async def test_wrong_dingtalk_secret_stops_serve_with_one_line(
    dingtalk: FakeDingTalk, tmp_path: Path
) -> None:
    wrong = "wrong-dingtalk-secret-0123456789"
    process = await start_serve(tmp_path, serve_env(tmp_path, **dingtalk_values(dingtalk, wrong)))
    stdout, stderr = await asyncio.wait_for(process.communicate(), 120)
    logs = (stdout + stderr).decode("utf-8", "replace")
    assert process.returncode == 2, logs[-2000:]
    assert logs.strip().splitlines()[-1].startswith("钉钉应用凭证错误：请检查 REPORTBOT_DINGTALK_CLIENT_ID")
    assert "Traceback" not in logs
    assert wrong not in logs
    assert wrong[:10] not in logs


async def test_sigterm_during_a_hung_answer_exits_after_the_grace_and_tells_the_user(
    dingtalk: FakeDingTalk, openai_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    await ingest_report(tmp_path)
    openai_server.script(HUNG_REPLY, delay=60)  # DingTalk does not stream: the whole reply hangs
    env = environment(
        tmp_path,
        **dingtalk_values(dingtalk),
        REPORTBOT_LLM_BASE_URL=openai_server.base_url,
        REPORTBOT_LLM_API_KEY="sk-test",
        REPORTBOT_SHUTDOWN_GRACE=str(GRACE),
    )
    process = await start_shutdown_serve(env, tmp_path)
    took = float("inf")
    try:
        await dingtalk.wait_for(lambda f: f.live_connections == 1, timeout=120)
        await dingtalk.push_text(USER, QUESTIONS[0])
        await dingtalk.wait_for(lambda _: openai_server.chat_requests, timeout=60)  # the model is writing
        took = await sigterm_and_time(process)
    finally:
        if process.returncode is None:
            process.kill()
        _, stderr = await process.communicate()
    print(f"\nDingTalk: SIGTERM during a hung answer, process gone in {took:.1f}s (grace {GRACE:g}s)")
    assert took < GRACE + EXIT_AFTER_GRACE, stderr.decode("utf-8", "replace")[-3000:]
    assert process.returncode == 0
    assert dingtalk.texts_to(USER) == [CUT]  # told to ask again; nothing half-written
    audit = (tmp_path / "data" / "audit.log").read_text(encoding="utf-8")
    assert "action=ask outcome=cut" in audit.splitlines()[-1]
    assert dingtalk.violations == []
