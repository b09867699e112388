"""``reportbot eval``: the command a maintainer runs to measure retrieval and answers, end to end.

A real index (Chroma, bundled embedder, BM25) of one small report of our own, built once per module.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from bot.cli import app

if TYPE_CHECKING:
    from pathlib import Path

REPORT = """示例县卫生健康局2023年上半年工作总结

一、上半年工作完成情况
（一）家庭医生签约服务。截至6月底，全县签约居民5.2万人，签约率31.5%，重点人群签约率78.6%。
（二）爱国卫生运动。开展第35个爱国卫生月活动，清除垃圾120吨，整治卫生死角86处。
（三）妇幼健康。完成农村妇女“两癌”检查4200人，免费发放叶酸1900人。

二、下半年工作计划
（一）推进紧密型医共体建设，组建12个专科质控中心。
（二）完成3所乡镇卫生院改扩建工程。
"""

QUESTIONS = [
    {
        "id": "q1",
        "question": "家庭医生签约率多少",
        "type": "figure",
        "answerable": True,
        "expected": ["全县签约居民5.2万人"],
        "facts": ["31.5%"],
        "sources": ["report.txt"],
    },
    {
        "id": "q2",
        "question": "下半年医共体有什么打算",
        "type": "plan",
        "answerable": True,
        "expected": ["组建12个专科质控中心"],
        "facts": ["12个专科质控中心"],
        "sources": ["report.txt"],
    },
    {
        "id": "q3",
        "question": "包虫病筛查了多少人",
        "type": "unanswerable",
        "answerable": False,
        "expected": [],
        "facts": [],
        "sources": [],
    },
]

runner = CliRunner()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("eval-cli")
    (root / "docs").mkdir()
    (root / "docs" / "report.txt").write_text(REPORT, encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(root / "docs"), "--data-dir", str(root / "data")])
    assert result.exit_code == 0, result.output
    return root / "data"


@pytest.fixture
def questions_file(tmp_path: Path) -> Path:
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in QUESTIONS) + "\n", encoding="utf-8")
    return path


def test_eval_prints_a_table_per_type(data_dir: Path, questions_file: Path) -> None:
    result = runner.invoke(app, ["eval", str(questions_file), "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "mode=extractive k=10 questions=3"
    assert [line.split()[0] for line in lines if re.match(r"(figure|plan|unanswerable|ALL)\s", line)] == [
        "figure",
        "plan",
        "unanswerable",
        "ALL",
    ]
    assert any(line.startswith("latency ms: search p50 ") for line in lines)


def test_eval_json_scores_search_and_extractive_answers(data_dir: Path, questions_file: Path) -> None:
    result = runner.invoke(
        app, ["eval", str(questions_file), "--json", "--k", "5", "--data-dir", str(data_dir)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["mode"] == "extractive"
    assert report["overall"]["recall"]["@5"] == 1.0
    assert report["by_type"]["unanswerable"]["unanswerable_refused"] == 1.0
    assert report["overall"]["answerable_refused"] == 0.0
    # the extractive answer quotes the reports, so its citations support its sentences and carry the figures
    assert report["overall"]["citation_precision"] == 1.0
    assert report["overall"]["fact_recall"] == 1.0
    assert report["latency_ms"]["ask_p95"] >= report["latency_ms"]["ask_p50"] > 0


def test_eval_llm_mode_against_a_local_model(
    data_dir: Path, questions_file: Path, openai_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    def grounded(req) -> str:
        """Answer with the first sentence of passage [1], as a careful model would."""
        m = re.search(r"^\[1\][^\n]*\n([^。\n]+)", req.message("user"), re.M)
        return f"{m.group(1)}[1]。" if m else "资料中未找到与该问题直接相关的内容。"

    openai_server.script(grounded)
    monkeypatch.setenv("REPORTBOT_LLM_BASE_URL", openai_server.base_url)
    monkeypatch.setenv("REPORTBOT_LLM_API_KEY", "local")
    result = runner.invoke(
        app, ["eval", str(questions_file), "--json", "--mode", "llm", "--data-dir", str(data_dir)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["mode"] == "llm"
    assert report["fallbacks"] == 0
    assert openai_server.chat_requests, "the model was never asked"
    assert report["overall"]["citations"] >= 1


def test_llm_mode_without_a_configured_model_is_refused(data_dir: Path, questions_file: Path) -> None:
    result = runner.invoke(app, ["eval", str(questions_file), "--mode", "llm", "--data-dir", str(data_dir)])
    assert result.exit_code == 2
    assert "REPORTBOT_LLM_BASE_URL" in result.output


def test_broken_question_file_names_the_line(data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(QUESTIONS[0], ensure_ascii=False) + "\n{not json\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(bad), "--data-dir", str(data_dir)])
    assert result.exit_code == 2
    assert "bad.jsonl:2" in result.output
