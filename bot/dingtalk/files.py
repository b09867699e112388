"""Files admins send (one-to-one chats only): checked by name before anything is downloaded, fetched through
``messageFiles/download`` (a temporary link), then checked and ingested by the chat core.

DingTalk's file message names the file (``content.fileName``) but gives no size: the type is checked before the
download and the size during it (it stops at the limit). Who may upload was decided before this runs.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.chat.uploads import RECEIVING, WAITING, UploadCheck
from bot.dingtalk.errors import DingTalkDownloadError, DingTalkError

if TYPE_CHECKING:
    from pathlib import Path

    from bot.chat.service import ChatService
    from bot.chat.types import Requester
    from bot.dingtalk.api import DingTalkApi
    from bot.dingtalk.delivery import Messenger, Target
    from bot.dingtalk.frames import BotMessage

logger = logging.getLogger("bot.dingtalk.files")

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
"""Largest file an admin may send to be ingested (as for Telegram and WeCom)."""
UNNAMED = "未命名文件"
LINK_EXPIRED = "文件链接已失效或无法访问，请重新发送文件"
TOO_LARGE = "文件超过 {limit} MB"
NO_CODE = "消息中没有文件下载码"


async def receive_file(
    chat: ChatService, api: DingTalkApi, messenger: Messenger, to: Target, message: BotMessage, who: Requester
) -> None:
    """Check the file's name, download it, let the core check and ingest it, and say what became of it."""
    checked = chat.check_upload(who, message.file_name or UNNAMED, None, MAX_UPLOAD_BYTES)
    if checked.refusal is not None:
        await messenger.send(to, checked.refusal)
        return
    incoming = chat.incoming_path(checked)
    if not message.download_code:
        await _failed(chat, messenger, to, who, checked, incoming, "NoDownloadCode", NO_CODE)
        return
    try:
        url = await api.download_url(message.download_code, message.robot_code)
        await api.download(url, incoming, MAX_UPLOAD_BYTES)
    except DingTalkDownloadError as exc:
        too_big = "larger than" in str(exc)
        reason = TOO_LARGE.format(limit=MAX_UPLOAD_BYTES // (1024 * 1024)) if too_big else LINK_EXPIRED
        await _failed(chat, messenger, to, who, checked, incoming, type(exc).__name__, reason)
        return
    except DingTalkError as exc:
        await _failed(chat, messenger, to, who, checked, incoming, type(exc).__name__, "")
        return
    await messenger.send(to, RECEIVING.format(name=checked.name))

    async def waiting() -> None:
        await messenger.send(to, WAITING)

    result = await chat.upload(who, checked, incoming, on_wait=waiting)
    await messenger.send(to, result.text)


async def _failed(
    chat: ChatService,
    messenger: Messenger,
    to: Target,
    who: Requester,
    checked: UploadCheck,
    incoming: Path,
    error: str,
    reason: str,
) -> None:
    """Audit a failed download and say why (nothing was kept)."""
    text = await chat.download_failed(who, checked, incoming, error, reason)
    await messenger.send(to, text)
