"""The BM25 baseline run alone on a question file over folders of documents of any supported format."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

BENCH_DIR = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH_DIR))

import naive_baselines  # noqa: E402

from ingest.load import load_text  # noqa: E402

if TYPE_CHECKING:
    import pytest

GB_TEXT = "梧桐县全年共接种各类疫苗11.6万剂次，适龄儿童免疫规划疫苗接种率达到98.6%。"
DOCX_TEXT = "宁溪区年内建成社区医院2家，新改建社区卫生服务站6个。"


def _docx(path: Path, text: str) -> Path:
    from docx import Document

    doc = Document()
    doc.add_paragraph(text)
    doc.save(str(path))
    return path


def test_extracted_windows_hold_the_text_of_a_gb18030_file_and_raw_windows_do_not(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(GB_TEXT.encode("gb18030"))
    assert naive_baselines.fixed_chunks([path], load_text)[0].text.strip() == GB_TEXT
    assert GB_TEXT not in naive_baselines.fixed_chunks([path])[0].text


def test_cli_scores_a_question_file_over_docx_and_gb18030_documents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "cdc.txt").write_bytes(GB_TEXT.encode("gb18030"))
    _docx(docs / "district.docx", DOCX_TEXT)
    questions = tmp_path / "q.jsonl"
    lines = [
        {"id": "a", "question": "宁溪区要建几家社区医院", "type": "plan", "answerable": True,
         "expected": ["年内建成社区医院2家"], "facts": ["2家"], "sources": ["district.docx"]},
        {"id": "b", "question": "梧桐县接种了多少剂次疫苗", "type": "figure", "answerable": True,
         "expected": ["共接种各类疫苗11.6万剂次"], "facts": ["11.6万剂次"], "sources": ["cdc.txt"]},
    ]  # fmt: skip
    questions.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")

    assert naive_baselines.main([str(questions), str(docs), "--json"]) == 0
    extracted = json.loads(capsys.readouterr().out)
    assert naive_baselines.main([str(questions), str(docs), "--json", "--raw"]) == 0
    raw = json.loads(capsys.readouterr().out)

    ranks = {r["id"]: r["rank"] for r in extracted["questions"]}
    assert ranks == {"a": 1, "b": 1}
    assert [r["rank"] for r in raw["questions"]] == [None, None]
