"""Admin upload: the chat core checks name and size, this handler downloads, the core checks and ingests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.error import TelegramError

from bot.chat.uploads import RECEIVING, WAITING
from bot.telegram.requester import requester

if TYPE_CHECKING:
    from telegram import Update

    from bot.telegram.state import BotContext

MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
"""Telegram's cloud Bot API lets bots download files up to 20 MB."""


async def upload(update: Update, context: BotContext) -> None:
    """Ingest the document an admin sent and say what was added, or exactly why not."""
    message, who = update.effective_message, requester(update, context)
    if message is None or who is None or message.document is None:
        return
    document = message.document
    chat = context.chat
    checked = chat.check_upload(who, document.file_name or "", document.file_size, MAX_DOWNLOAD_BYTES)
    if checked.refusal is not None:
        await message.reply_text(checked.refusal)
        return

    status = await message.reply_text(RECEIVING.format(name=checked.name))
    incoming = chat.incoming_path(checked)
    try:
        telegram_file = await context.bot.get_file(document.file_id)
        await telegram_file.download_to_drive(incoming)
    except TelegramError as exc:
        text = await chat.download_failed(who, checked, incoming, type(exc).__name__, exc.message)
        await status.edit_text(text)
        return

    async def waiting() -> None:
        await status.edit_text(WAITING)

    result = await chat.upload(who, checked, incoming, on_wait=waiting)
    await status.edit_text(result.text)
