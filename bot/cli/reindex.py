"""``reportbot reindex``: re-read every document from the file it was ingested from and rebuild the BM25 index.

For after an upgrade of the parser or the tokeniser; unchanged chunks keep their cached vectors. Progress on
stderr in a terminal; exit code 1 when any document could not be re-read (its old version stays).
"""

from __future__ import annotations

import typer

from bot.cli.ingest import print_report
from bot.cli.progress import step_progress
from bot.cli.support import DataDir, fail, open_services


def reindex(data_dir: DataDir = None) -> None:
    """重新解析全部文档（从导入时的文件路径读取）并重建检索索引；任一文档失败时退出码为 1。"""
    from retrieval.errors import ReportbotError

    services = open_services(data_dir)
    with step_progress("重建索引", unit="篇") as progress:
        services.embedder.listener = progress.embedding
        try:
            report = services.ingest.reindex(progress=progress.step)
        except ReportbotError as exc:
            raise fail(str(exc)) from None
        finally:
            services.embedder.listener = None
    print_report(report, services)
    if report.failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``reindex`` to the ``reportbot`` app."""
    app.command("reindex")(reindex)
