"""``reportbot draft`` on a real index of the shared corpus: JSON, Markdown and .docx output."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from docx import Document
from typer.testing import CliRunner

from bot.cli import app
from retrieval.drafting.outline import heading_level
from tests.conftest import TRADITIONAL_REPORT

if TYPE_CHECKING:
    from pathlib import Path

runner = CliRunner()
REQUEST = "下半年传染病防控工作计划"


@pytest.fixture(scope="module")
def data_dir(corpus_services) -> Path:
    """The data dir of the session's corpus index (``<data>/lexical/<collection>``)."""
    return corpus_services.lexical.directory.parents[1]


def test_draft_json_has_the_documented_shape(data_dir: Path) -> None:
    result = runner.invoke(app, ["draft", REQUEST, "--json", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    draft = json.loads(result.stdout)
    assert set(draft) == {"title", "mode", "sections", "citations", "flags"}
    assert draft["mode"] == "extractive"
    assert draft["title"].startswith(REQUEST)
    assert all(set(s) == {"heading", "paragraphs"} for s in draft["sections"])
    assert all(set(p) == {"text", "citations"} for s in draft["sections"] for p in s["paragraphs"])
    headings = [s["heading"] for s in draft["sections"] if s["heading"]]
    assert headings[0] == "一、上半年工作回顾"
    assert "（一）" in "".join(headings)
    citations = draft["citations"]
    assert all(
        set(c)
        == {"n", "chunk_id", "source", "title", "heading_path", "text", "unit", "date", "doc_number"}
        | {"source_kind", "low_confidence"}  # a passage read from a scan, and read with low confidence
        for c in citations
    )
    assert [c["n"] for c in citations] == list(range(1, len(citations) + 1))
    assert TRADITIONAL_REPORT in {c["source"] for c in citations}
    cited = {n for s in draft["sections"] for p in s["paragraphs"] for n in p["citations"]}
    assert cited == {c["n"] for c in citations}


def test_draft_text_output_and_markdown_file(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.md"
    result = runner.invoke(app, ["draft", REQUEST, "-o", str(out), "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{REQUEST}（素材汇编）\n")
    assert "\n三、下半年重点工作\n（一）" in result.stdout
    assert "\n来源：\n[1] 《" in result.stdout
    markdown = out.read_text(encoding="utf-8")
    assert markdown.startswith(f"# {REQUEST}（素材汇编）")
    assert "\n## 三、下半年重点工作\n" in markdown
    assert "\n### （一）" in markdown
    assert "\n## 来源\n" in markdown


def test_draft_docx_file_opens_with_headings_and_sources(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.docx"
    result = runner.invoke(app, ["draft", REQUEST, "-o", str(out), "--json", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    draft = json.loads(result.stdout)
    document = Document(str(out))
    by_style: dict[str, list[str]] = {}
    for paragraph in document.paragraphs:
        by_style.setdefault(paragraph.style.name, []).append(paragraph.text)
    assert by_style["Title"] == [draft["title"]]
    headings = [s["heading"] for s in draft["sections"]]
    assert by_style["Heading 1"] == [*(h for h in headings if heading_level(h) == 1), "来源"]
    assert by_style["Heading 2"] == [h for h in headings if heading_level(h) == 2]
    assert len(by_style["Heading 2"]) >= 2
    texts = [p.text for p in document.paragraphs]
    sources = texts[texts.index("来源") + 1 :]
    assert len(sources) == len(draft["citations"])
    assert all(line.startswith(f"[{c['n']}] 《") for line, c in zip(sources, draft["citations"], strict=True))


def test_unsupported_output_format_is_refused(data_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["draft", REQUEST, "-o", str(tmp_path / "plan.pdf"), "--data-dir", str(data_dir)]
    )
    assert result.exit_code == 2
    assert "请用 .docx 或 .md" in result.output
    assert not (tmp_path / "plan.pdf").exists()


def test_empty_knowledge_base_says_what_to_do(tmp_path: Path) -> None:
    result = runner.invoke(app, ["draft", REQUEST, "--data-dir", str(tmp_path / "empty")])
    assert result.exit_code == 1
    assert "知识库为空" in result.output


def test_empty_request_is_refused_with_an_example(data_dir: Path) -> None:
    result = runner.invoke(app, ["draft", "  ", "--data-dir", str(data_dir)])
    assert result.exit_code == 1
    assert "请说明要起草的内容" in result.output
