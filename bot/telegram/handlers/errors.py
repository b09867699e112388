"""The one error handler: one log line per incident (no message text, no token), a Chinese apology to the user.

Polling errors repeat while their cause lasts (409 Conflict when another instance polls with the same token,
the API unreachable): the first is logged with what to do, repeats within ``REPEAT_WINDOW_SECONDS`` are
only counted and reported with the next line. Telegram errors are logged without a traceback; unexpected
exceptions in a handler keep theirs (one record).
"""

from __future__ import annotations

import contextlib
import logging
import time
from typing import TYPE_CHECKING

from telegram import Update
from telegram.error import Conflict, InvalidToken, NetworkError, TelegramError

from bot.chat.texts import APOLOGY

if TYPE_CHECKING:
    from bot.telegram.state import BotContext

logger = logging.getLogger(__name__)

REPEAT_WINDOW_SECONDS = 60.0
HINTS = {
    Conflict: "another process is polling with this token; stop it",
    InvalidToken: "the token was refused; check REPORTBOT_TELEGRAM_TOKEN",
    NetworkError: "the Bot API is unreachable or failing; retrying",
}


class Incidents:
    """Counts repeats of the same kind of error so each incident is logged once."""

    def __init__(self, window: float = REPEAT_WINDOW_SECONDS) -> None:
        self.window = window
        self._last: dict[str, float] = {}
        self._repeats: dict[str, int] = {}

    def first(self, kind: str) -> int | None:
        """None when ``kind`` was logged within the window (counted); else the repeats since the last line."""
        now = time.monotonic()
        last = self._last.get(kind)
        if last is not None and now - last < self.window:
            self._repeats[kind] = self._repeats.get(kind, 0) + 1
            return None
        self._last[kind] = now
        return self._repeats.pop(kind, 0)


INCIDENTS = Incidents()


def _hint(error: BaseException) -> str:
    for kind, hint in HINTS.items():
        if isinstance(error, kind):
            return hint
    return "unexpected"


async def on_error(update: object, context: BotContext) -> None:
    """Handle an exception from any handler or from polling; one chat's failure never reaches another."""
    error = context.error
    name = type(error).__name__
    if not isinstance(update, Update):
        repeats = INCIDENTS.first(name)
        if repeats is None:
            return
        if isinstance(error, TelegramError):
            logger.error("telegram polling error=%s repeats=%s hint=%r", name, repeats, _hint(error))
        else:
            logger.error(
                "telegram error outside an update error=%s repeats=%s", name, repeats, exc_info=error
            )
        return
    chat_id = update.effective_chat.id if update.effective_chat else None
    if isinstance(error, TelegramError):
        logger.error("update failed update_id=%s chat=%s error=%s", update.update_id, chat_id, name)
    else:
        logger.error(
            "update failed update_id=%s chat=%s error=%s", update.update_id, chat_id, name, exc_info=error
        )
    with contextlib.suppress(TelegramError):
        if update.callback_query is not None:
            await update.callback_query.answer(APOLOGY)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(APOLOGY)
