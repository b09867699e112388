"""DingTalk Stream-mode frames: what the gateway sends, the acks it expects, and a robot message's fields.

Shapes as the official ``dingtalk-stream`` SDK (``frames.py``, ``handlers.py``, ``chatbot.py``) and DingTalk's
Stream protocol description write them: a frame is ``{specVersion, type: SYSTEM|EVENT|CALLBACK, headers:
{messageId, topic, contentType, time, …}, data: "<JSON text>"}``; every frame is acked with ``{code, headers:
{messageId, contentType: "application/json"}, message, data: "<JSON text>"}``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from bot.chat.connection import decode

SYSTEM = "SYSTEM"
EVENT = "EVENT"
CALLBACK = "CALLBACK"
PING = "ping"
DISCONNECT = "disconnect"
BOT_MESSAGE_TOPIC = "/v1.0/im/bot/messages/get"
SUBSCRIPTIONS: list[dict[str, str]] = [
    {"type": EVENT, "topic": "*"},
    {"type": CALLBACK, "topic": BOT_MESSAGE_TOPIC},
]
CONTENT_TYPE = "application/json"
OK = 200
PRIVATE = "1"
GROUP = "2"


@dataclass(frozen=True)
class Frame:
    """One frame from the gateway; ``data`` is kept as the JSON text it came as (a ping's ack echoes it)."""

    type: str
    topic: str
    message_id: str
    data: str
    headers: dict[str, Any] = field(default_factory=dict)

    def payload(self) -> dict[str, Any]:
        """``data`` parsed (an empty dict when it is empty or not an object)."""
        try:
            value = json.loads(self.data) if self.data else {}
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


def parse_frame(raw: str | bytes) -> Frame:
    """A frame from the socket's text; raises ``ValueError`` (or ``KeyError``/``TypeError``) when it is not one."""
    value = decode(raw)
    headers = value.get("headers") or {}
    data = value.get("data", "")
    return Frame(
        type=str(value["type"]),
        topic=str(headers.get("topic", "")),
        message_id=str(headers.get("messageId", "")),
        data=data if isinstance(data, str) else json.dumps(data, ensure_ascii=False),
        headers=headers,
    )


def ack(frame: Frame, data: str, *, code: int = OK, message: str = "OK") -> dict[str, Any]:
    """The ack of ``frame`` carrying ``data`` (JSON text)."""
    return {
        "code": code,
        "headers": {"messageId": frame.message_id, "contentType": CONTENT_TYPE},
        "message": message,
        "data": data,
    }


def ack_for(frame: Frame) -> dict[str, Any]:
    """What every frame is acked with: a SYSTEM frame (ping) echoes its data; a robot message gets
    ``{"response": null}`` (nothing to answer in the ack: replies go to the session webhook); an event gets
    ``{"status": "SUCCESS"}``.
    """
    if frame.type == SYSTEM:
        return ack(frame, frame.data)
    if frame.type == CALLBACK:
        return ack(frame, json.dumps({"response": None}))
    return ack(frame, json.dumps({"status": "SUCCESS", "message": "OK"}))


@dataclass(frozen=True)
class BotMessage:
    """A robot message (topic ``/v1.0/im/bot/messages/get``): who, where, what, and where to reply."""

    msg_id: str
    msgtype: str
    conversation_type: str
    conversation_id: str
    sender_staff_id: str
    sender_id: str = ""
    text: str = ""
    in_at_list: bool = False
    session_webhook: str = ""
    webhook_expires_ms: int = 0
    robot_code: str = ""
    download_code: str = ""
    file_name: str = ""
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def group(self) -> bool:
        """True in a group conversation (``conversationType`` "2")."""
        return self.conversation_type == GROUP

    @property
    def user(self) -> str:
        """The sender's staffId (their userid in the organisation); the opaque senderId when there is none."""
        return self.sender_staff_id or self.sender_id

    @property
    def chat(self) -> str:
        """The chat's id for access, history and flood limits: the group's conversationId, else the user."""
        return self.conversation_id if self.group else self.user


def _text_of(data: dict[str, Any], msgtype: str) -> str:
    if msgtype == "text":
        return str((data.get("text") or {}).get("content", ""))
    if msgtype == "richText":
        rich = (data.get("content") or {}).get("richText") or []
        return "".join(str(item.get("text", "")) for item in rich if isinstance(item, dict))
    return ""


def parse_bot_message(data: dict[str, Any]) -> BotMessage:
    """A robot message's ``data`` (already parsed) as a :class:`BotMessage`."""
    msgtype = str(data.get("msgtype", ""))
    content = data.get("content") if isinstance(data.get("content"), dict) else {}
    return BotMessage(
        msg_id=str(data.get("msgId", "")),
        msgtype=msgtype,
        conversation_type=str(data.get("conversationType", PRIVATE)),
        conversation_id=str(data.get("conversationId", "")),
        sender_staff_id=str(data.get("senderStaffId", "") or ""),
        sender_id=str(data.get("senderId", "") or ""),
        text=_text_of(data, msgtype),
        in_at_list=bool(data.get("isInAtList", False)),
        session_webhook=str(data.get("sessionWebhook", "")),
        webhook_expires_ms=int(data.get("sessionWebhookExpiredTime", 0) or 0),
        robot_code=str(data.get("robotCode", "")),
        download_code=str((content or {}).get("downloadCode", "")),
        file_name=str((content or {}).get("fileName", "")),
        raw=data,
    )
