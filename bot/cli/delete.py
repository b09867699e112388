"""``reportbot delete DOC``: remove a document and its chunks, by doc id or source name."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.support import DataDir, console, fail, open_services


def delete(
    doc: Annotated[str, typer.Argument(help="文档 id 或文件名（见 reportbot docs）。", show_default=False)],
    data_dir: DataDir = None,
) -> None:
    """按文档 id 或文件名删除文档及其全部段落；知识库中没有该文档时退出码为 1。"""
    from rich.markup import escape

    from retrieval.errors import ReportbotError

    services = open_services(data_dir)
    try:
        info = services.ingest.delete(doc)
    except ReportbotError as exc:
        raise fail(str(exc)) from None
    console.print(f"已删除 {info.doc_id} {escape(info.source)}（{info.chunks} 段）")


def register(app: typer.Typer) -> None:
    """Add ``delete`` to the ``reportbot`` app."""
    app.command("delete")(delete)
