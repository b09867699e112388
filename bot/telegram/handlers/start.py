"""``/start``: a short greeting that says what the bot does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.constants import ParseMode

if TYPE_CHECKING:
    from telegram import Update

    from bot.telegram.state import BotContext

START_TEXT = (
    "您好！我是<b>工作报告助手</b>。\n\n"
    "直接发送问题，我会在已导入的工作总结、工作计划中查找答案，并用 [1]、[2] 标出处；"
    "点击回答下方的按钮可查看原文段落。\n\n"
    "发送 /help 查看提问示例。"
)


async def start(update: Update, context: BotContext) -> None:
    """Greet the user."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(START_TEXT, parse_mode=ParseMode.HTML)
