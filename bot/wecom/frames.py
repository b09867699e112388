"""The WeCom long-connection frames: ``{cmd, headers: {req_id}, body}`` out, callbacks and acks in (as JSON text:
``bot.chat.connection.encode``/``decode``).

Shapes follow developer.work.weixin.qq.com/document/path/101463 (long connection) and 101027 (events).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any

# bot -> WeCom
SUBSCRIBE = "aibot_subscribe"
PING = "ping"
RESPOND_MSG = "aibot_respond_msg"
RESPOND_WELCOME = "aibot_respond_welcome_msg"
RESPOND_UPDATE = "aibot_respond_update_msg"
SEND_MSG = "aibot_send_msg"
UPLOAD_INIT = "aibot_upload_media_init"
UPLOAD_CHUNK = "aibot_upload_media_chunk"
UPLOAD_FINISH = "aibot_upload_media_finish"
# WeCom -> bot
MSG_CALLBACK = "aibot_msg_callback"
EVENT_CALLBACK = "aibot_event_callback"

OUTGOING_CMDS = frozenset(
    {
        SUBSCRIBE,
        PING,
        RESPOND_MSG,
        RESPOND_WELCOME,
        RESPOND_UPDATE,
        SEND_MSG,
        UPLOAD_INIT,
        UPLOAD_CHUNK,
        UPLOAD_FINISH,
    }
)
CALLBACK_CMDS = frozenset({MSG_CALLBACK, EVENT_CALLBACK})

TEMPLATE_CARD_EVENT = "template_card_event"
DISCONNECTED_EVENT = "disconnected_event"
ENTER_CHAT_EVENT = "enter_chat"


def new_req_id(prefix: str) -> str:
    """A unique ``req_id`` in the SDK's ``{prefix}_{ms}_{random}`` form."""
    return f"{prefix}_{int(time.time() * 1000)}_{secrets.token_hex(4)}"


def frame(cmd: str, req_id: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """One outgoing frame; ``ping`` carries no body."""
    out: dict[str, Any] = {"cmd": cmd, "headers": {"req_id": req_id}}
    if body is not None:
        out["body"] = body
    return out


def subscribe_body(bot_id: str, secret: str) -> dict[str, Any]:
    """The ``aibot_subscribe`` body: the bot's id and secret."""
    return {"bot_id": bot_id, "secret": secret}


@dataclass(frozen=True)
class Ack:
    """The server's answer to one frame: ``{headers: {req_id}, errcode, errmsg[, body]}``."""

    req_id: str
    errcode: int
    errmsg: str
    body: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when ``errcode`` is 0."""
        return self.errcode == 0


@dataclass(frozen=True)
class Message:
    """An ``aibot_msg_callback``: what a user sent, and the ``req_id`` to reply on (valid 24 h)."""

    req_id: str
    msgid: str
    msgtype: str
    chattype: str
    userid: str
    chatid: str | None
    text: str = ""
    file_url: str | None = None
    aeskey: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def chat(self) -> str:
        """The chat to send to proactively: the group's chatid, or the user's id in a one-to-one chat."""
        return self.chatid if self.chattype == "group" and self.chatid else self.userid


@dataclass(frozen=True)
class Event:
    """An ``aibot_event_callback``; for a card click, ``event_key`` and ``task_id`` are set."""

    req_id: str
    msgid: str
    eventtype: str
    userid: str
    chattype: str | None
    chatid: str | None
    event_key: str | None = None
    task_id: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def chat(self) -> str:
        """The chat the event happened in (group chatid or the user's id)."""
        return self.chatid if self.chattype == "group" and self.chatid else self.userid


def parse_ack(data: dict[str, Any]) -> Ack:
    """An ack frame (no ``cmd``) as an :class:`Ack`."""
    body = data.get("body")
    return Ack(
        req_id=str(data.get("headers", {}).get("req_id", "")),
        errcode=int(data.get("errcode", 0) or 0),
        errmsg=str(data.get("errmsg", "")),
        body=body if isinstance(body, dict) else {},
    )


def parse_message(data: dict[str, Any]) -> Message:
    """An ``aibot_msg_callback`` frame as a :class:`Message` (text and file fields filled in)."""
    body = data.get("body") or {}
    msgtype = str(body.get("msgtype", ""))
    media = body.get(msgtype) if msgtype in {"file", "image", "video"} else None
    text = ""
    if msgtype == "text":
        text = str((body.get("text") or {}).get("content", ""))
    elif msgtype == "voice":
        text = str((body.get("voice") or {}).get("content", ""))
    return Message(
        req_id=str(data["headers"]["req_id"]),
        msgid=str(body.get("msgid", "")),
        msgtype=msgtype,
        chattype=str(body.get("chattype", "single")),
        userid=str((body.get("from") or {}).get("userid", "")),
        chatid=body.get("chatid"),
        text=text,
        file_url=media.get("url") if isinstance(media, dict) else None,
        aeskey=media.get("aeskey") if isinstance(media, dict) else None,
        raw=body,
    )


def parse_event(data: dict[str, Any]) -> Event:
    """An ``aibot_event_callback`` frame as an :class:`Event`.

    The click's key is read from ``event.template_card_event.event_key`` as the official doc says; the
    Node SDK's type puts it at ``event.event_key``, which is accepted as a fallback.
    """
    body = data.get("body") or {}
    event = body.get("event") or {}
    eventtype = str(event.get("eventtype", ""))
    found = event.get(eventtype)
    detail: dict[str, Any] = found if isinstance(found, dict) else {}
    return Event(
        req_id=str(data["headers"]["req_id"]),
        msgid=str(body.get("msgid", "")),
        eventtype=eventtype,
        userid=str((body.get("from") or {}).get("userid", "")),
        chattype=body.get("chattype"),
        chatid=body.get("chatid"),
        event_key=detail.get("event_key", event.get("event_key")),
        task_id=detail.get("task_id", event.get("task_id")),
        raw=body,
    )
