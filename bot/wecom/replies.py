"""Bodies of the replies the bot sends: streamed markdown, button cards, card updates, proactive messages."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from bot.wecom.errors import WeComCardError

MAX_STREAM_BYTES = 20_480
MAX_BUTTONS = 6
MAX_KEY_BYTES = 1024
TRUNCATION_MARK = "\n\n……"
PROACTIVE_MSGTYPES = frozenset({"markdown", "template_card", "file", "image", "voice", "video"})
_TASK_ID = re.compile(r"^[A-Za-z0-9_\-@]{1,128}$")


def fit_utf8(text: str, limit: int = MAX_STREAM_BYTES, mark: str = TRUNCATION_MARK) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes on a character boundary, ending in ``mark`` if cut."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    room = limit - len(mark.encode("utf-8"))
    return data[: max(room, 0)].decode("utf-8", "ignore") + mark


def stream_body(stream_id: str, content: str, *, finish: bool) -> dict[str, Any]:
    """An ``aibot_respond_msg`` stream frame body: the whole text so far, not a delta."""
    return {"msgtype": "stream", "stream": {"id": stream_id, "finish": finish, "content": fit_utf8(content)}}


@dataclass(frozen=True)
class Button:
    """One button of a ``button_interaction`` card; ``key`` comes back in the click event."""

    text: str
    key: str
    style: int = 1


def new_task_id() -> str:
    """A task id never used before (letters, digits and ``_-@``, at most 128 bytes)."""
    return f"card_{secrets.token_hex(12)}"


def button_card(
    title: str,
    buttons: list[Button],
    *,
    desc: str | None = None,
    sub_title_text: str | None = None,
    task_id: str | None = None,
) -> dict[str, Any]:
    """A ``button_interaction`` template card; checks title, ≤ 6 unique keys and the task id."""
    if not title.strip():
        raise WeComCardError("a button_interaction card needs main_title.title")
    if not 1 <= len(buttons) <= MAX_BUTTONS:
        raise WeComCardError(f"a card takes 1 to {MAX_BUTTONS} buttons, got {len(buttons)}")
    keys = [b.key for b in buttons]
    if len(set(keys)) != len(keys):
        raise WeComCardError("button keys must be unique")
    if any(not k or len(k.encode("utf-8")) > MAX_KEY_BYTES for k in keys):
        raise WeComCardError(f"button keys must be 1 to {MAX_KEY_BYTES} bytes")
    task = task_id or new_task_id()
    if not _TASK_ID.match(task):
        raise WeComCardError("task_id may use only letters, digits and _-@, at most 128 bytes")
    main_title: dict[str, str] = {"title": title}
    if desc:
        main_title["desc"] = desc
    card: dict[str, Any] = {
        "card_type": "button_interaction",
        "main_title": main_title,
        "button_list": [{"text": b.text, "style": b.style, "key": b.key} for b in buttons],
        "task_id": task,
    }
    if sub_title_text:
        card["sub_title_text"] = sub_title_text
    return card


def card_reply_body(card: dict[str, Any]) -> dict[str, Any]:
    """An ``aibot_respond_msg`` body carrying a template card."""
    return {"msgtype": "template_card", "template_card": card}


def update_card_body(card: dict[str, Any], userids: list[str] | None = None) -> dict[str, Any]:
    """An ``aibot_respond_update_msg`` body (sent on the click event's ``req_id``)."""
    body: dict[str, Any] = {"response_type": "update_template_card", "template_card": card}
    if userids:
        body["userids"] = userids
    return body


def send_body(chatid: str, msgtype: str, payload: dict[str, Any]) -> dict[str, Any]:
    """An ``aibot_send_msg`` body; proactive messages cannot be ``stream`` or ``text``."""
    if msgtype not in PROACTIVE_MSGTYPES:
        raise ValueError(f"aibot_send_msg cannot carry msgtype={msgtype}")
    return {"chatid": chatid, "msgtype": msgtype, msgtype: payload}


def markdown_payload(content: str) -> dict[str, Any]:
    """The ``markdown`` part of a proactive message, cut to the byte limit."""
    return {"content": fit_utf8(content)}


def file_reply_body(media_id: str) -> dict[str, Any]:
    """An ``aibot_respond_msg`` body sending an uploaded file."""
    return {"msgtype": "file", "file": {"media_id": media_id}}
