"""``reportbot search``: the stored passages for a question (or one JSON array per line with ``--stdin``)."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.markup import escape

from bot.cli.support import DataDir, console, err, open_services


def search(
    question: Annotated[str | None, typer.Argument(help="The question (omit with --stdin).")] = None,
    top_k: Annotated[int, typer.Option("--top-k", "-k", min=1, max=100)] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    stdin: Annotated[
        bool, typer.Option("--stdin", help="One question per line; one JSON array per line.")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Search passages (chunks exactly as stored, original characters)."""
    if stdin == (question is not None):
        err.print("[red]give a QUESTION or --stdin (not both)[/red]")
        raise typer.Exit(2)
    services = open_services(data_dir)
    questions = (line.strip() for line in sys.stdin) if stdin else iter([question or ""])
    for q in questions:
        if not q:
            continue
        passages = services.searcher.search(q, k=top_k)
        if as_json or stdin:
            print(json.dumps([p.to_json() for p in passages], ensure_ascii=False), flush=True)
            continue
        for i, p in enumerate(passages, 1):
            c = p.chunk
            console.print(
                f"[bold]{i}. {escape(c.doc_title)}[/bold] · {escape(c.heading)}  [dim]{c.chunk_id} {p.score:.4f}[/dim]"
            )
            console.print(escape(c.text), highlight=False)
            console.print()


def register(app: typer.Typer) -> None:
    """Add ``search`` to the ``reportbot`` app."""
    app.command("search")(search)
