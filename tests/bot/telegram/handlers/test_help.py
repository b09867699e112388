"""``/help``: examples for everyone, admin commands only for admins."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.bot.conftest import ADMIN, USER, bot_settings, running_bot
from tests.bot.fakes import FakeServices

if TYPE_CHECKING:
    from tests.bot.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.asyncio(loop_scope="function")


async def test_help_has_examples_and_admin_part_only_for_admins(fake_api: FakeBotApi, tmp_path) -> None:
    async with running_bot(bot_settings(fake_api, tmp_path), FakeServices(), api=fake_api):
        fake_api.send_text(USER, "/help")
        fake_api.send_text(ADMIN, "/help")
        [user_help] = await fake_api.wait_for_messages(USER, 1)
        [admin_help] = await fake_api.wait_for_messages(ADMIN, 1)
    assert "• 上半年手足口病防控做了什么？" in user_help["text"]
    assert "@reportbot_test_bot" in user_help["text"]
    assert "/reindex" not in user_help["text"]
    assert admin_help["text"].startswith(user_help["text"])
    assert "/reindex 重建索引" in admin_help["text"]
