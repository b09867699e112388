"""The ``reportbot`` command line: one module per command under ``bot/cli/``, each exposing ``register(app)``.

``COMMANDS`` lists them in the order ``reportbot --help`` shows them, with the module that registers each and
its one-line help; adding a command means adding its row here. A command's module is imported only when that
command runs (``bot.cli.lazy``), so ``reportbot --help`` answers at once. ``main`` is the console-script entry
point (``reportbot = "bot.cli:main"``).
"""

from __future__ import annotations

import typer

from bot.cli.lazy import CommandSpec, LazyGroup
from bot.cli.logs import quiet_terminal
from bot.cli.support import console, err

__all__ = ["COMMANDS", "app", "console", "err", "main"]

COMMANDS: dict[str, CommandSpec] = {
    "ingest": CommandSpec("bot.cli.ingest", "导入报告（增量：未改动的文件不重复处理）。"),
    "docs": CommandSpec("bot.cli.docs", "列出知识库中的文档及其篇数、段数。"),
    "delete": CommandSpec("bot.cli.delete", "按文档 id 或文件名删除文档。"),
    "reindex": CommandSpec("bot.cli.reindex", "重新解析全部文档并重建检索索引。"),
    "search": CommandSpec("bot.cli.search", "检索原文段落（按相关度排序）。"),
    "ask": CommandSpec("bot.cli.ask", "提问，回答中每句都标注出处。"),
    "eval": CommandSpec("bot.cli.evaluate", "用问题集评估检索和回答质量。"),
    "draft": CommandSpec("bot.cli.draft", "依据报告起草计划、总结或段落，每条都标注出处。"),
    "doctor": CommandSpec("bot.cli.doctor", "检查配置：数据目录、令牌、嵌入模型、知识库、大模型。"),
    "export": CommandSpec("bot.cli.archive", "把知识库导出为备份文件。"),
    "import": CommandSpec("bot.cli.archive", "从备份文件导入知识库。"),
    "serve": CommandSpec("bot.cli.serve", "运行聊天机器人（已配置的各个前端）。"),
    "web": CommandSpec("bot.cli.web", "运行网页管理台。"),
    "user": CommandSpec("bot.cli.user", "管理网页管理台的账户。"),
    "audit": CommandSpec("bot.cli.audit", "校验审计日志。"),
}


class ReportbotGroup(LazyGroup):
    """The ``reportbot`` group: the commands of ``COMMANDS``."""

    specs = COMMANDS


app = typer.Typer(
    cls=ReportbotGroup,
    help="reportbot：把卫生局的工作总结、工作计划变成可引用的知识库。\n\n"
    "每个命令都可加 --help 查看用法，例如 reportbot ask --help。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """reportbot：把卫生局的工作总结、工作计划变成可引用的知识库。"""


def main() -> None:
    """Console-script entry point: exit 0 all good, 1 a requested step failed, 2 usage or configuration error."""
    quiet_terminal()  # the log goes to the data dir (bot.cli.logs); the terminal gets the Chinese messages
    app()
