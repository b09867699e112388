"""Admin upload: a document sent to the bot is size-checked, downloaded, type-checked, saved and ingested."""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import TYPE_CHECKING

from telegram.error import TelegramError

from bot.telegram.uploads import MAX_DOWNLOAD_BYTES, content_problem, safe_file_name
from ingest.load import SUPPORTED_SUFFIXES
from retrieval.errors import ReportbotError

if TYPE_CHECKING:
    from pathlib import Path

    from telegram import Message, Update

    from bot.services import Services
    from bot.telegram.state import BotContext

logger = logging.getLogger(__name__)

UPLOADS_DIR = "uploads"
UNSUPPORTED = "不支持的文件类型（{suffix}）。可以上传 txt、md、docx、pdf、html 文件。"
TOO_BIG = "文件太大（{size:.1f} MB）：机器人最多只能下载 20 MB 的文件。"
RECEIVING = "已收到 {name}，正在导入…"
WAITING = "正在等待另一项导入完成…"
DOWNLOAD_FAILED = "下载文件失败：{reason}"
REJECTED = "未导入 {name}：{reason}"
ADDED = "已导入 {name}：{articles} 篇文章，{chunks} 个段落。"
UPDATED = "已更新 {name}：{articles} 篇文章，{chunks} 个段落（替换了旧版本）。"
UNCHANGED = "{name} 与已导入的版本相同，无需更新。"
FAILED = "未能导入 {name}：{reason}"


async def upload(update: Update, context: BotContext) -> None:
    """Ingest the document an admin sent and say what was added, or exactly why not."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.document is None:
        return
    document = message.document
    name = safe_file_name(document.file_name or "")
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    audit = context.bot_data.audit

    def record(outcome: str, **extra: object) -> None:
        audit.record(
            user_id=user.id, chat_id=message.chat_id, action="upload", outcome=outcome, what=name, **extra
        )

    if suffix not in SUPPORTED_SUFFIXES:
        record("unsupported")
        await message.reply_text(UNSUPPORTED.format(suffix=suffix or "无扩展名"))
        return
    if document.file_size is not None and document.file_size > MAX_DOWNLOAD_BYTES:
        record("too_big", size=document.file_size)
        await message.reply_text(TOO_BIG.format(size=document.file_size / 1024 / 1024))
        return

    status = await message.reply_text(RECEIVING.format(name=name))
    uploads = context.settings.data_dir / UPLOADS_DIR
    incoming = uploads / ".incoming" / f"{uuid.uuid4().hex}{suffix}"
    await asyncio.to_thread(incoming.parent.mkdir, parents=True, exist_ok=True)
    try:
        telegram_file = await context.bot.get_file(document.file_id)
        await telegram_file.download_to_drive(incoming)
    except TelegramError as exc:
        await asyncio.to_thread(incoming.unlink, missing_ok=True)
        record("download_failed", error=type(exc).__name__)
        await _say(status, DOWNLOAD_FAILED.format(reason=exc.message))
        return
    problem = await asyncio.to_thread(content_problem, incoming, suffix)
    if problem is not None:
        await asyncio.to_thread(incoming.unlink, missing_ok=True)
        record("rejected", reason=problem)
        await _say(status, REJECTED.format(name=name, reason=problem))
        return

    lock = context.bot_data.ingest_lock
    if lock.locked():
        await _say(status, WAITING)
    async with lock:
        text, outcome = await asyncio.to_thread(_ingest, context.services, incoming, uploads / name, name)
    record(outcome)
    await _say(status, text)


def _ingest(services: Services, incoming: Path, target: Path, name: str) -> tuple[str, str]:
    """Move the checked file into place and ingest it (in a worker thread); a failed replacement puts the old file back."""
    backup = target.with_name(f".{target.name}.previous")
    if target.exists():
        target.replace(backup)
    incoming.replace(target)
    failure: str | None = None
    try:
        result = services.ingest.ingest_file(target, source=name)
        if result.status == "failed":
            failure = result.error or "未知原因"
    except ReportbotError as exc:
        logger.warning("upload ingest failed source=%s error=%s", name, type(exc).__name__)
        failure = getattr(exc, "reason", None) or str(exc) or "未知原因"
    if failure is not None:
        target.unlink(missing_ok=True)
        if backup.exists():
            backup.replace(target)
        return FAILED.format(name=name, reason=failure), "failed"
    backup.unlink(missing_ok=True)
    template = {"added": ADDED, "updated": UPDATED}.get(result.status, UNCHANGED)
    return template.format(name=name, articles=result.articles, chunks=result.chunks), result.status


async def _say(status: Message, text: str) -> None:
    await status.edit_text(text)
