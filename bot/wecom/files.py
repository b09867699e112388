"""Files admins send (one-to-one chats only): downloaded, decrypted, then checked and ingested by the chat core.

WeCom's file message carries no name or size: both come with the download (``Content-Disposition``), so the
core's name and size check runs right after it. Who may upload is decided before anything is downloaded.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from bot.chat.uploads import RECEIVING, WAITING, UploadCheck
from bot.wecom.download import download_media
from bot.wecom.errors import WeComDecryptError, WeComDownloadError
from bot.wecom.messaging import StreamReply

if TYPE_CHECKING:
    from bot.chat.service import ChatService
    from bot.chat.types import Requester
    from bot.wecom.client import WeComClient
    from bot.wecom.frames import Message

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
"""Largest file an admin may send to be ingested (as for Telegram)."""
DOWNLOADING = "已收到文件，正在下载…"
UNNAMED = "未命名文件"
LINK_EXPIRED = "文件链接已失效或无法访问（链接只在 5 分钟内有效），请重新发送文件"
TOO_LARGE = "文件超过 {limit} MB"
NOT_DECRYPTED = "文件无法解密，请重新发送"
NO_LINK = "消息中没有文件链接"


async def receive_file(chat: ChatService, client: WeComClient, message: Message, who: Requester) -> None:
    """Download the admin's file, let the core check and ingest it, and say what became of it."""
    status = StreamReply(client, message.req_id)
    await status.update(DOWNLOADING)
    if not message.file_url or not message.aeskey:
        await _failed(chat, status, who, "NoLink", NO_LINK)
        return
    try:
        downloaded = await download_media(message.file_url, message.aeskey, max_bytes=MAX_UPLOAD_BYTES)
    except WeComDecryptError as exc:
        await _failed(chat, status, who, type(exc).__name__, NOT_DECRYPTED)
        return
    except WeComDownloadError as exc:
        too_big = "larger than" in str(exc)
        reason = TOO_LARGE.format(limit=MAX_UPLOAD_BYTES // (1024 * 1024)) if too_big else LINK_EXPIRED
        await _failed(chat, status, who, type(exc).__name__, reason)
        return
    checked = chat.check_upload(who, downloaded.filename or UNNAMED, len(downloaded.data), MAX_UPLOAD_BYTES)
    if checked.refusal is not None:
        await status.finish(checked.refusal)
        return
    incoming = chat.incoming_path(checked)
    await asyncio.to_thread(incoming.write_bytes, downloaded.data)
    await status.update(RECEIVING.format(name=checked.name))

    async def waiting() -> None:
        await status.update(WAITING)

    result = await chat.upload(who, checked, incoming, on_wait=waiting)
    await status.finish(result.text)


async def _failed(chat: ChatService, status: StreamReply, who: Requester, error: str, reason: str) -> None:
    """Audit a failed download and say why (nothing was saved)."""
    checked = UploadCheck(UNNAMED, "")
    text = await chat.download_failed(who, checked, chat.incoming_path(checked), error, reason)
    await status.finish(text)
