"""Asking through the real Application and a fake Bot API, with scripted answers."""

from __future__ import annotations

import pytest

from retrieval.answers.types import Answer
from retrieval.errors import StoreUnavailableError
from tests.bot.conftest import ADMIN, GROUP, USER, bot_settings, running_bot
from tests.bot.fake_bot_api import BotApiError, FakeBotApi
from tests.bot.fakes import FakeAnswers, FakeServices, cited_answer

pytestmark = pytest.mark.asyncio(loop_scope="function")


async def test_question_gets_cited_answer_with_buttons(fake_api: FakeBotApi, tmp_path) -> None:
    services = FakeServices(
        FakeAnswers(reply=lambda q: cited_answer("开展了培训[1]，检查了托幼机构[2]。", n=2))
    )
    async with running_bot(bot_settings(fake_api, tmp_path), services, api=fake_api):
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
    async with running_bot(bot_settings(fake_api, tmp_path), services, api=fake_api):
        fake_api.send_text(USER, "<b>&*_[]")
        [reply] = await fake_api.wait_for_messages(USER, 1)
    assert reply["text"].startswith(text)
    assert not [c for c in fake_api.calls if c.error]


async def test_follow_up_question_carries_the_chat_history(fake_api: FakeBotApi, tmp_path) -> None:
    services = FakeServices()
    async with running_bot(bot_settings(fake_api, tmp_path), services, api=fake_api):
        fake_api.send_text(USER, "上半年做了什么？")
        await fake_api.wait_for_messages(USER, 1)
        fake_api.send_text(USER, "那下半年呢？")
        await fake_api.wait_for_messages(USER, 2)
    assert services.answers.calls == [("上半年做了什么？", ()), ("那下半年呢？", ("上半年做了什么？",))]


async def test_not_found_lists_no_buttons(fake_api: FakeBotApi, tmp_path) -> None:
    answer = Answer(text="资料中未找到关于狂犬病的内容。", citations=[], mode="extractive", found=False)
    services = FakeServices(FakeAnswers(reply=lambda q: answer))
    async with running_bot(bot_settings(fake_api, tmp_path), services, api=fake_api):
        fake_api.send_text(USER, "狂犬病疫苗接种了多少人？")
        [reply] = await fake_api.wait_for_messages(USER, 1)
    assert reply["text"] == "资料中未找到关于狂犬病的内容。"
    assert "reply_markup" not in reply


async def test_group_answers_only_when_addressed(fake_api: FakeBotApi, tmp_path) -> None:
    services = FakeServices()
    group = FakeBotApi.group_chat(GROUP)
    async with running_bot(bot_settings(fake_api, tmp_path), services, api=fake_api):
        fake_api.send_text(USER, "大家好", chat=group)
        fake_api.send_text(USER, "@reportbot_test_bot 上半年做了什么？", chat=group)
        [reply] = await fake_api.wait_for_messages(GROUP, 1)
        fake_api.send_text(USER, "那下半年呢？", chat=group, reply_to=reply)
        await fake_api.wait_for_messages(GROUP, 2)
    assert [q for q, _ in services.answers.calls] == ["上半年做了什么？", "那下半年呢？"]


async def test_ten_thousand_character_answer_arrives_in_ordered_parts(fake_api: FakeBotApi, tmp_path) -> None:
    sentence = "全县开展手足口病防控培训，检查托幼机构<85所>&落实晨午检[1]。"
    text = sentence * (10_000 // len(sentence) + 1)
    services = FakeServices(FakeAnswers(reply=lambda q: cited_answer(text)))
    async with running_bot(bot_settings(fake_api, tmp_path), services, api=fake_api):
        question = fake_api.send_text(USER, "详细说说手足口病防控")
        await fake_api.wait_for(lambda api: any("reply_markup" in m for m in api.bot_messages(USER)))
    parts = fake_api.bot_messages(USER)
    assert len(parts) >= 3
    assert all(len(p["text"]) < 4096 for p in parts)
    assert parts[0]["reply_to_message"]["message_id"] == question["message_id"]
    assert all(p["text"].endswith("[1]。") for p in parts[:-1])
    assert "".join(p["text"] for p in parts).startswith(text)
    assert ["reply_markup" in p for p in parts] == [False] * (len(parts) - 1) + [True]


async def test_rate_limit_gives_one_polite_notice(fake_api: FakeBotApi, tmp_path) -> None:
    services = FakeServices()
    async with running_bot(bot_settings(fake_api, tmp_path, rate_limit_per_minute=2), services, api=fake_api):
        for i in range(5):
            fake_api.send_text(USER, f"第{i}个问题")
        await fake_api.wait_for_messages(USER, 3)
        await fake_api.settle()
    texts = [m["text"] for m in fake_api.bot_messages(USER)]
    notices = [t for t in texts if t.startswith("您的请求太频繁了")]
    assert len(services.answers.calls) == 2
    assert len(notices) == 1
    assert notices[0].endswith("秒后再试（每人每分钟最多 2 次）。")
    assert len(texts) == 3


async def test_a_failure_in_one_chat_does_not_reach_another(fake_api: FakeBotApi, tmp_path) -> None:
    def reply(question: str) -> Answer:
        if question == "坏问题":
            msg = "boom: internal detail"
            raise RuntimeError(msg)
        return cited_answer()

    services = FakeServices(FakeAnswers(reply=reply))
    async with running_bot(bot_settings(fake_api, tmp_path), services, api=fake_api):
        fake_api.send_text(USER, "坏问题")
        fake_api.send_text(ADMIN, "好问题")
        [apology] = await fake_api.wait_for_messages(USER, 1)
        [answer] = await fake_api.wait_for_messages(ADMIN, 1)
    assert apology["text"] == "抱歉，处理您的请求时出错了，请稍后再试。"
    assert answer["text"].startswith("开展了手足口病防控培训[1]。")
    assert 'action=ask outcome=error what="坏问题"' in (tmp_path / "audit.log").read_text(encoding="utf-8")


async def test_store_failure_gets_a_short_apology(fake_api: FakeBotApi, tmp_path) -> None:
    def reply(question: str) -> Answer:
        msg = "无法连接 Chroma 服务器 http://10.0.0.5:8000"
        raise StoreUnavailableError(msg)

    async with running_bot(
        bot_settings(fake_api, tmp_path), FakeServices(FakeAnswers(reply=reply)), api=fake_api
    ):
        fake_api.send_text(USER, "上半年做了什么？")
        [apology] = await fake_api.wait_for_messages(USER, 1)
    assert apology["text"] == "抱歉，知识库暂时无法使用，请稍后再试。"


async def test_a_bare_mention_asks_for_the_question(fake_api: FakeBotApi, tmp_path) -> None:
    services = FakeServices()
    async with running_bot(bot_settings(fake_api, tmp_path), services, api=fake_api):
        fake_api.send_text(USER, "@reportbot_test_bot", chat=FakeBotApi.group_chat(GROUP))
        [reply] = await fake_api.wait_for_messages(GROUP, 1)
    assert reply["text"] == "请在 @reportbot_test_bot 后面写上您的问题。"
    assert services.answers.calls == []


async def test_streamed_answer_is_sent_afresh_when_its_message_cannot_be_edited(
    fake_api: FakeBotApi, tmp_path
) -> None:
    deltas = ["开展了", "开展了手足口病", "开展了手足口病防控培训"]
    services = FakeServices(FakeAnswers(deltas=deltas, delta_pause=0.3))
    gone = BotApiError(400, "Bad Request: message to edit not found")
    fake_api.fail_next("editMessageText", gone, times=20)
    async with running_bot(bot_settings(fake_api, tmp_path), services, api=fake_api):
        fake_api.send_text(USER, "上半年做了什么？")
        await fake_api.wait_for(lambda api: any("来源" in m["text"] for m in api.bot_messages(USER)))
    [final] = fake_api.bot_messages(USER)  # the partial "开展了 ▍" was deleted: nothing stays half-streamed
    assert [c.params["message_id"] for c in fake_api.calls_of("deleteMessage")] == [2]
    assert final["text"].startswith("开展了手足口病防控培训[1]。\n\n来源\n[1] ")
    assert final["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "cite:1:1"
