"""``reportbot docs``: the ingested documents with their article and chunk counts."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from bot.cli.support import DataDir, console, open_services


def docs(data_dir: DataDir = None) -> None:
    """List documents with their chunk counts."""
    services = open_services(data_dir)
    table = Table("doc id", "source", "title", "articles", "chunks", "指令隔离", "ingested")
    for column in table.columns[:3]:
        column.overflow = "fold"  # ids and file names must stay whole to be copied into `delete`
    for d in services.library.documents():
        table.add_row(
            d.doc_id,
            escape(d.source),
            escape(d.title),
            str(d.articles),
            str(d.chunks),
            str(d.instructions),
            d.ingested_at[:16],
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add ``docs`` to the ``reportbot`` app."""
    app.command("docs")(docs)
