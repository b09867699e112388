"""Exit codes of every command: 0 all good, 1 anything asked for failed, 2 usage or configuration error.

Each failure also says what went wrong in one Chinese sentence on stderr, never a traceback.
"""

from __future__ import annotations

import shutil
import tarfile
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.bot.cli.conftest import LONG_SOURCE

if TYPE_CHECKING:
    from pathlib import Path

runner = CliRunner()


@pytest.fixture
def data(kb: Path, tmp_path: Path) -> Path:
    """A copy of the session's knowledge base that a test may change."""
    copy = tmp_path / "data"
    shutil.copytree(kb, copy)
    return copy


def code(*args: str, data_dir: Path | None = None, input: str | None = None) -> tuple[int, str]:
    """Exit code and everything printed (stdout and stderr) of ``reportbot ARGS``."""
    extra = ["--data-dir", str(data_dir)] if data_dir is not None else []
    result = runner.invoke(app, [*args, *extra], input=input)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_ingest_exits_1_when_any_file_of_the_batch_fails(
    data: Path, tmp_path: Path, report_dir: Path
) -> None:
    folder = tmp_path / "batch"
    shutil.copytree(report_dir, folder)
    (folder / "empty.txt").write_text("", encoding="utf-8")  # nothing to ingest in it
    (folder / "also-empty.md").write_text("   \n", encoding="utf-8")
    status, out = code("ingest", str(folder), data_dir=data)
    assert status == 1
    assert "✗ empty.txt" in out
    assert "✗ also-empty.md" in out
    assert "失败 2" in out
    assert f"= {LONG_SOURCE}" in out  # the good file is still processed


def test_ingest_exits_0_when_every_file_is_ingested(data: Path, report_dir: Path) -> None:
    assert code("ingest", str(report_dir), data_dir=data)[0] == 0


def test_ingest_of_a_missing_path_is_a_usage_error(data: Path) -> None:
    status, out = code("ingest", "/no/such/folder", data_dir=data)
    assert (status, "找不到路径：/no/such/folder" in out) == (2, True)


@pytest.mark.parametrize("question", ["", "   "])
def test_an_empty_question_fails(kb: Path, question: str) -> None:
    status, out = code("ask", question, data_dir=kb)
    assert status == 1
    assert "问题为空" in out
    assert "资料中未找到" not in out


def test_ask_exits_0_with_an_answer_and_1_on_an_empty_knowledge_base(kb: Path, tmp_path: Path) -> None:
    assert code("ask", "签约率是多少", data_dir=kb)[0] == 0
    status, out = code("ask", "签约率是多少", data_dir=tmp_path / "empty")
    assert (status, "知识库为空" in out) == (1, True)


def test_search_exit_codes(kb: Path) -> None:
    assert code("search", "签约率", data_dir=kb)[0] == 0
    assert code("search", "", data_dir=kb)[0] == 1
    assert code("search", "--stdin", "--json", data_dir=kb, input="签约率\n")[0] == 0
    status, out = code("search", "签约率", "--stdin", data_dir=kb)
    assert (status, "二者选一" in out) == (2, True)


def test_delete_exits_1_for_an_unknown_document_and_0_when_deleted(data: Path) -> None:
    status, out = code("delete", "no-such.txt", data_dir=data)
    assert (status, "知识库中没有文档 no-such.txt" in out) == (1, True)
    assert code("delete", LONG_SOURCE, data_dir=data)[0] == 0


def test_reindex_exits_1_when_a_documents_file_is_gone(tmp_path: Path, report_dir: Path) -> None:
    folder, data = tmp_path / "docs", tmp_path / "own-data"  # its own knowledge base: paths recorded here
    shutil.copytree(report_dir, folder)
    assert code("ingest", str(folder), data_dir=data)[0] == 0
    status, out = code("reindex", data_dir=data)
    assert status == 0, out
    assert f"~ {LONG_SOURCE}" in out
    (folder / LONG_SOURCE).unlink()
    status, out = code("reindex", data_dir=data)
    assert status == 1
    assert f"✗ {LONG_SOURCE}" in out


def test_docs_exits_0_even_on_an_empty_knowledge_base(tmp_path: Path) -> None:
    status, out = code("docs", data_dir=tmp_path / "empty")
    assert (status, "知识库为空" in out) == (0, True)


def test_draft_exit_codes(kb: Path, tmp_path: Path) -> None:
    assert code("draft", "  ", data_dir=kb)[0] == 1
    status, out = code("draft", "下半年工作计划", "-o", str(tmp_path / "plan.pdf"), data_dir=kb)
    assert (status, "请用 .docx 或 .md" in out) == (2, True)


def test_eval_of_a_missing_question_file_is_a_usage_error(kb: Path, tmp_path: Path) -> None:
    assert code("eval", str(tmp_path / "none.jsonl"), data_dir=kb)[0] == 2


def test_export_and_import_exit_codes(kb: Path, data: Path, tmp_path: Path) -> None:
    archive = tmp_path / "kb.tar.gz"
    assert code("export", str(archive), data_dir=kb)[0] == 0
    assert code("import", str(archive), data_dir=data)[0] == 0
    assert code("import", str(tmp_path / "missing.tar.gz"), data_dir=data)[0] == 2
    broken = tmp_path / "broken.tar.gz"
    with tarfile.open(broken, "w:gz"):
        pass  # an archive without a manifest
    status, out = code("import", str(broken), data_dir=data)
    assert status == 1, out
    (tmp_path / "file.txt").write_text("", encoding="utf-8")  # a file where a folder should be
    status, out = code("export", str(tmp_path / "file.txt" / "kb.tar.gz"), data_dir=kb)
    assert (status, "导出失败" in out) == (1, True)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["asq", "问题"], "没有命令 asq（是否想用 ask？）"),
        (["ask"], "缺少参数 QUESTION"),
        (["ask", "问题", "--bogus"], "没有选项 --bogus"),
        (["search", "签约率", "-k", "0"], "--top-k/-k 应为 1 到 100 之间的整数"),
        (["search", "签约率", "-k", "abc"], "--top-k/-k 应为 1 到 100 之间的整数"),
        (["eval", "q.jsonl", "--mode", "gpt"], "--mode 应为以下之一：extractive、llm"),
        (["ask", "上半年", "做了什么"], "多余的参数：做了什么（含空格的内容请加引号）"),
    ],
)
def test_usage_errors_exit_2_with_a_chinese_message_and_the_usage_line(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert f"错误：{message}" in result.output
    assert "--help 查看帮助" in result.output


def test_a_wrong_setting_exits_2_naming_the_variable(kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTBOT_TOP_K", "abc")
    status, out = code("docs", data_dir=kb)
    assert status == 2
    assert "配置错误：REPORTBOT_TOP_K 应为整数（当前值 abc）" in out
