"""Files admins send (one-to-one chats only): checked by name before anything is downloaded, fetched through
``messageFiles/download`` (a temporary link), then checked and ingested by the chat core.

DingTalk's file message names the file (``content.fileName``) but gives no size: the type is checked before the
download, the size from the download's ``Content-Length`` before its body is read (and counted as it arrives).
Who may upload was decided before this runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.chat.uploads import DOWNLOAD_UNAVAILABLE, RECEIVING, WAITING, DownloadError, FileTooLargeError
from bot.dingtalk.errors import DingTalkDownloadError, DingTalkError

if TYPE_CHECKING:
    from bot.chat.service import ChatService
    from bot.chat.types import Requester
    from bot.dingtalk.api import DingTalkApi
    from bot.dingtalk.delivery import Messenger, Target
    from bot.dingtalk.frames import BotMessage

UNNAMED = "未命名文件"
LINK_EXPIRED = "文件链接已失效或无法访问，请重新发送文件"
NO_CODE = "消息中没有文件下载码"


async def receive_file(
    chat: ChatService, api: DingTalkApi, messenger: Messenger, to: Target, message: BotMessage, who: Requester
) -> None:
    """Check the file's name, download it, let the core check and ingest it, and say what became of it."""
    checked = chat.check_upload(who, message.file_name or UNNAMED, None)
    if checked.refusal is not None:
        await messenger.send(to, checked.refusal)
        return
    try:
        data = await _download(api, message, chat.max_upload_bytes)
    except (DownloadError, FileTooLargeError) as exc:
        await messenger.send(to, chat.upload_failed(who, checked.name, exc))
        return
    await messenger.send(to, RECEIVING.format(name=checked.name))

    async def waiting() -> None:
        await messenger.send(to, WAITING)

    result = await chat.upload(who, checked, data, on_wait=waiting)
    await messenger.send(to, result.text)


async def _download(api: DingTalkApi, message: BotMessage, max_bytes: int) -> bytes:
    """The file's bytes; the core's typed errors when it cannot be had or is over ``max_bytes``."""
    if not message.download_code:
        raise DownloadError(NO_CODE, "NoDownloadCode")
    try:
        url = await api.download_url(message.download_code, message.robot_code)
        return await api.download(url, max_bytes)
    except DingTalkDownloadError as exc:
        raise DownloadError(LINK_EXPIRED, type(exc).__name__) from None
    except DingTalkError as exc:
        raise DownloadError(DOWNLOAD_UNAVAILABLE, type(exc).__name__) from None
