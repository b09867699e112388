"""``/sources`` re-shows the last answer's sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.bot.conftest import USER, bot_settings, running_bot
from tests.bot.fakes import FakeAnswers, FakeServices, cited_answer

if TYPE_CHECKING:
    from tests.bot.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.asyncio(loop_scope="function")


async def test_sources_before_and_after_an_answer(fake_api: FakeBotApi, tmp_path) -> None:
    services = FakeServices(FakeAnswers(reply=lambda q: cited_answer("甲[1]，乙[2]。", n=2)))
    async with running_bot(bot_settings(fake_api, tmp_path), services, api=fake_api):
        fake_api.send_text(USER, "/sources")
        [nothing] = await fake_api.wait_for_messages(USER, 1)
        fake_api.send_text(USER, "问题")
        await fake_api.wait_for_messages(USER, 2)
        fake_api.send_text(USER, "/sources")
        *_, listing = await fake_api.wait_for_messages(USER, 3)
    assert nothing["text"] == "还没有可显示的来源，请先提问。"
    assert listing["text"] == (
        "来源\n[1] 某市2023年上半年工作总结 · 二、主要工作 › （三）传染病防控"
        "\n[2] 某市2023年上半年工作总结 · 二、主要工作 › （三）传染病防控"
    )
    assert [r[0]["callback_data"] for r in listing["reply_markup"]["inline_keyboard"]] == [
        "cite:1:1",
        "cite:1:2",
    ]
