"""The one access gate for messages, documents and buttons."""

from __future__ import annotations

import pytest

from tests.bot.conftest import ADMIN, GROUP, USER, bot_settings, running_bot
from tests.bot.fake_bot_api import FakeBotApi
from tests.bot.fakes import FakeServices

pytestmark = pytest.mark.asyncio(loop_scope="function")

OTHER_GROUP = -100999


async def test_unapproved_group_is_told_its_id_only_when_addressed(fake_api: FakeBotApi, tmp_path) -> None:
    services = FakeServices()
    group = FakeBotApi.group_chat(OTHER_GROUP)
    async with running_bot(bot_settings(fake_api, tmp_path), services, api=fake_api):
        fake_api.send_text(USER, "今天开会", chat=group)
        fake_api.send_text(USER, "@reportbot_test_bot 上半年做了什么？", chat=group)
        [notice] = await fake_api.wait_for_messages(OTHER_GROUP, 1)
        fake_api.send_text(ADMIN, "@reportbot_test_bot 再问一次", chat=group)
        await fake_api.settle()
    assert notice["text"] == f"本群尚未开通问答。群 ID 是 {OTHER_GROUP}，请管理员将其加入允许列表。"
    assert len(fake_api.bot_messages(OTHER_GROUP)) == 1
    assert services.answers.calls == []


async def test_admin_commands_are_private_and_admin_only(fake_api: FakeBotApi, tmp_path) -> None:
    services = FakeServices()
    async with running_bot(bot_settings(fake_api, tmp_path), services, api=fake_api):
        fake_api.send_text(ADMIN, "/docs", chat=FakeBotApi.group_chat(GROUP))
        [in_group] = await fake_api.wait_for_messages(GROUP, 1)
        fake_api.send_text(USER, "/delete report.txt")
        [refused] = await fake_api.wait_for_messages(USER, 1)
    assert in_group["text"] == "请在与机器人的私聊中使用管理功能。"
    assert refused["text"] == "该操作仅限管理员。"
    audit = (tmp_path / "audit.log").read_text(encoding="utf-8")
    assert f'user={USER} chat={USER} action=delete outcome=refused what="/delete report.txt"' in audit


async def test_files_shared_in_a_group_are_not_uploads(fake_api: FakeBotApi, tmp_path) -> None:
    services = FakeServices()
    async with running_bot(bot_settings(fake_api, tmp_path), services, api=fake_api):
        fake_api.send_document(ADMIN, "plan.txt", "计划。".encode(), chat=FakeBotApi.group_chat(GROUP))
        await fake_api.settle()
    assert fake_api.bot_messages(GROUP) == []
    assert fake_api.calls_of("getFile") == []
    assert services.ingest.ingested == []
