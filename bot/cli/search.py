"""``reportbot search``: the stored passages for a question (or one JSON array per line with ``--stdin``)."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.support import DataDir, console, err, fail, open_services, require_documents, require_text
from retrieval.search import TOP_K

if TYPE_CHECKING:
    from collections.abc import Sequence

    from retrieval.types import Passage


def search(
    question: Annotated[
        str | None, typer.Argument(help="问题（使用 --stdin 时省略）。", show_default=False)
    ] = None,
    top_k: Annotated[int, typer.Option("--top-k", "-k", min=1, max=100, help="返回的段落数。")] = TOP_K,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出。")] = False,
    stdin: Annotated[
        bool, typer.Option("--stdin", help="从标准输入每行读一个问题，每个问题输出一行 JSON 数组。")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """检索原文段落（按相关度排序，显示报告原文）。"""
    if stdin == (question is not None):
        raise fail("请给出一个问题，或使用 --stdin（二者选一）", 2)
    if not stdin:
        question = require_text(
            question, '问题为空：请输入要检索的内容，例如 reportbot search "家庭医生签约"'
        )
    services = open_services(data_dir)
    require_documents(services)
    questions = (line.strip() for line in sys.stdin) if stdin else iter([question or ""])
    for q in questions:
        if not q:
            continue
        passages = services.searcher.search(q, k=top_k)
        notice = getattr(passages, "notice", "")  # keyword search alone (the embeddings server is down)
        if notice:  # said on stderr: the JSON on stdout keeps its shape
            err.print(notice, markup=False, style="yellow")
        if as_json or stdin:
            print(json.dumps([p.to_json() for p in passages], ensure_ascii=False), flush=True)
            continue
        _print_passages(passages)


def _print_passages(passages: Sequence[Passage]) -> None:
    """Each passage: title, heading path, chunk id and score, then its text."""
    from rich.markup import escape

    for i, p in enumerate(passages, 1):
        c = p.chunk
        console.print(
            f"[bold]{i}. {escape(c.display_title)}[/bold] · {escape(c.heading)}  [dim]{c.chunk_id} {p.score:.4f}[/dim]"
        )
        console.print(escape(c.text))
        console.print()


def register(app: typer.Typer) -> None:
    """Add ``search`` to the ``reportbot`` app."""
    app.command("search")(search)
