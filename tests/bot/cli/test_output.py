"""Piped output of ``ask``, ``search`` and ``docs``: plain text, never hard-wrapped, so figures and ids stay whole."""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING

from tests.bot.cli.conftest import LONG_SENTENCE, LONG_SOURCE, run_cli

if TYPE_CHECKING:
    from pathlib import Path

FIGURES = ("下降8.2%", "下降15.6%", "9批次1500人次", "38,426剂次", "98.7%")


def test_piped_search_prints_each_passage_on_one_line_with_its_chunk_id(kb: Path) -> None:
    result = run_cli("search", "传染病发病率下降", "-k", "1", "--data-dir", str(kb))
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(LONG_SENTENCE in line for line in lines), result.stdout  # 100+ columns, not cut at 80
    assert all(figure in result.stdout for figure in FIGURES)
    [hit] = json.loads(
        run_cli("search", "传染病发病率下降", "-k", "1", "--json", "--data-dir", str(kb)).stdout
    )
    assert any(hit["chunk_id"] in line for line in lines)
    assert "[bold]" not in result.stdout
    assert "\x1b[" not in result.stdout


def test_piped_ask_keeps_long_figure_sentences_whole(kb: Path) -> None:
    result = run_cli("ask", "上半年传染病发病率下降了多少", "--data-dir", str(kb))
    assert result.code == 0, result.stderr
    answer_lines = [line for line in result.stdout.splitlines() if "8.2%" in line]
    assert answer_lines, result.stdout
    assert all("下降8.2%" in line for line in answer_lines)
    assert any(len(line) > 80 for line in answer_lines)  # the sentence was not wrapped at 80 columns
    assert LONG_SOURCE in result.stdout  # the source line names the whole file


def test_piped_docs_prints_one_tab_separated_line_per_document(kb: Path) -> None:
    result = run_cli("docs", "--data-dir", str(kb))
    assert result.code == 0, result.stderr
    [line] = result.stdout.splitlines()
    [doc] = json.loads(run_cli("docs", "--json", "--data-dir", str(kb)).stdout)
    fields = line.split("\t")
    assert fields[:5] == [doc["doc_id"], LONG_SOURCE, doc["title"], str(doc["articles"]), str(doc["chunks"])]


def test_a_doc_id_copied_from_piped_docs_deletes_the_document(kb: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(kb, data)
    doc_id = run_cli("docs", "--data-dir", str(data)).stdout.split("\t")[0]
    result = run_cli("delete", doc_id, "--data-dir", str(data))
    assert result.code == 0, result.stderr
    assert f"已删除 {doc_id} {LONG_SOURCE}" in result.stdout
    assert run_cli("docs", "--data-dir", str(data)).stdout == ""
