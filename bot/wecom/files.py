"""Files admins send (one-to-one chats only): downloaded, decrypted, then checked and ingested by the chat core.

WeCom's file message carries no name or size: the size comes with the download's headers (a file over the limit
is refused before its body is read), the name with ``Content-Disposition``, so the core's name check runs right
after the download. Who may upload is decided before anything is downloaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.chat.uploads import RECEIVING, WAITING, DownloadError, FileTooLargeError
from bot.wecom.download import DownloadedFile, download_media
from bot.wecom.errors import WeComDecryptError, WeComDownloadError, WeComDownloadTooLarge
from bot.wecom.messaging import StreamReply

if TYPE_CHECKING:
    from bot.chat.service import ChatService
    from bot.chat.types import Requester
    from bot.wecom.client import WeComClient
    from bot.wecom.frames import Message

DOWNLOADING = "已收到文件，正在下载…"
UNNAMED = "未命名文件"
LINK_EXPIRED = "文件链接已失效或无法访问（链接只在 5 分钟内有效），请重新发送文件"
NOT_DECRYPTED = "文件无法解密，请重新发送"
NO_LINK = "消息中没有文件链接"


async def receive_file(chat: ChatService, client: WeComClient, message: Message, who: Requester) -> None:
    """Download the admin's file, let the core check and ingest it, and say what became of it."""
    status = StreamReply(client, message.req_id)
    await status.update(DOWNLOADING)
    try:
        downloaded = await _download(message, chat.max_upload_bytes)
    except (DownloadError, FileTooLargeError) as exc:
        await status.finish(chat.upload_failed(who, None, exc))
        return
    checked = chat.check_upload(who, downloaded.filename or UNNAMED, len(downloaded.data))
    if checked.refusal is not None:
        await status.finish(checked.refusal)
        return
    await status.update(RECEIVING.format(name=checked.name))

    async def waiting() -> None:
        await status.update(WAITING)

    result = await chat.upload(who, checked, downloaded.data, on_wait=waiting)
    await status.finish(result.text)


async def _download(message: Message, max_bytes: int) -> DownloadedFile:
    """The decrypted file; the core's typed errors when it cannot be had or is over ``max_bytes``."""
    if not message.file_url or not message.aeskey:
        raise DownloadError(NO_LINK, "NoLink")
    try:
        return await download_media(message.file_url, message.aeskey, max_bytes=max_bytes)
    except WeComDownloadTooLarge as exc:
        raise FileTooLargeError(UNNAMED, exc.size, max_bytes) from None
    except WeComDecryptError as exc:
        raise DownloadError(NOT_DECRYPTED, type(exc).__name__) from None
    except WeComDownloadError as exc:
        raise DownloadError(LINK_EXPIRED, type(exc).__name__) from None
