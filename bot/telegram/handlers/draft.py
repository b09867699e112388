"""``/draft <主题>``: a cited first draft from the reports, as chat messages and as a .docx file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.chat.render.telegram_html import render_draft
from bot.chat.texts import DOCX_CAPTION, DRAFT_UNAVAILABLE, DRAFT_USAGE
from bot.telegram.delivery import send_parts, typing
from bot.telegram.handlers.throttle import admitted
from bot.telegram.requester import requester

if TYPE_CHECKING:
    from telegram import Update

    from bot.chat.types import DraftReply
    from bot.telegram.state import BotContext


async def draft(update: Update, context: BotContext) -> None:
    """Draft a plan, summary or paragraph from the reports; reply with the text and a .docx file."""
    message, chat, who = update.effective_message, update.effective_chat, requester(update, context)
    if message is None or chat is None or who is None:
        return
    request = " ".join(context.args or []).strip()
    if not request:
        await message.reply_text(DRAFT_USAGE)
        return
    if not await admitted(context, message, who, "draft", request):
        return

    async with typing(context.bot, chat.id) as stop_typing:

        async def deliver(reply: DraftReply) -> None:
            await stop_typing()
            if reply.draft is None or reply.docx is None:
                await message.reply_text(reply.error or DRAFT_UNAVAILABLE)
                return
            await send_parts(context.bot, chat.id, render_draft(reply.draft), reply_to=message.message_id)
            await context.bot.send_document(
                chat.id,
                document=reply.docx,
                filename=reply.filename,
                caption=DOCX_CAPTION,
                reply_to_message_id=message.message_id,
                allow_sending_without_reply=True,
            )

        await context.chat.draft(who, request, deliver)
