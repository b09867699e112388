"""The Chinese texts every front end shows; ``**bold**`` marks are turned into each format's bold."""

from __future__ import annotations

import re

START = (
    "您好！我是**工作报告助手**。\n\n"
    "直接发送问题，我会在已导入的工作总结、工作计划中查找答案，并用 [1]、[2] 标出处；"
    "点击回答下方的按钮可查看原文段落。\n\n"
    "发送 /help 查看提问示例。"
)

HELP = (
    "**怎么提问**\n"
    "直接发送问题即可，例如：\n"
    "• 上半年手足口病防控做了什么？\n"
    "• 下半年传染病防控工作有什么计划？\n"
    "• 慢性病管理存在哪些问题？\n"
    "可以接着追问，例如“那下半年呢？”。\n"
    "{group_hint}\n\n"
    "**命令**\n"
    "/draft 主题 —— 起草计划或总结初稿（附 Word 文件），例如 /draft 下半年传染病防控工作计划\n"
    "/sources 重新显示上一条回答的来源\n"
    "/help 显示本帮助"
)
GROUP_HINT = "在群里请 @{name} 提问，或直接回复我的消息。"

ADMIN_HELP = (
    "\n\n**管理员**\n"
    "直接发送文件（txt、md、docx、doc、wps、pdf、ofd、html，或扫描件图片 png、jpg、tif，不超过 {max_mb} MB）即可导入；同名文件会更新原文档。\n"
    "/docs 文档列表\n"
    "/delete 文件名或文档 ID —— 删除文档\n"
    "/reindex 重建索引（后台运行，完成后通知）\n"
    "/stats 统计：文档数、段落数、已回答问题数、最近导入"
)

EMPTY_QUESTION = "请在 @{name} 后面写上您的问题。"
QUESTION_TOO_LONG = (
    "问题太长了（{length} 字）：请控制在 {limit} 字以内，一次只问一件具体的事，"
    "例如“上半年手足口病防控做了什么？”。"
)
UNAVAILABLE = "抱歉，知识库暂时无法使用，请稍后再试。"
RATE_LIMITED = "您的请求太频繁了，请 {seconds} 秒后再试（每人每分钟最多 {limit} 次）。"
EXPIRED = "这条回答已过期，请重新提问。"
UNKNOWN_BUTTON = "这个按钮已失效，请重新提问。"
NO_SOURCES = "还没有可显示的来源，请先提问。"
APOLOGY = "抱歉，处理您的请求时出错了，请稍后再试。"
DELIVERY_FAILED = "抱歉，回答没能完整发送（网络不稳定），请稍后重新提问。"
CUT = "服务正在重启，这个问题没来得及回答完，请稍后重新提问。"
SHUTTING_DOWN = "服务正在重启，请稍后重新提问。"

DRAFT_USAGE = "请在 /draft 后写上要起草的内容，例如：\n/draft 下半年传染病防控工作计划"
DRAFT_UNAVAILABLE = "抱歉，暂时无法起草，请稍后再试。"
DOCX_CAPTION = "Word 文档（可用 WPS 或 Word 打开编辑）"

DOCS_EMPTY = "知识库中还没有文档。直接发送文件即可导入。"
DELETE_USAGE = "用法：/delete 文件名或文档 ID（发送 /docs 查看）。"
DELETED = "已删除《{title}》（{source}），共 {chunks} 个段落。"
DELETE_UNKNOWN = "没有找到文档“{doc}”。发送 /docs 查看文档列表。"
DELETE_FAILED = "删除失败：{reason}"
REINDEX_RUNNING = "重建索引正在进行中，完成后会通知您。"
REINDEX_STARTED = "开始重建索引，完成后会通知您。"
REINDEX_CRASHED = "重建索引失败：{reason}"
INTERNAL_ERROR = "服务器出了问题，详情见服务器日志。"


def help_text(mention_name: str, *, admin: bool, max_upload_mb: int) -> str:
    """``/help`` with ``**bold**`` marks: how to ask, and the admin commands for admins."""
    text = HELP.format(group_hint=GROUP_HINT.format(name=mention_name))
    return text + ADMIN_HELP.format(max_mb=max_upload_mb) if admin else text


_WORD_CHARACTER = re.compile(r"\w")


def question_too_long(question: str, limit: int) -> str | None:
    """The reply to a question longer than ``limit`` characters (spaces at the ends not counted), else None.

    A question with no word at all (5,000 emoji) is not "too long" but empty: the answer service asks for a
    real question.
    """
    length = len(question.strip())
    if length <= limit or not _WORD_CHARACTER.search(question):
        return None
    return QUESTION_TOO_LONG.format(length=length, limit=limit)
