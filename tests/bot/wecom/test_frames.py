"""Frame parsing on the shapes of the official doc and the Node SDK's ``src/types``."""

from __future__ import annotations

import json

import bot.wecom
from bot.chat.connection import encode
from bot.wecom import frames


def test_a_text_callback_in_a_group() -> None:
    data = {
        "cmd": "aibot_msg_callback",
        "headers": {"req_id": "r1"},
        "body": {
            "msgid": "m1",
            "aibotid": "bot",
            "chatid": "wrgroup",
            "chattype": "group",
            "from": {"userid": "zhangsan"},
            "msgtype": "text",
            "text": {"content": "@报告助手 问题"},
        },
    }
    message = frames.parse_message(data)
    assert (message.req_id, message.userid, message.chattype, message.chat) == (
        "r1",
        "zhangsan",
        "group",
        "wrgroup",
    )
    assert message.text == "@报告助手 问题"


def test_a_file_callback_keeps_url_and_aeskey() -> None:
    url = "https://ww-aibot-img.example/file?sign=abc&t=1"
    data = {
        "cmd": "aibot_msg_callback",
        "headers": {"req_id": "r2"},
        "body": {
            "msgid": "m2",
            "chattype": "single",
            "from": {"userid": "u"},
            "msgtype": "file",
            "file": {"url": url, "aeskey": "k" * 43},
        },
    }
    message = frames.parse_message(data)
    assert message.file_url == url
    assert message.aeskey == "k" * 43
    assert message.chat == "u"


def test_a_card_click_reads_the_key_where_the_doc_puts_it_and_where_the_sdk_does() -> None:
    official = {
        "eventtype": "template_card_event",
        "template_card_event": {"event_key": "src:1", "task_id": "t1"},
    }
    sdk = {"eventtype": "template_card_event", "event_key": "src:2", "task_id": "t2"}
    for event, key, task in ((official, "src:1", "t1"), (sdk, "src:2", "t2")):
        data = {
            "cmd": "aibot_event_callback",
            "headers": {"req_id": "e"},
            "body": {"msgtype": "event", "from": {"userid": "u"}, "event": event},
        }
        parsed = frames.parse_event(data)
        assert (parsed.eventtype, parsed.event_key, parsed.task_id) == ("template_card_event", key, task)


def test_outgoing_frames_and_acks() -> None:
    ping = frames.frame(frames.PING, "ping_1")
    assert ping == {"cmd": "ping", "headers": {"req_id": "ping_1"}}
    assert json.loads(encode(frames.frame("aibot_respond_msg", "r", {"a": "中"}))) == {
        "cmd": "aibot_respond_msg",
        "headers": {"req_id": "r"},
        "body": {"a": "中"},
    }
    ack = frames.parse_ack(
        {"headers": {"req_id": "x"}, "errcode": 0, "errmsg": "ok", "body": {"upload_id": "u"}}
    )
    assert ack.ok
    assert ack.body == {"upload_id": "u"}
    assert not frames.parse_ack({"headers": {"req_id": "x"}, "errcode": 40058, "errmsg": "bad"}).ok
    assert frames.new_req_id("ping") != frames.new_req_id("ping")


def test_the_public_surface_is_pinned() -> None:
    assert all(hasattr(bot.wecom, name) for name in bot.wecom.__all__)
    assert bot.wecom.__all__ == [
        "Ack",
        "Button",
        "DownloadedFile",
        "Event",
        "Message",
        "Pacer",
        "SecretFilter",
        "StreamReply",
        "WeComAckTimeout",
        "WeComAuthError",
        "WeComCardError",
        "WeComClient",
        "WeComDecryptError",
        "WeComDownloadError",
        "WeComError",
        "WeComHandler",
        "WeComNotConnected",
        "WeComRequestError",
        "WeComStreamClosed",
        "WeComUploadTooLarge",
        "backoff_delay",
        "button_card",
        "decrypt_media",
        "download_media",
        "encrypt_media",
        "filename_from_disposition",
        "fit_utf8",
        "reply_card",
        "reply_media",
        "send_card",
        "send_file",
        "send_markdown",
        "send_media",
        "update_card",
        "upload_media",
    ]
