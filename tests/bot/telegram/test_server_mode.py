"""The real bot with its knowledge base on a real ``chroma run`` server: answers, a short apology while the
server is down, answers again once it is back."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest

from bot.services import build_services
from bot.telegram.handlers.ask import UNAVAILABLE
from tests.bot.conftest import USER, bot_settings, running_bot
from tests.bot.telegram.sample_reports import write_reports
from tests.chroma_server import ChromaServer

if TYPE_CHECKING:
    from pathlib import Path

    from tests.bot.fake_bot_api import FakeBotApi

pytestmark = [pytest.mark.asyncio(loop_scope="function"), pytest.mark.chroma_server]


async def test_bot_answers_from_a_chroma_server_apologises_while_it_is_down_and_recovers(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    server = ChromaServer(tmp_path / "chroma").start()
    try:
        settings = bot_settings(fake_api, tmp_path / "data", chroma_url=server.url)
        services = build_services(settings)
        report = services.ingest.ingest(write_reports(tmp_path / "reports"))
        assert [r.status for r in report.results] == ["added", "added"]
        async with running_bot(settings, services):
            fake_api.send_text(USER, "上半年手足口病防控培训开展了几次？")
            [answered] = await fake_api.wait_for_messages(USER, 1)

            await asyncio.to_thread(server.stop)
            fake_api.send_text(USER, "高血压患者规范管理了多少人？")
            apology = (await fake_api.wait_for_messages(USER, 2))[-1]

            await asyncio.to_thread(server.start)
            fake_api.send_text(USER, "高血压患者规范管理了多少人？")
            recovered = (await fake_api.wait_for_messages(USER, 3))[-1]
    finally:
        server.stop()
    assert "手足口病防控培训6次" in answered["text"]
    assert apology["text"] == UNAVAILABLE
    assert "1.8万人" in recovered["text"]
    assert "Traceback" not in "\n".join(m["text"] for m in fake_api.bot_messages(USER))
