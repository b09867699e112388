"""The one error handler: log the failure (no message text, no token) and give the user a short apology."""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

from telegram import Update
from telegram.error import TelegramError

from bot.chat.texts import APOLOGY

if TYPE_CHECKING:
    from bot.telegram.state import BotContext

logger = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Handle an exception from any handler or from polling; one chat's failure never reaches another."""
    if not isinstance(update, Update):
        logger.error(
            "telegram error outside an update error=%s", type(context.error).__name__, exc_info=context.error
        )
        return
    chat_id = update.effective_chat.id if update.effective_chat else None
    logger.error("update failed update_id=%s chat=%s", update.update_id, chat_id, exc_info=context.error)
    with contextlib.suppress(TelegramError):
        if update.callback_query is not None:
            await update.callback_query.answer(APOLOGY)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(APOLOGY)
