"""``reportbot ingest``: progress on stderr in a terminal, and how many chunks were embedded anew or reused."""

from __future__ import annotations

import io
import re
import shutil
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from bot.cli import app, progress
from bot.cli.support import CliConsole
from tests.bot.cli.conftest import LONG_SOURCE

if TYPE_CHECKING:
    from pathlib import Path

runner = CliRunner()


@pytest.fixture
def copies(kb: Path, report_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    """(a copy of the session's knowledge base, a copy of its report folder)."""
    shutil.copytree(kb, tmp_path / "data")
    shutil.copytree(report_dir, tmp_path / "docs")
    return tmp_path / "data", tmp_path / "docs"


def ingest(data: Path, docs: Path, *extra: str) -> str:
    result = runner.invoke(app, ["ingest", str(docs), *extra, "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_editing_one_sentence_re_embeds_one_chunk_and_reuses_the_rest(copies: tuple[Path, Path]) -> None:
    data, docs = copies
    report = docs / LONG_SOURCE
    report.write_text(
        report.read_text(encoding="utf-8").replace("签约率31.5%", "签约率31.5%，经复核无误"), "utf-8"
    )
    out = ingest(data, docs, "--replace")  # the copied folder is another path for the same source names
    assert f"~ {LONG_SOURCE}" in out
    embedded = re.search(r"嵌入 (\d+) 段（新计算 (\d+)，缓存复用 (\d+)）", out)
    assert embedded, out
    total, new, reused = map(int, embedded.groups())
    assert new == 1
    assert reused == total - 1 > 0


def test_an_unchanged_folder_embeds_nothing_and_force_reuses_every_vector(copies: tuple[Path, Path]) -> None:
    data, docs = copies
    assert "嵌入 0 段（新计算 0，缓存复用 0）" in ingest(data, docs)
    forced = re.search(
        r"嵌入 (\d+) 段（新计算 0，缓存复用 (\d+)）", ingest(data, docs, "--force", "--replace")
    )
    assert forced
    assert forced.group(1) == forced.group(2) != "0"


def test_progress_goes_to_a_terminal_on_stderr_and_never_to_a_pipe(
    copies: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, docs = copies
    report = docs / LONG_SOURCE
    report.write_text(report.read_text(encoding="utf-8") + "\n（三）新增一段。\n", "utf-8")
    screen = io.StringIO()
    monkeypatch.setattr(progress, "err", CliConsole(file=screen, force_terminal=True, width=120))
    out = ingest(data, docs, "--replace")  # the copied folder is another path for the same source names
    assert "导入" in screen.getvalue()
    assert "嵌入" in screen.getvalue()  # the chunks of the file being embedded
    assert "\x1b[" not in out  # stdout (a pipe here) stays plain


def test_without_a_terminal_there_is_no_progress_at_all(copies: tuple[Path, Path]) -> None:
    data, docs = copies
    (docs / "second.txt").write_text(
        "二〇二四年工作要点\n\n一、重点工作\n（一）完成3所乡镇卫生院改扩建。\n", "utf-8"
    )
    result = runner.invoke(app, ["ingest", str(docs), "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    assert "导入 " not in result.stderr
