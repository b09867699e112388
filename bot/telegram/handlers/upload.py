"""Admin upload: the chat core checks name and size, this handler downloads, the core checks and ingests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.error import TelegramError

from bot.chat.uploads import DOWNLOAD_UNAVAILABLE, RECEIVING, WAITING, DownloadError
from bot.telegram.requester import requester

if TYPE_CHECKING:
    from telegram import Update

    from bot.telegram.state import BotContext


async def upload(update: Update, context: BotContext) -> None:
    """Ingest the document an admin sent and say what was added, or exactly why not."""
    message, who = update.effective_message, requester(update, context)
    if message is None or who is None or message.document is None:
        return
    document = message.document
    chat = context.chat
    checked = chat.check_upload(who, document.file_name or "", document.file_size)
    if checked.refusal is not None:
        await message.reply_text(checked.refusal)  # Telegram declares the size: nothing is downloaded
        return

    status = await message.reply_text(RECEIVING.format(name=checked.name))
    try:
        telegram_file = await context.bot.get_file(document.file_id)
        data = bytes(await telegram_file.download_as_bytearray())
    except TelegramError as exc:
        error = DownloadError(DOWNLOAD_UNAVAILABLE, type(exc).__name__)
        await status.edit_text(chat.upload_failed(who, checked.name, error))
        return

    async def waiting() -> None:
        await status.edit_text(WAITING)

    result = await chat.upload(who, checked, data, on_wait=waiting)
    await status.edit_text(result.text)
