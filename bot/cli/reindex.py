"""``reportbot reindex``: re-read every document from the file it was ingested from and rebuild the BM25 index.

For after an upgrade of the parser or the tokeniser; unchanged chunks keep their cached vectors. Progress on
stderr in a terminal; exit code 1 when any document could not be re-read (its old version stays).
"""

from __future__ import annotations

import typer

from bot.cli.ingest import run_and_report
from bot.cli.support import DataDir


def reindex(data_dir: DataDir = None) -> None:
    """重新解析全部文档（从导入时的文件路径读取）并重建检索索引；任一文档失败时退出码为 1。"""
    run_and_report(
        data_dir, "重建索引", "篇", lambda services, progress: services.ingest.reindex(progress=progress)
    )


def register(app: typer.Typer) -> None:
    """Add ``reindex`` to the ``reportbot`` app."""
    app.command("reindex")(reindex)
