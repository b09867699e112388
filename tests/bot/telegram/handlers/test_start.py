"""``/start`` greets in Chinese."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.bot.conftest import USER, bot_settings, running_bot
from tests.bot.fakes import FakeServices

if TYPE_CHECKING:
    from tests.bot.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.asyncio(loop_scope="function")


async def test_start_greets_and_points_to_help(fake_api: FakeBotApi, tmp_path) -> None:
    async with running_bot(bot_settings(fake_api, tmp_path), FakeServices(), api=fake_api):
        fake_api.send_text(USER, "/start")
        [greeting] = await fake_api.wait_for_messages(USER, 1)
    assert greeting["text"].startswith("您好！我是工作报告助手。")
    assert "/help" in greeting["text"]
    assert {"type": "bold", "offset": 5, "length": 6} in greeting["entities"]  # 工作报告助手
