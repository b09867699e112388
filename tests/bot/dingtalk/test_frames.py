"""Frames, acks and robot messages as the SDK shapes them; the reply's title, line breaks and citation links."""

from __future__ import annotations

import asyncio
import json

import dingtalk_stream
import pytest

from bot.chat.delivery import Transient
from bot.dingtalk import frames
from bot.dingtalk.answering import citation_links, parse_tap, tap_text
from bot.dingtalk.delivery import RATE_LIMIT_WAIT, classify, hard_breaks, title_of
from bot.dingtalk.errors import DingTalkAuthError, DingTalkRequestError, DingTalkUnreachable
from bot.settings import Settings
from retrieval.answers.types import Citation

PING = {
    "specVersion": "1.0",
    "type": "SYSTEM",
    "headers": {"contentType": "application/json", "messageId": "m-1", "topic": "ping", "time": "1"},
    "data": '{"opaque": "abc"}',
}


def test_our_acks_match_the_official_sdks() -> None:
    frame = frames.parse_frame(json.dumps(PING))
    ours = frames.ack_for(frame)
    sdk = dingtalk_stream.SystemHandler()
    theirs = asyncio.run(sdk.raw_process(dingtalk_stream.SystemMessage.from_dict(PING))).to_dict()
    assert ours["headers"] == theirs["headers"] == {"messageId": "m-1", "contentType": "application/json"}
    assert ours["code"] == theirs["code"] == 200
    assert (
        json.loads(ours["data"]) == json.loads(theirs["data"]) == {"opaque": "abc"}
    )  # a ping echoes its data
    callback = frames.parse_frame(json.dumps({**PING, "type": "CALLBACK", "headers": {"messageId": "m-2"}}))
    assert json.loads(frames.ack_for(callback)["data"]) == {"response": None}


def test_robot_message_fields_as_the_sdk_reads_them() -> None:
    data = {
        "conversationId": "cid1",
        "conversationType": "2",
        "msgId": "msg1",
        "senderStaffId": "zhangsan",
        "senderId": "$:LWCP",
        "isInAtList": True,
        "sessionWebhook": "https://oapi.dingtalk.com/robot/sendBySession?session=x",
        "sessionWebhookExpiredTime": 1700000000000,
        "robotCode": "dingbot",
        "msgtype": "text",
        "text": {"content": " 上半年做了什么"},
    }
    ours = frames.parse_bot_message(data)
    sdk = dingtalk_stream.ChatbotMessage.from_dict(data)
    assert (ours.msg_id, ours.sender_staff_id, ours.conversation_id) == (
        sdk.message_id,
        sdk.sender_staff_id,
        sdk.conversation_id,
    )
    assert (ours.text, ours.group, ours.chat, ours.webhook_expires_ms) == (
        sdk.text.content,
        True,
        "cid1",
        sdk.session_webhook_expired_time,
    )
    file = frames.parse_bot_message(
        {"msgtype": "file", "content": {"downloadCode": "dc", "fileName": "a.docx"}}
    )
    assert (file.download_code, file.file_name, file.group) == ("dc", "a.docx", False)


@pytest.mark.parametrize(
    ("text", "tap"),
    [
        ("原文 1", (None, 1)),
        ("原文3", (None, 3)),
        (" 原文 2（回答 15） ", (15, 2)),
        ("原文 2(回答 7)", (7, 2)),
        ("原文", None),
        ("原文 1 是什么意思", None),
        ("上半年原文 1", None),
    ],
)
def test_citation_requests_typed_or_tapped(text: str, tap: tuple[int | None, int] | None) -> None:
    assert parse_tap(text) == tap


def test_links_send_back_what_parse_tap_reads_and_groups_get_the_hint() -> None:
    citations = [Citation(n=1, chunk_id="a:1", source="a.txt", title="甲", heading_path=(), text="正文")]
    links = citation_links(5, citations, group=False)
    assert "[原文 1](dtmd://dingtalkclient/sendMessage?content=%E5%8E%9F%E6%96%87" in links
    assert parse_tap(tap_text(5, 1)) == (5, 1)
    assert "dtmd://" not in citation_links(5, citations, group=True)
    assert citation_links(5, [], group=False) == ""


def test_title_and_hard_breaks() -> None:
    assert title_of("*资料中没有直接回答*\n\n正文") == "资料中没有直接回答"
    assert (
        title_of("**[1] 衛生局上半年工作總結及下半年工作計劃一**\n…")
        == "1 衛生局上半年工作總結及下半年工作計…"
    )
    assert hard_breaks("一\n二  \n三") == "一  \n二  \n三"


def test_what_is_retried() -> None:
    assert classify(DingTalkUnreachable("x")) == Transient()
    assert classify(DingTalkRequestError("w", 200, "130101")) == Transient(RATE_LIMIT_WAIT)
    assert classify(DingTalkRequestError("w", 503)) == Transient()
    assert classify(DingTalkRequestError("w", 400, "invalidParameter")) is None
    assert classify(DingTalkAuthError("x")) is None


def test_api_url_must_be_http() -> None:
    with pytest.raises(ValueError, match="http"):
        Settings(_env_file=None, dingtalk_api_url="wss://x")  # type: ignore[call-arg]
    assert Settings(_env_file=None, dingtalk_api_url="").dingtalk_api_url == "https://api.dingtalk.com"  # type: ignore[call-arg]
