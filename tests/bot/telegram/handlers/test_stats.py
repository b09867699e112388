"""``/stats``: documents, chunks, questions answered, last ingest."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.bot.conftest import ADMIN, USER, bot_settings, running_bot
from tests.bot.fakes import FakeServices

if TYPE_CHECKING:
    from tests.bot.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.asyncio(loop_scope="function")


async def test_stats_counts_documents_chunks_and_answered_questions(fake_api: FakeBotApi, tmp_path) -> None:
    services = FakeServices()
    services.ingest.ingest_file(Path("/data/a.txt"))
    services.ingest.ingest_file(Path("/data/b<1>.txt"))
    async with running_bot(bot_settings(fake_api, tmp_path), services, api=fake_api):
        fake_api.send_text(USER, "问题一")
        fake_api.send_text(USER, "问题二")
        await fake_api.wait_for_messages(USER, 2)
        fake_api.send_text(ADMIN, "/stats")
        [stats] = await fake_api.wait_for_messages(ADMIN, 1)
    assert (
        stats["text"] == "统计\n文档：2 个\n段落：6 个\n已回答问题：2 个\n最近导入：2026-11-22 14:00 · a.txt"
    )
