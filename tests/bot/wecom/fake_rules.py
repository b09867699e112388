"""The rules the fake WeCom server enforces on frames from the bot, and the error codes it answers with.

Frame and body shapes follow the official long-connection doc (developer.work.weixin.qq.com/document/path/101463)
and the Node SDK's ``src/types/api.ts``; the codes are the fake's own (the doc lists no per-rule codes).
"""

from __future__ import annotations

import re
from typing import Any

ERR_BAD_JSON = 40050
ERR_NO_REQ_ID = 40051
ERR_UNKNOWN_CMD = 40052
ERR_UNKNOWN_REQ_ID = 40053
ERR_CHAT_NOT_OPEN = 40054
ERR_BAD_PARAM = 40058
ERR_AUTH = 40001
ERR_NOT_SUBSCRIBED = 46001
ERR_STREAM_FINISHED = 40070
ERR_STREAM_EXPIRED = 40071
ERR_UPDATE_TOO_LATE = 40072
ERR_TASK_ID_USED = 40073
ERR_RATE_LIMIT = 45009

MAX_STREAM_BYTES = 20_480
CHUNK_SIZE = 512 * 1024
MAX_CHUNKS = 100
CLIENT_CMDS = frozenset(
    {
        "aibot_subscribe",
        "ping",
        "aibot_respond_msg",
        "aibot_respond_welcome_msg",
        "aibot_respond_update_msg",
        "aibot_send_msg",
        "aibot_upload_media_init",
        "aibot_upload_media_chunk",
        "aibot_upload_media_finish",
    }
)
REPLY_MSGTYPES = frozenset(
    {"stream", "template_card", "stream_with_template_card", "file", "image", "voice", "video"}
)
SEND_MSGTYPES = frozenset({"markdown", "template_card", "file", "image", "voice", "video"})
MEDIA_TYPES = frozenset({"file", "image", "voice", "video"})
_TASK_ID = re.compile(r"^[A-Za-z0-9_\-@]{1,128}$")


class Reject(Exception):
    """A frame the real server would refuse: answered with ``errcode`` and ``errmsg``."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"{errcode} {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


def check_stream(stream: Any) -> tuple[str, str, bool]:
    """``(id, content, finish)`` of a stream part, or :class:`Reject`."""
    if not isinstance(stream, dict) or not stream.get("id"):
        raise Reject(ERR_BAD_PARAM, "stream.id is required")
    content = stream.get("content", "")
    if not isinstance(content, str):
        raise Reject(ERR_BAD_PARAM, "stream.content must be a string")
    if len(content.encode("utf-8")) > MAX_STREAM_BYTES:
        raise Reject(ERR_BAD_PARAM, f"stream.content exceeds {MAX_STREAM_BYTES} bytes")
    return str(stream["id"]), content, bool(stream.get("finish", False))


def check_card(card: Any) -> str:
    """The ``task_id`` of a valid template card, or :class:`Reject` (button_interaction rules enforced)."""
    if not isinstance(card, dict) or not card.get("card_type"):
        raise Reject(ERR_BAD_PARAM, "template_card.card_type is required")
    task_id = card.get("task_id")
    if not isinstance(task_id, str) or not _TASK_ID.match(task_id):
        raise Reject(ERR_BAD_PARAM, "template_card.task_id must be 1-128 of [A-Za-z0-9_-@]")
    if card["card_type"] == "button_interaction":
        title = (card.get("main_title") or {}).get("title")
        if not title:
            raise Reject(ERR_BAD_PARAM, "button_interaction needs main_title.title")
        buttons = card.get("button_list")
        if not isinstance(buttons, list) or not 1 <= len(buttons) <= 6:
            raise Reject(ERR_BAD_PARAM, "button_list must hold 1 to 6 buttons")
        keys = [b.get("key") for b in buttons if isinstance(b, dict)]
        if len(keys) != len(buttons) or not all(keys) or len(set(keys)) != len(keys):
            raise Reject(ERR_BAD_PARAM, "every button needs a unique key")
        if any(not b.get("text") for b in buttons):
            raise Reject(ERR_BAD_PARAM, "every button needs text")
    return task_id


def check_upload_init(body: dict[str, Any]) -> tuple[str, str, int, int]:
    """``(type, filename, total_size, total_chunks)`` of an upload init, or :class:`Reject`."""
    kind, name = body.get("type"), body.get("filename")
    size, chunks = body.get("total_size"), body.get("total_chunks")
    if kind not in MEDIA_TYPES or not name:
        raise Reject(ERR_BAD_PARAM, "type (file|image|voice|video) and filename are required")
    if not isinstance(size, int) or size <= 0 or not isinstance(chunks, int) or chunks <= 0:
        raise Reject(ERR_BAD_PARAM, "total_size and total_chunks must be positive integers")
    if chunks > MAX_CHUNKS:
        raise Reject(ERR_BAD_PARAM, f"at most {MAX_CHUNKS} chunks")
    if chunks != -(-size // CHUNK_SIZE):
        raise Reject(ERR_BAD_PARAM, "total_chunks does not match total_size in 512 KB chunks")
    return str(kind), str(name), size, chunks
