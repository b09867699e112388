"""``/delete DOC`` removes a document, or says exactly why not."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.bot.conftest import ADMIN, bot_settings, running_bot
from tests.bot.fakes import FakeServices

if TYPE_CHECKING:
    from tests.bot.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.asyncio(loop_scope="function")


async def test_delete_usage_unknown_and_known(fake_api: FakeBotApi, tmp_path) -> None:
    services = FakeServices()
    kept = tmp_path / "elsewhere.txt"
    kept.write_text("管理员自己的文件。", encoding="utf-8")
    services.ingest.ingest_file(kept)
    async with running_bot(bot_settings(fake_api, tmp_path), services, api=fake_api):
        fake_api.send_text(ADMIN, "/delete")
        fake_api.send_text(ADMIN, "/delete 不存在.txt")
        await fake_api.wait_for_messages(ADMIN, 2)
        fake_api.send_text(ADMIN, "/delete elsewhere.txt")
        *_, deleted = await fake_api.wait_for_messages(ADMIN, 3)
    texts = sorted(m["text"] for m in fake_api.bot_messages(ADMIN)[:2])
    assert texts == [
        "没有找到文档“不存在.txt”。发送 /docs 查看文档列表。",
        "用法：/delete 文件名或文档 ID（发送 /docs 查看）。",
    ]
    assert deleted["text"] == "已删除《elsewhere.txt》（elsewhere.txt），共 3 个段落。"
    assert services.ingest.documents == {}
    assert kept.exists()  # only files that came in through the chat are removed with their document
    audit = (tmp_path / "audit.log").read_text(encoding="utf-8")
    assert 'action=delete outcome=unknown what="不存在.txt"' in audit
    assert "action=delete outcome=deleted what=elsewhere.txt" in audit
