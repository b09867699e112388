"""``/help``: how to ask, with examples; admins also see the admin commands."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.constants import ParseMode

if TYPE_CHECKING:
    from telegram import Update

    from bot.telegram.state import BotContext

HELP_TEXT = (
    "<b>怎么提问</b>\n"
    "直接发送问题即可，例如：\n"
    "• 上半年手足口病防控做了什么？\n"
    "• 下半年传染病防控工作有什么计划？\n"
    "• 慢性病管理存在哪些问题？\n"
    "可以接着追问，例如“那下半年呢？”。\n"
    "在群里请 @{username} 提问，或直接回复我的消息。\n\n"
    "<b>命令</b>\n"
    "/draft 主题 —— 起草计划或总结初稿（附 Word 文件），例如 /draft 下半年传染病防控工作计划\n"
    "/sources 重新显示上一条回答的来源\n"
    "/help 显示本帮助"
)

ADMIN_HELP = (
    "\n\n<b>管理员</b>\n"
    "直接发送文件（txt、md、docx、pdf、html，不超过 20 MB）即可导入；同名文件会更新原文档。\n"
    "/docs 文档列表\n"
    "/delete 文件名或文档 ID —— 删除文档\n"
    "/reindex 重建索引（后台运行，完成后通知）\n"
    "/stats 统计：文档数、段落数、已回答问题数、最近导入"
)


async def help_command(update: Update, context: BotContext) -> None:
    """Explain how to ask, with examples."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    text = HELP_TEXT.format(username=context.bot.username)
    if context.bot_data.access.is_admin(user.id):
        text += ADMIN_HELP
    await message.reply_text(text, parse_mode=ParseMode.HTML)
