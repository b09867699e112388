"""``/reindex`` runs in the background, shows progress, then reports the result."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import pytest

from tests.bot.conftest import ADMIN, bot_settings, running_bot
from tests.bot.fakes import FakeFileResult, FakeIngest, FakeReport, FakeServices

if TYPE_CHECKING:
    from tests.bot.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.asyncio(loop_scope="function")


class SlowIngest(FakeIngest):
    """Reindexes three files, the last failing; waits for ``release`` so the test can ask again meanwhile."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def reindex(self, progress=None):
        names = ["a.txt", "b<&>.txt", "c.pdf"]
        for i, name in enumerate(names):
            if progress is not None:
                progress(i, len(names), name)
        self.release.wait(10)
        if progress is not None:
            progress(len(names), len(names), "")
        return FakeReport(
            [
                FakeFileResult("a.txt", "unchanged", 3, 1),
                FakeFileResult("b<&>.txt", "updated", 4, 1),
                FakeFileResult("c.pdf", "failed", error="PDF 文件已损坏"),
            ]
        )


async def test_reindex_in_background_with_progress_and_result(fake_api: FakeBotApi, tmp_path) -> None:
    ingest = SlowIngest()
    async with running_bot(bot_settings(fake_api, tmp_path), FakeServices(ingest=ingest), api=fake_api):
        fake_api.send_text(ADMIN, "/reindex")
        await fake_api.wait_for(
            lambda api: any(m["text"].startswith("重建索引：") for m in api.bot_messages(ADMIN))
        )
        fake_api.send_text(ADMIN, "/reindex")
        await fake_api.wait_for(lambda api: any("正在进行中" in m["text"] for m in api.bot_messages(ADMIN)))
        fake_api.send_text(ADMIN, "/help")  # the bot still answers while the reindex runs
        await fake_api.wait_for(lambda api: any("怎么提问" in m["text"] for m in api.bot_messages(ADMIN)))
        ingest.release.set()
        await fake_api.wait_for(lambda api: any("重建索引完成" in m["text"] for m in api.bot_messages(ADMIN)))
    texts = [m["text"] for m in fake_api.bot_messages(ADMIN)]
    assert texts[0] == "开始重建索引，完成后会通知您。"
    assert texts[1].startswith("重建索引：")
    assert texts[-1] == "重建索引完成：共 3 个文件，新增 0，更新 1，未变 1，失败 1。\n• c.pdf：PDF 文件已损坏"
    audit = (tmp_path / "audit.log").read_text(encoding="utf-8")
    assert f"user={ADMIN} chat={ADMIN} action=reindex outcome=done" in audit
