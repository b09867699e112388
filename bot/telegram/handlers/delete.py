"""``/delete DOC`` (admin): remove a document (by source name or document id) from the knowledge base.

A document uploaded through the chat also loses its saved file, so deleted internal documents do not linger.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from bot.telegram.handlers.upload import UPLOADS_DIR
from retrieval.errors import ReportbotError, UnknownDocumentError

if TYPE_CHECKING:
    from telegram import Update

    from bot.telegram.state import BotContext

USAGE = "用法：/delete 文件名或文档 ID（发送 /docs 查看）。"
DELETED = "已删除《{title}》（{source}），共 {chunks} 个段落。"
UNKNOWN = "没有找到文档“{doc}”。发送 /docs 查看文档列表。"
FAILED = "删除失败：{reason}"


async def delete(update: Update, context: BotContext) -> None:
    """Delete one document and say what went."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    doc = " ".join(context.args or []).strip()
    if not doc:
        await message.reply_text(USAGE)
        return
    data = context.bot_data

    def record(outcome: str) -> None:
        data.audit.record(
            user_id=user.id, chat_id=message.chat_id, action="delete", outcome=outcome, what=doc
        )

    try:
        async with data.ingest_lock:
            info = await asyncio.to_thread(context.services.ingest.delete, doc)
    except UnknownDocumentError:
        record("unknown")
        await message.reply_text(UNKNOWN.format(doc=doc))
        return
    except ReportbotError as exc:
        record("failed")
        await message.reply_text(FAILED.format(reason=str(exc)))
        return
    await asyncio.to_thread(forget_upload, Path(info.path), context.settings.data_dir / UPLOADS_DIR)
    record("deleted")
    await message.reply_text(
        DELETED.format(title=info.title or info.source, source=info.source, chunks=info.chunks)
    )


def forget_upload(path: Path, uploads: Path) -> None:
    """Remove a deleted document's file when it came in through the chat (files elsewhere are the admin's)."""
    if path.resolve().is_relative_to(uploads.resolve()):
        path.unlink(missing_ok=True)
