"""``reportbot docs``: the ingested documents with their article and chunk counts, issuing unit, date and 文号.

In a terminal a rich table; piped or redirected, one tab-separated line per document (doc id, source, title,
articles, chunks, quarantined, ingested, unit, date, 文号, 来源 (扫描件识别 for a scan): new columns go last), so ids and names stay whole for
``delete`` and scripts; ``--json`` for programs.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from bot.cli.support import DataDir, console, err, open_services
from retrieval.types import date_label, scan_note

QUARANTINE_MARK = "【已隔离】"
QUARANTINE_HEADER = "以下句子被判定为写给大模型的指令，已隔离：不会被引用、展示或发给大模型（仅管理员可见）。"
NONE_QUARANTINED = "没有被隔离的句子。"
COLUMNS = (
    "文档 id",
    "文件名",
    "标题",
    "篇数",
    "段数",
    "指令隔离",
    "导入时间",
    "发文单位",
    "成文日期",
    "文号",
    "来源",
)
JSON_FIELDS = (
    "doc_id",
    "source",
    "title",
    "articles",
    "chunks",
    "instructions",
    "ingested_at",
    "unit",
    "date",
    "year",
    "doc_number",
    "source_kind",
    "low_confidence",
)


def docs(
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出文档列表。")] = False,
    quarantined: Annotated[
        bool, typer.Option("--quarantined", help="列出每个文档中被隔离的疑似指令句子（标注【已隔离】）。")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """列出知识库中的文档及其篇数、段数、发文单位、成文日期和文号（管道输出时每行一篇，以制表符分隔）。"""
    library = open_services(data_dir).library
    if quarantined:
        _print_quarantined(library.quarantined(), as_json=as_json)
        return
    documents = library.documents()
    if as_json:
        print(json.dumps([{f: getattr(d, f) for f in JSON_FIELDS} for d in documents], ensure_ascii=False))
        return
    if not documents:
        err.print("知识库为空：请先运行 reportbot ingest <文件或目录>", markup=False)
        return
    rows = [
        (
            d.doc_id,
            d.source,
            d.title,
            str(d.articles),
            str(d.chunks),
            str(d.instructions),
            d.ingested_at[:16].replace("T", " "),
            d.unit,
            date_label(d.date),
            d.doc_number,
            scan_note(d.source_kind),
        )
        for d in documents
    ]
    if not console.is_terminal:
        for row in rows:
            print("\t".join(" ".join(cell.split()) for cell in row))
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(*COLUMNS)
    for column in table.columns[:3]:
        column.overflow = "fold"  # ids and file names must stay whole to be copied into `delete`
    for row in rows:
        table.add_row(*map(escape, row))
    console.print(table)


def _print_quarantined(found: dict[str, list[str]], *, as_json: bool) -> None:
    """Each document's quarantined sentences, marked, one per line (or ``{source: [sentences]}`` as JSON)."""
    if as_json:
        print(json.dumps(found, ensure_ascii=False))
        return
    if not found:
        print(NONE_QUARANTINED)
        return
    print(QUARANTINE_HEADER)
    for source, sentences in found.items():
        print(f"\n{source}")
        for sentence in sentences:
            print(f"  {QUARANTINE_MARK}{' '.join(sentence.split())}")


def register(app: typer.Typer) -> None:
    """Add ``docs`` to the ``reportbot`` app."""
    app.command("docs")(docs)
