"""Asking through the real Application and a fake Bot API, with scripted answers."""

from __future__ import annotations

import pytest

from retrieval.types import Answer
from tests.bot.conftest import GROUP, USER, bot_settings, running_bot
from tests.bot.fake_bot_api import FakeBotApi
from tests.bot.fakes import FakeAnswers, FakeServices, cited_answer

pytestmark = pytest.mark.asyncio(loop_scope="function")


async def test_question_gets_cited_answer_with_buttons(fake_api: FakeBotApi, tmp_path) -> None:
    services = FakeServices(
        FakeAnswers(reply=lambda q: cited_answer("开展了培训[1]，检查了托幼机构[2]。", n=2))
    )
    async with running_bot(bot_settings(fake_api, tmp_path), services):
        question = fake_api.send_text(USER, "上半年手足口病防控做了什么？")
        [reply] = await fake_api.wait_for_messages(USER, 1)
    assert reply["reply_to_message"]["message_id"] == question["message_id"]
    assert reply["text"].startswith("开展了培训[1]，检查了托幼机构[2]。")
    assert "来源\n[1] 某市2023年上半年工作总结 · 二、主要工作 › （三）传染病防控" in reply["text"]
    buttons = [row[0]["callback_data"] for row in reply["reply_markup"]["inline_keyboard"]]
    assert buttons == ["cite:1:1", "cite:1:2"]
    assert fake_api.calls_of("sendChatAction")[0].params["action"] == "typing"
    assert services.answers.calls == [("上半年手足口病防控做了什么？", ())]


async def test_markup_characters_arrive_intact(fake_api: FakeBotApi, tmp_path) -> None:
    text = "<b>加粗</b> & *星号* _下划线_ [方括号] <i>未闭合 &amp; 1<2>3 [1]。"
    services = FakeServices(FakeAnswers(reply=lambda q: cited_answer(text)))
    async with running_bot(bot_settings(fake_api, tmp_path), services):
        fake_api.send_text(USER, "<b>&*_[]")
        [reply] = await fake_api.wait_for_messages(USER, 1)
    assert reply["text"].startswith(text)
    assert not [c for c in fake_api.calls if c.error]


async def test_follow_up_question_carries_the_chat_history(fake_api: FakeBotApi, tmp_path) -> None:
    services = FakeServices()
    async with running_bot(bot_settings(fake_api, tmp_path), services):
        fake_api.send_text(USER, "上半年做了什么？")
        await fake_api.wait_for_messages(USER, 1)
        fake_api.send_text(USER, "那下半年呢？")
        await fake_api.wait_for_messages(USER, 2)
    assert services.answers.calls == [("上半年做了什么？", ()), ("那下半年呢？", ("上半年做了什么？",))]


async def test_not_found_lists_no_buttons(fake_api: FakeBotApi, tmp_path) -> None:
    answer = Answer(text="资料中未找到关于狂犬病的内容。", citations=[], mode="extractive", found=False)
    services = FakeServices(FakeAnswers(reply=lambda q: answer))
    async with running_bot(bot_settings(fake_api, tmp_path), services):
        fake_api.send_text(USER, "狂犬病疫苗接种了多少人？")
        [reply] = await fake_api.wait_for_messages(USER, 1)
    assert reply["text"] == "资料中未找到关于狂犬病的内容。"
    assert "reply_markup" not in reply


async def test_group_answers_only_when_addressed(fake_api: FakeBotApi, tmp_path) -> None:
    services = FakeServices()
    group = FakeBotApi.group_chat(GROUP)
    async with running_bot(bot_settings(fake_api, tmp_path), services):
        fake_api.send_text(USER, "大家好", chat=group)
        fake_api.send_text(USER, "@reportbot_test_bot 上半年做了什么？", chat=group)
        [reply] = await fake_api.wait_for_messages(GROUP, 1)
        fake_api.send_text(USER, "那下半年呢？", chat=group, reply_to=reply)
        await fake_api.wait_for_messages(GROUP, 2)
    assert [q for q, _ in services.answers.calls] == ["上半年做了什么？", "那下半年呢？"]
