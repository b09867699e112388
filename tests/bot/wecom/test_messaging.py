"""Replies over the real client: streamed answers, button cards, card updates on the click, proactive sends."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest

from bot.wecom import (
    Button,
    StreamReply,
    WeComClient,
    WeComRequestError,
    WeComStreamClosed,
    button_card,
    reply_card,
    send_card,
    send_markdown,
    update_card,
)
from bot.wecom.replies import send_body
from tests.bot.wecom import fake_rules as rules
from tests.bot.wecom.conftest import Recorder, running_client

if TYPE_CHECKING:
    from bot.wecom.frames import Event, Message
    from tests.bot.wecom.fake_server import FakeWeCom

ANSWER = ["上半年", "上半年手足口病防控", "上半年手足口病防控做了三件事。[1]"]


async def test_a_question_gets_a_stream_of_whole_texts_then_a_card(fake: FakeWeCom) -> None:
    recorder = Recorder()

    async def answer(client: WeComClient, message: Message) -> None:
        stream = StreamReply(client, message.req_id)
        for text in ANSWER[:-1]:
            await stream.update(text)
        await stream.finish(ANSWER[-1])
        card = button_card("来源", [Button("[1] 报告000", "src:1"), Button("[2] 报告003", "src:2")])
        await reply_card(client, message.req_id, card)

    recorder.on_msg = answer
    async with running_client(fake, recorder):
        req_id = await fake.push_text("zhangsan", "上半年手足口病防控做了什么")
        await fake.wait_for(lambda f: f.frames("aibot_respond_msg", ok=True)[3:])
    message = recorder.messages.get_nowait()
    assert (message.userid, message.chattype, message.text) == (
        "zhangsan",
        "single",
        "上半年手足口病防控做了什么",
    )
    sent = fake.frames("aibot_respond_msg")
    assert all(r.errcode == 0 and r.req_id == req_id for r in sent)
    streams = [r.body["stream"] for r in sent[:3]]
    assert [s["content"] for s in streams] == ANSWER  # the whole text each time, not deltas
    assert [s["finish"] for s in streams] == [False, False, True]
    assert len({s["id"] for s in streams}) == 1
    card = sent[3].body["template_card"]
    assert card["card_type"] == "button_interaction"
    assert [b["key"] for b in card["button_list"]] == ["src:1", "src:2"]


async def test_a_button_press_updates_the_card_on_the_clicks_req_id(fake: FakeWeCom) -> None:
    recorder = Recorder()

    async def show_passage(client: WeComClient, event: Event) -> None:
        card = button_card(
            "[1] 报告000", [Button("收起", "hide:1")], sub_title_text="……原文段落……", task_id=event.task_id
        )
        await update_card(client, event.req_id, card)

    recorder.on_evt = show_passage
    async with running_client(fake, recorder) as client:
        question = await fake.push_text("zhangsan", "问题")
        card = button_card("来源", [Button("[1] 报告000", "src:1")])
        await reply_card(client, question, card)
        click = await fake.push_click("zhangsan", card["task_id"], "src:1")
        update = await fake.wait_for(lambda f: f.frames("aibot_respond_update_msg"))
        with pytest.raises(WeComRequestError) as on_question:  # the question's req_id cannot update a card
            await update_card(client, question, card)
    event = recorder.events.get_nowait()
    assert (event.eventtype, event.event_key, event.task_id) == (
        "template_card_event",
        "src:1",
        card["task_id"],
    )
    assert update[0].errcode == 0
    assert update[0].req_id == click
    assert update[0].body["template_card"]["sub_title_text"] == "……原文段落……"
    assert on_question.value.errcode == rules.ERR_UNKNOWN_REQ_ID


async def test_a_card_update_after_five_seconds_is_refused(fake: FakeWeCom) -> None:
    async with running_client(fake) as client:
        question = await fake.push_text("zhangsan", "问题")
        card = button_card("来源", [Button("[1]", "src:1")])
        await reply_card(client, question, card)
        click = await fake.push_click("zhangsan", card["task_id"], "src:1")
        fake.advance(6)
        with pytest.raises(WeComRequestError) as late:
            await update_card(client, click, card)
    assert late.value.errcode == rules.ERR_UPDATE_TOO_LATE


async def test_a_finished_stream_cannot_be_refreshed(fake: FakeWeCom) -> None:
    async with running_client(fake) as client:
        req_id = await fake.push_text("zhangsan", "问题")
        stream = StreamReply(client, req_id)
        await stream.finish("完")
        with pytest.raises(WeComStreamClosed):
            await stream.update("再改")
        body = {"msgtype": "stream", "stream": {"id": stream.stream_id, "finish": False, "content": "再改"}}
        with pytest.raises(WeComRequestError) as server_side:  # and the server refuses it too
            await client.request("aibot_respond_msg", body, req_id=req_id)
    assert server_side.value.errcode == rules.ERR_STREAM_FINISHED


async def test_a_stream_older_than_six_minutes_is_closed(fake: FakeWeCom) -> None:
    now = [0.0]
    async with running_client(fake) as client:
        req_id = await fake.push_text("zhangsan", "问题")
        stream = StreamReply(client, req_id, clock=lambda: now[0])
        await stream.update("第一段")
        now[0] = 6 * 60 + 1
        with pytest.raises(WeComStreamClosed, match="6 minutes"):
            await stream.update("第二段")
        fake.advance(6 * 60 + 1)
        body = {"msgtype": "stream", "stream": {"id": stream.stream_id, "finish": True, "content": "第二段"}}
        with pytest.raises(WeComRequestError) as server_side:
            await client.request("aibot_respond_msg", body, req_id=req_id)
    assert server_side.value.errcode == rules.ERR_STREAM_EXPIRED


async def test_an_overlong_answer_is_cut_at_a_character_within_20480_bytes(fake: FakeWeCom) -> None:
    async with running_client(fake) as client:
        req_id = await fake.push_text("zhangsan", "问题")
        await StreamReply(client, req_id).finish("防控" * 6000)  # 36,000 bytes of UTF-8
    sent = fake.frames("aibot_respond_msg")[0]
    content = sent.body["stream"]["content"]
    assert sent.errcode == 0
    assert 20_000 < len(content.encode("utf-8")) <= 20_480
    assert content.startswith("防控防控")
    assert content.endswith("……")


async def test_group_messages_carry_the_mention_and_the_group_chat(fake: FakeWeCom) -> None:
    recorder = Recorder()
    async with running_client(fake, recorder) as client:
        await fake.push_text("lisi", "今年的疫苗接种率", chattype="group", chatid="wr-group-1")
        message = await asyncio.wait_for(recorder.messages.get(), 5)
        await send_markdown(client, message.chat, "**收到**")
    assert message.chattype == "group"
    assert message.text == f"@{fake.bot_name} 今年的疫苗接种率"
    assert message.chat == "wr-group-1"
    assert fake.frames("aibot_send_msg")[0].body == {
        "chatid": "wr-group-1",
        "msgtype": "markdown",
        "markdown": {"content": "**收到**"},
    }


async def test_proactive_sends_only_reach_chats_that_wrote_first(fake: FakeWeCom) -> None:
    async with running_client(fake) as client:
        with pytest.raises(WeComRequestError) as closed:
            await send_markdown(client, "wangwu", "你好")
        await fake.push_text("wangwu", "在吗")
        await send_card(client, "wangwu", button_card("提醒", [Button("查看", "open")]))
        assert fake.frames("aibot_send_msg")[-1].errcode == 0
        with pytest.raises(ValueError, match="stream"):
            send_body("wangwu", "stream", {"content": "x"})
        with pytest.raises(WeComRequestError) as as_stream:  # the server refuses it as well
            await client.request("aibot_send_msg", {"chatid": "wangwu", "msgtype": "stream", "stream": {}})
    assert closed.value.errcode == rules.ERR_CHAT_NOT_OPEN
    assert as_stream.value.errcode == rules.ERR_BAD_PARAM


async def test_card_task_ids_are_fresh_and_reuse_is_refused(fake: FakeWeCom) -> None:
    async with running_client(fake) as client:
        req_id = await fake.push_text("zhangsan", "问题")
        first = button_card("来源", [Button("[1]", "a")])
        second = button_card("来源", [Button("[1]", "a")])
        await reply_card(client, req_id, first)
        with pytest.raises(WeComRequestError) as reused:
            await reply_card(client, req_id, first)
        await reply_card(client, req_id, second)
    assert first["task_id"] != second["task_id"]
    assert reused.value.errcode == rules.ERR_TASK_ID_USED


async def test_concurrent_replies_on_one_question_each_get_their_ack(fake: FakeWeCom) -> None:
    async with running_client(fake, ack_timeout=2) as client:
        req_id = await fake.push_text("zhangsan", "问题")
        cards = [button_card("来源", [Button(f"[{i}]", f"src:{i}")]) for i in range(3)]
        acks = await asyncio.gather(*(reply_card(client, req_id, card) for card in cards))
    assert [a.req_id for a in acks] == [req_id] * 3
    assert len(fake.frames("aibot_respond_msg", ok=True)) == 3


async def test_the_final_frame_can_carry_the_sources_card(fake: FakeWeCom) -> None:
    async with running_client(fake) as client:
        req_id = await fake.push_text("zhangsan", "问题")
        stream = StreamReply(client, req_id)
        await stream.update("答")
        card = button_card("来源", [Button("[1] 报告000", "src:1")])
        await stream.finish("答案。[1]", card=card)
    last = fake.frames("aibot_respond_msg")[-1]
    assert last.errcode == 0
    assert last.body["msgtype"] == "stream_with_template_card"
    assert last.body["stream"]["finish"] is True
    assert last.body["template_card"]["task_id"] == card["task_id"]
