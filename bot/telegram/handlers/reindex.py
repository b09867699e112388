"""``/reindex`` (admin): rebuild the index in the background, reporting progress and the result."""

from __future__ import annotations

import asyncio
import html
import logging
from collections import Counter
from typing import TYPE_CHECKING

from bot.telegram.delivery import LiveMessage, send_parts
from bot.telegram.split import pack
from retrieval.errors import ReportbotError

if TYPE_CHECKING:
    from telegram import Bot, Update

    from bot.telegram.state import BotContext, BotData
    from ingest.service import IngestReport

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL_SECONDS = 2.0
RUNNING = "重建索引正在进行中，完成后会通知您。"
STARTED = "开始重建索引，完成后会通知您。"
PROGRESS = "重建索引：{done}/{total} · {source}"
DONE = (
    "<b>重建索引完成</b>：共 {total} 个文件，新增 {added}，更新 {updated}，未变 {unchanged}，失败 {failed}。"
)
FAILED_LINE = "\n• {source}：{error}"
CRASHED = "重建索引失败：{reason}"
"""Sent as plain text (no parse mode), so the reason needs no escaping."""


async def reindex(update: Update, context: BotContext) -> None:
    """Start a background rebuild of the index unless one is running."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    data = context.bot_data
    if data.reindex_task is not None and not data.reindex_task.done():
        await message.reply_text(RUNNING)
        return
    await message.reply_text(STARTED)
    data.reindex_task = context.application.create_task(
        run_reindex(context.bot, data, message.chat_id, user.id), update=update, name="reindex"
    )


async def run_reindex(bot: Bot, data: BotData, chat_id: int, user_id: int) -> None:
    """The background job: reindex under the ingest lock, edit a progress message, then report."""
    live = LiveMessage(bot, chat_id, lambda text: text, interval=PROGRESS_INTERVAL_SECONDS)

    def progress(done: int, total: int, source: str) -> None:
        where = html.escape(source, quote=False) if source else "收尾中"
        live.push_threadsafe(PROGRESS.format(done=done, total=total, source=where))

    try:
        async with data.ingest_lock:
            report = await asyncio.to_thread(data.services.ingest.reindex, progress)
    except Exception as exc:
        await live.finish()
        logger.exception("reindex failed")
        data.audit.record(
            user_id=user_id, chat_id=chat_id, action="reindex", outcome="failed", error=type(exc).__name__
        )
        reason = str(exc) if isinstance(exc, ReportbotError) else "内部错误，详情见日志。"
        await bot.send_message(chat_id, CRASHED.format(reason=reason))
        return
    await live.finish()
    counts = Counter(r.status for r in report.results)
    data.audit.record(user_id=user_id, chat_id=chat_id, action="reindex", outcome="done", **dict(counts))
    await send_parts(bot, chat_id, pack(result_units(report)))


def result_units(report: IngestReport) -> list[str]:
    """The result message: counts per outcome, then each failed file with its reason."""
    counts = Counter(r.status for r in report.results)
    units = [
        DONE.format(
            total=len(report.results),
            added=counts["added"],
            updated=counts["updated"],
            unchanged=counts["unchanged"],
            failed=counts["failed"],
        )
    ]
    units += [
        FAILED_LINE.format(
            source=html.escape(r.source, quote=False), error=html.escape(r.error or "未知原因", quote=False)
        )
        for r in report.results
        if r.status == "failed"
    ]
    return units
