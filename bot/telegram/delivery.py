"""Sending to a chat: ordered multi-part HTML replies, a "typing…" indicator that lasts, and live edits.

Every call goes through the chat core's delivery policy (``bot.telegram.ratelimit``): paced, and retried
until a deadline. Streaming edits are not retried (the next one supersedes them); the final text is, and
when its edit cannot be made it arrives as a new message and the partial one is removed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING, Any

from telegram import LinkPreviewOptions
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, TelegramError

from bot.chat.delivery import DEFAULT_POLICY, DeliveryFailed
from bot.chat.live import LiveView

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable

    from telegram import InlineKeyboardMarkup, Message
    from telegram.ext import ExtBot

logger = logging.getLogger(__name__)

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)

TYPING_REFRESH_SECONDS = 4.5
"""Telegram shows a chat action for about 5 seconds; repeat it while an answer takes longer."""

EDIT_INTERVAL_SECONDS = DEFAULT_POLICY.edit_interval
"""At most one edit per second per message while an answer streams (Telegram's flood limits)."""
BEST_EFFORT = {"retry": False}
"""``rate_limit_args`` of a call not worth retrying (a streaming edit the next one supersedes)."""


def until(deadline: float | None) -> dict[str, float] | None:
    """``rate_limit_args`` that stop retrying at ``deadline`` (a ``time.monotonic()`` value), if given."""
    return {"deadline": deadline} if deadline is not None else None


async def send_parts(
    bot: ExtBot[Any],
    chat_id: int,
    parts: list[str],
    *,
    reply_to: int | None = None,
    keyboard: InlineKeyboardMarkup | None = None,
    deadline: float | None = None,
) -> list[Message]:
    """Send HTML ``parts`` in order (each paced and awaited before the next); the keyboard goes on the last part."""
    sent: list[Message] = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        sent.append(
            await bot.send_message(
                chat_id,
                part,
                parse_mode=ParseMode.HTML,
                reply_to_message_id=reply_to if i == 0 else None,
                reply_markup=keyboard if last else None,
                link_preview_options=NO_PREVIEW,
                allow_sending_without_reply=True,
                rate_limit_args=until(deadline),
            )
        )
    return sent


def is_not_modified(exc: BadRequest) -> bool:
    """Telegram refuses an edit that changes nothing; that is not a failure."""
    return "not modified" in exc.message.lower()


@contextlib.asynccontextmanager
async def typing(bot: ExtBot[Any], chat_id: int) -> AsyncIterator[Callable[[], Awaitable[None]]]:
    """Show "typing…" in ``chat_id`` until the block ends, or until the yielded ``stop()`` is awaited."""

    async def send_action() -> None:
        with contextlib.suppress(TelegramError):
            await bot.send_chat_action(chat_id, ChatAction.TYPING, rate_limit_args=BEST_EFFORT)

    async def keep_typing() -> None:
        while True:
            await asyncio.sleep(TYPING_REFRESH_SECONDS)
            await send_action()

    await send_action()
    task = asyncio.create_task(keep_typing())

    async def stop() -> None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    try:
        yield stop
    finally:
        await stop()


class LiveMessage:
    """A Telegram message that follows changing text (a streaming answer, reindex progress): ``bot.chat.live``.

    ``push`` from the event loop, ``push_threadsafe`` from worker threads. The message is sent on the first
    push; ``finish`` stops following at once and, the first time, returns the message (None if it was never
    sent) for the caller to put the final text in; later calls return None: the text goes as a new message.
    """

    def __init__(
        self,
        bot: ExtBot[Any],
        chat_id: int,
        render: Callable[[str], str],
        *,
        reply_to: int | None = None,
        interval: float = EDIT_INTERVAL_SECONDS,
    ) -> None:
        self._bot = bot
        self._chat_id = chat_id
        self._reply_to = reply_to
        self.message: Message | None = None
        self._view = LiveView(self._show, render, interval=interval)
        self.push = self._view.push
        self.push_threadsafe = self._view.push_threadsafe

    async def finish(self) -> Message | None:
        """Stop following the text; an update in flight completes first."""
        return self.message if await self._view.stop() else None

    async def _show(self, html_text: str) -> bool:
        try:
            if self.message is None:
                self.message = await self._bot.send_message(
                    self._chat_id,
                    html_text,
                    parse_mode=ParseMode.HTML,
                    reply_to_message_id=self._reply_to,
                    allow_sending_without_reply=True,
                    rate_limit_args=BEST_EFFORT,
                )
            else:
                await self._bot.edit_message_text(
                    html_text,
                    chat_id=self._chat_id,
                    message_id=self.message.message_id,
                    parse_mode=ParseMode.HTML,
                    rate_limit_args=BEST_EFFORT,
                )
        except BadRequest as exc:
            if not is_not_modified(exc):
                logger.warning("live message update failed chat=%s error=%s", self._chat_id, exc)
                return False
        except TelegramError as exc:  # a lost update of a live view is not worth failing the answer
            logger.warning("live message update failed chat=%s error=%s", self._chat_id, type(exc).__name__)
            return False
        return True


async def replace_with_parts(
    bot: ExtBot[Any],
    live: LiveMessage,
    chat_id: int,
    parts: list[str],
    *,
    reply_to: int | None = None,
    keyboard: InlineKeyboardMarkup | None = None,
    deadline: float | None = None,
) -> None:
    """Finish a live message: its text becomes the first part, the rest follow as new messages (all of them
    when the message was never sent or was finished before).

    When the final edit cannot be made (the message is gone, or edits stay blocked until ``deadline``), the
    whole text is sent afresh and the partial message removed, so no message stays at a partial text.
    """
    message = await live.finish()
    if message is None:
        await send_parts(bot, chat_id, parts, reply_to=reply_to, keyboard=keyboard, deadline=deadline)
        return
    first_keyboard = keyboard if len(parts) == 1 else None
    try:
        await bot.edit_message_text(
            parts[0],
            chat_id=chat_id,
            message_id=message.message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=first_keyboard,
            rate_limit_args=until(_halfway(deadline)),
        )
    except (TelegramError, DeliveryFailed) as exc:
        if not (isinstance(exc, BadRequest) and is_not_modified(exc)):
            logger.warning("final edit failed chat=%s error=%s: sending anew", chat_id, type(exc).__name__)
            await send_parts(bot, chat_id, parts, reply_to=reply_to, keyboard=keyboard, deadline=deadline)
            await _remove(bot, chat_id, message)
            return
    if len(parts) > 1:
        await send_parts(bot, chat_id, parts[1:], keyboard=keyboard, deadline=deadline)


def _halfway(deadline: float | None) -> float | None:
    """Half the time left: the rest is for sending the answer afresh if the edit never goes through."""
    if deadline is None:
        return None
    now = time.monotonic()
    return now + max(0.0, deadline - now) / 2


async def _remove(bot: ExtBot[Any], chat_id: int, message: Message) -> None:
    """Delete a superseded partial message (best effort)."""
    try:
        await bot.delete_message(chat_id, message.message_id, rate_limit_args={"retry": False})
    except TelegramError as exc:
        logger.warning("partial message not removed chat=%s error=%s", chat_id, type(exc).__name__)
