"""``reportbot draft``: a cited first draft of a plan, summary or paragraph, as text, JSON, .md or .docx.

Registered by ``bot.cli`` (``COMMANDS``); the drafting lives in ``retrieval.drafting``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from bot.cli.support import DataDir, console, err, open_services, require_documents
from retrieval.errors import ReportbotError

if TYPE_CHECKING:
    from retrieval.types import Draft

OUTPUT_SUFFIXES = (".docx", ".md")


def write_draft(result: Draft, path: Path) -> None:
    """Write the draft as .docx or Markdown, chosen by the file's suffix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".docx":
        from bot.docx_export import draft_to_docx

        path.write_bytes(draft_to_docx(result))
    else:
        from bot.chat.render.draft_text import render_draft_markdown

        path.write_text(render_draft_markdown(result), encoding="utf-8")


def draft(
    request: Annotated[str, typer.Argument(help="What to draft, e.g. 下半年传染病防控工作计划")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the Draft as JSON.")] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Also write the draft to FILE (.docx or .md).")
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Draft a plan, summary or paragraph from the reports, every point cited."""
    from bot.chat.render.draft_text import render_draft_text

    if output is not None and output.suffix.lower() not in OUTPUT_SUFFIXES:
        err.print(f"[red]不支持的输出格式 {escape(output.suffix or output.name)}：请用 .docx 或 .md[/red]")
        raise typer.Exit(2)
    services = open_services(data_dir)
    require_documents(services)
    try:
        result = services.drafts.draft(request)
    except ReportbotError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(1) from None
    if output is not None:
        write_draft(result, output)
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        console.print(escape(render_draft_text(result)), highlight=False, soft_wrap=True)
    if output is not None:
        err.print(f"已保存：{escape(str(output))}")


def register(app: typer.Typer) -> None:
    """Add ``draft`` to the ``reportbot`` app."""
    app.command("draft")(draft)
