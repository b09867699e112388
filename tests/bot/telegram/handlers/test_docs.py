"""``/docs`` lists the documents."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.bot.conftest import ADMIN, bot_settings, running_bot
from tests.bot.fakes import FakeServices

if TYPE_CHECKING:
    from tests.bot.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.asyncio(loop_scope="function")


async def test_docs_empty_then_listed(fake_api: FakeBotApi, tmp_path) -> None:
    services = FakeServices()
    async with running_bot(bot_settings(fake_api, tmp_path), services, api=fake_api):
        fake_api.send_text(ADMIN, "/docs")
        [empty] = await fake_api.wait_for_messages(ADMIN, 1)
        services.ingest.ingest_file(Path("/data/b.txt"))
        services.ingest.ingest_file(Path("/data/a<&>.txt"))
        fake_api.send_text(ADMIN, "/docs")
        _, listing = await fake_api.wait_for_messages(ADMIN, 2)
    assert empty["text"] == "知识库中还没有文档。直接发送文件即可导入。"
    assert listing["text"] == (
        "文档（2 个）\n删除：/delete 文件名\n"
        "\n1. a<&>.txt\n   a<&>.txt · 1 篇 · 3 段 · 2026-11-22 14:00"
        "\n2. b.txt\n   b.txt · 1 篇 · 3 段 · 2026-11-22 14:00"
    )
