"""``reportbot draft``: a cited first draft of a plan, summary or paragraph, as text, JSON, .md or .docx.

Registered by ``bot.cli`` (``COMMANDS``); the drafting lives in ``retrieval.drafting``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.support import DataDir, console, err, fail, open_services, require_documents

if TYPE_CHECKING:
    from retrieval.drafting.types import Draft

OUTPUT_SUFFIXES = (".docx", ".md")


def write_draft(result: Draft, path: Path) -> None:
    """Write the draft as .docx or Markdown, chosen by the file's suffix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".docx":
        from bot.chat.render.docx import draft_to_docx

        path.write_bytes(draft_to_docx(result))
    else:
        from bot.chat.render.draft_text import render_draft_markdown

        path.write_text(render_draft_markdown(result), encoding="utf-8")


def draft(
    request: Annotated[
        str, typer.Argument(help="起草要求，例如 下半年传染病防控工作计划", show_default=False)
    ],
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出草稿。")] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="同时把草稿写入文件（.docx 或 .md）。", show_default=False),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """依据报告起草计划、总结或段落，每条都标注出处；可另存为 .docx 或 .md。"""
    from bot.chat.render.draft_text import render_draft_text
    from retrieval.errors import ReportbotError

    if output is not None and output.suffix.lower() not in OUTPUT_SUFFIXES:
        raise fail(f"不支持的输出格式 {output.suffix or output.name}：请用 .docx 或 .md", 2)
    services = open_services(data_dir)
    require_documents(services)
    try:
        result = services.drafts.draft(request)
    except ReportbotError as exc:
        raise fail(str(exc)) from None
    if output is not None:
        write_draft(result, output)
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        console.print(render_draft_text(result), markup=False)
    if output is not None:
        err.print(f"已保存：{output}", markup=False)


def register(app: typer.Typer) -> None:
    """Add ``draft`` to the ``reportbot`` app."""
    app.command("draft")(draft)
