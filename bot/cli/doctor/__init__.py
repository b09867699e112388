"""``reportbot doctor``: checks a deployment's configuration, one line per check with a fix hint.

Registered by ``bot.cli`` (``COMMANDS``). Each check is a small function over ``Settings`` returning a
``Check`` (``check``); a failed check never stops the others, and the exit code is 1 when any failed. The parts
checked are built with the composition root's factories (``bot.services``), one at a time, exactly as the
services are. The checks are grouped by what they look at: ``frontends``, ``models``, ``store``, ``readers``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from bot.cli.doctor.check import Check
from bot.cli.doctor.frontends import check_dingtalk, check_telegram, check_wecom
from bot.cli.doctor.models import check_llm, check_rerank, load_embedder
from bot.cli.doctor.readers import check_file_readers
from bot.cli.doctor.store import check_chroma_server, check_data_dir, check_store, check_store_model
from bot.cli.support import DataDir, console, load_settings

if TYPE_CHECKING:
    from bot.settings import Settings


def run_checks(settings: Settings) -> list[Check]:
    """Every check, in the order an operator would fix them."""
    checks = [
        check_data_dir(settings),
        check_wecom(settings),
        check_dingtalk(settings),
        check_telegram(settings),
    ]
    embedder, embeddings = load_embedder(settings)
    server = check_chroma_server(settings)
    checks += [embedder, server, check_store(settings, embeddings, server)]
    checks += [check_store_model(settings, embeddings, server), check_rerank(settings), check_llm(settings)]
    checks.append(check_file_readers())
    return checks


def doctor(
    data_dir: DataDir = None,
) -> None:
    """检查配置：数据目录、聊天前端（企业微信、钉钉、Telegram）、嵌入模型或嵌入服务、知识库、重排序服务、大模型、扫描件与旧版 Word 的读取工具；每项一行，附修复提示。

    任一项未通过时退出码为 1。
    """
    checks = run_checks(load_settings(data_dir))
    for check in checks:
        console.print(check.render(), highlight=False, soft_wrap=True)
    failed = sum(c.status == "fail" for c in checks)
    if failed:
        console.print(f"[red]{failed} 项检查未通过[/red]")
        raise typer.Exit(1)
    console.print("[green]全部检查通过[/green]")


def register(app: typer.Typer) -> None:
    """Add ``doctor`` to the ``reportbot`` app."""
    app.command("doctor")(doctor)
