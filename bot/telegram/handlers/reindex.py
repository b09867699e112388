"""``/reindex`` (admin): rebuild the index in the background, reporting progress and the result."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.chat.render.telegram_html import render_reindex_progress, render_reindex_result
from bot.chat.texts import REINDEX_RUNNING, REINDEX_STARTED
from bot.telegram.delivery import LiveMessage, send_parts
from bot.telegram.requester import requester

if TYPE_CHECKING:
    from telegram import Update

    from bot.chat.admin import ReindexResult
    from bot.telegram.state import BotContext

PROGRESS_INTERVAL_SECONDS = 2.0


async def reindex(update: Update, context: BotContext) -> None:
    """Start a background rebuild of the index unless one is running."""
    message, who = update.effective_message, requester(update, context)
    if message is None or who is None:
        return
    if context.chat.admin.reindex_running:
        await message.reply_text(REINDEX_RUNNING)
        return
    await message.reply_text(REINDEX_STARTED)
    bot, chat_id = context.bot, message.chat_id
    live = LiveMessage(bot, chat_id, lambda text: text, interval=PROGRESS_INTERVAL_SECONDS)

    def progress(done: int, total: int, source: str) -> None:
        live.push_threadsafe(render_reindex_progress(done, total, source))

    async def report(result: ReindexResult) -> None:
        await live.finish()
        if result.report is None:
            await bot.send_message(chat_id, result.error or "")  # plain text: the reason needs no escaping
            return
        await send_parts(bot, chat_id, render_reindex_result(result.report))

    context.chat.start_reindex(
        who,
        progress,
        report,
        spawn=lambda coro: context.application.create_task(coro, update=update, name="reindex"),
    )
