"""``reportbot audit verify``: recompute the audit log's hash chain and name the first record that breaks it."""

from __future__ import annotations

import typer

from bot.cli.support import DataDir, console, fail, load_settings

audit_app = typer.Typer(help="审计日志。", no_args_is_help=True)


@audit_app.command("verify")
def verify(data_dir: DataDir = None) -> None:
    """校验审计日志的哈希链：有记录被改动或删除时指出第一处（文件和行号），退出码为 1。"""
    from bot.chat.audit import AUDIT_LOG_NAME
    from bot.chat.audit_chain import ChainFiles
    from bot.chat.audit_chain import verify as verify_chain

    settings = load_settings(data_dir)
    chain = ChainFiles(settings.data_dir / AUDIT_LOG_NAME)
    verdict = verify_chain(chain)
    if not verdict.ok:
        raise fail(f"审计日志校验失败：{verdict.file} 第 {verdict.line} 行{verdict.problem}。")
    console.print(f"审计日志完好：{verdict.records} 条记录，{verdict.files} 个文件。", markup=False)


def register(app: typer.Typer) -> None:
    """Add the ``audit`` group to the ``reportbot`` app."""
    app.add_typer(audit_app, name="audit")
