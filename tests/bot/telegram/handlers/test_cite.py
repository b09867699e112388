"""Citation buttons: the passage on tap; expired and foreign buttons handled politely."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.bot.conftest import STRANGER, USER, bot_settings, running_bot
from tests.bot.fakes import FakeServices

if TYPE_CHECKING:
    from tests.bot.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.asyncio(loop_scope="function")


async def test_tapping_a_citation_replies_with_its_passage(fake_api: FakeBotApi, tmp_path) -> None:
    async with running_bot(bot_settings(fake_api, tmp_path), FakeServices(), api=fake_api):
        fake_api.send_text(USER, "问题")
        [answer] = await fake_api.wait_for_messages(USER, 1)
        fake_api.press_button(USER, answer, "cite:1:1")
        _, passage = await fake_api.wait_for_messages(USER, 2)
    assert passage["text"] == (
        "[1] 某市2023年上半年工作总结\n二、主要工作 › （三）传染病防控\n来源文件：report.txt\n\n"
        "开展手足口病防控培训3次，覆盖托幼机构120所。"
    )
    assert passage["reply_to_message"]["message_id"] == answer["message_id"]


async def test_an_expired_button_says_so_and_sends_nothing(fake_api: FakeBotApi, tmp_path) -> None:
    async with running_bot(bot_settings(fake_api, tmp_path), FakeServices(), api=fake_api):
        fake_api.send_text(USER, "问题")
        [answer] = await fake_api.wait_for_messages(USER, 1)
        fake_api.press_button(USER, answer, "cite:99:1")
        await fake_api.wait_for(lambda api: api.calls_of("answerCallbackQuery"))
    [ack] = fake_api.calls_of("answerCallbackQuery")
    assert ack.params["text"] == "这条回答已过期，请重新提问。"
    assert len(fake_api.bot_messages(USER)) == 1


async def test_a_stranger_pressing_a_button_is_refused(fake_api: FakeBotApi, tmp_path) -> None:
    async with running_bot(bot_settings(fake_api, tmp_path), FakeServices(), api=fake_api):
        fake_api.send_text(USER, "问题")
        [answer] = await fake_api.wait_for_messages(USER, 1)
        fake_api.press_button(STRANGER, answer, "cite:1:1")
        await fake_api.wait_for(lambda api: api.calls_of("answerCallbackQuery"))
    [ack] = fake_api.calls_of("answerCallbackQuery")
    assert ack.params["text"] == "您没有使用权限。"
    assert len(fake_api.bot_messages(USER)) == 1
