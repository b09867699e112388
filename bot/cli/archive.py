"""``reportbot export FILE`` / ``reportbot import FILE``: back up, restore or move the knowledge base.

Registered by ``bot.cli`` (``COMMANDS``): export reads through ``services.library``, import writes through
``services.ingest``; the archive format lives in ``ingest.archive``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.progress import step_progress
from bot.cli.support import DataDir, console, fail, open_services


def export_command(
    file: Annotated[
        Path, typer.Argument(help="要写入的备份文件，例如 backup-2024-06-30.tar.gz。", show_default=False)
    ],
    with_embeddings: Annotated[
        bool,
        typer.Option(
            "--with-embeddings",
            help="同时导出向量（文件更大；导入时若嵌入模型相同则无需重新嵌入）。",
        ),
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """把全部文档的段落和元数据导出为可移植的备份文件。"""
    from retrieval.errors import ReportbotError

    services = open_services(data_dir)
    try:
        manifest = services.library.export(file, with_embeddings=with_embeddings)
    except (ReportbotError, OSError) as exc:
        raise fail(f"导出失败：{exc}") from None
    size = file.stat().st_size / 1e6
    vectors = "（含向量）" if with_embeddings else ""
    console.print(
        f"已导出 {manifest['documents']} 篇文档、{manifest['chunks']} 段{vectors} → {file}（{size:.1f} MB）",
        markup=False,
    )


def import_command(
    file: Annotated[Path, typer.Argument(help="reportbot export 写出的备份文件。", show_default=False)],
    prune: Annotated[bool, typer.Option(help="移除备份中没有的文档。")] = False,
    data_dir: DataDir = None,
) -> None:
    """导入备份文件（可重复执行：已有且未变的文档保持不动）。"""
    from retrieval.errors import ReportbotError

    if not file.is_file():
        raise fail(f"找不到备份文件：{file}", 2)
    services = open_services(data_dir)
    with step_progress("导入备份", unit="段") as progress:
        services.embedder.listener = progress.embedding
        try:
            report = services.ingest.import_archive(file, prune=prune, data_dir=services.settings.data_dir)
        except ReportbotError as exc:
            raise fail(str(exc)) from None
        finally:
            services.embedder.listener = None
    meter = services.embedder
    vectors = (
        "向量取自备份"
        if report.vectors_reused
        else f"在本机嵌入（新计算 {meter.embedded}，缓存复用 {meter.reused}）"
    )
    console.print(
        f"新增 {len(report.added)}，更新 {len(report.updated)}，未变 {len(report.unchanged)}，"
        f"移除 {len(report.pruned)}；{report.chunks} 段（{vectors}）；"
        f"知识库共 {services.library.chunk_count()} 段（{report.seconds:.1f} 秒）",
        markup=False,
    )


def register(app: typer.Typer) -> None:
    """Add ``export`` and ``import`` to the ``reportbot`` app."""
    app.command("export")(export_command)
    app.command("import")(import_command)
