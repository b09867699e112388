"""``/draft <主题>``: a cited first draft from the reports, as chat messages and as a .docx file."""

from __future__ import annotations

import asyncio
import html
import logging
import re
from typing import TYPE_CHECKING

from bot.docx_export import draft_to_docx
from bot.telegram.delivery import send_parts, typing
from bot.telegram.handlers.throttle import admitted
from bot.telegram.render import sources_units
from bot.telegram.split import PART_LIMIT, escape_units, pack
from retrieval.errors import ReportbotError

if TYPE_CHECKING:
    from telegram import Update

    from bot.telegram.state import BotContext
    from retrieval.types import Draft

logger = logging.getLogger(__name__)

USAGE = "请在 /draft 后写上要起草的内容，例如：\n/draft 下半年传染病防控工作计划"
UNAVAILABLE = "抱歉，暂时无法起草，请稍后再试。"
DOCX_CAPTION = "Word 文档（可用 WPS 或 Word 打开编辑）"
FLAGS_TITLE = "待核实"
_UNSAFE_FILENAME = re.compile(r"[\\/:*?\"<>|\s]+")


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def render_draft(draft: Draft, limit: int = PART_LIMIT) -> list[str]:
    """The draft as HTML messages: bold title and headings, paragraphs, flags, sources."""
    units = [f"<b>{_e(draft.title)}</b>\n"]
    for section in draft.sections:
        if section.heading:
            units.append(f"\n<b>{_e(section.heading)}</b>")
        for paragraph in section.paragraphs:
            units.append("\n")
            units.extend(escape_units(paragraph.text.strip(), limit))
    if draft.flags:
        units.append(f"\n\n<b>{FLAGS_TITLE}</b>")
        units.extend(f"\n• {_e(f.text)}（{_e(f.reason)}）" for f in draft.flags)
    units.extend(sources_units(draft.citations))
    return pack(units, limit)


def docx_filename(draft: Draft) -> str:
    """The draft's title as a file name, e.g. ``下半年传染病防控工作计划.docx``."""
    return (_UNSAFE_FILENAME.sub("_", draft.title).strip("_.") or "draft")[:60] + ".docx"


async def draft(update: Update, context: BotContext) -> None:
    """Draft a plan, summary or paragraph from the reports; reply with the text and a .docx file."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if message is None or user is None or chat is None:
        return
    request = " ".join(context.args or []).strip()
    if not request:
        await message.reply_text(USAGE)
        return
    if not await admitted(context, message, user, chat, "draft", request):
        return
    data = context.bot_data
    try:
        async with typing(context.bot, chat.id):
            result = await asyncio.to_thread(context.services.drafts.draft, request)
            document = await asyncio.to_thread(draft_to_docx, result)
    except ReportbotError as exc:
        # the core's message is already in plain Chinese (e.g. nothing on the topic in the reports)
        logger.warning("draft failed user=%s chat=%s error=%s", user.id, chat.id, type(exc).__name__)
        data.audit.record(user_id=user.id, chat_id=chat.id, action="draft", outcome="error", what=request)
        await message.reply_text(str(exc) or UNAVAILABLE)
        return
    await send_parts(context.bot, chat.id, render_draft(result), reply_to=message.message_id)
    await context.bot.send_document(
        chat.id,
        document=document,
        filename=docx_filename(result),
        caption=DOCX_CAPTION,
        reply_to_message_id=message.message_id,
        allow_sending_without_reply=True,
    )
    data.audit.record(
        user_id=user.id,
        chat_id=chat.id,
        action="draft",
        outcome="drafted",
        what=request,
        mode=result.mode,
        citations=len(result.citations),
    )
