"""The report: latency percentiles, the table people read and the JSON machines read."""

from __future__ import annotations

import json

from retrieval.evaluation import percentile, run_evaluation
from tests.retrieval.evaluation.helpers import SIMP_FAMILY, passage, question


def test_percentile_nearest_rank() -> None:
    assert percentile([5, 1, 3, 2, 4], 95) == 5
    assert percentile(list(range(1, 101)), 95) == 95
    assert percentile([], 95) is None


def test_report_renders_a_table_and_serialises() -> None:
    qs = [
        question("a", "figure", ("有偿签约率20.43%",)),
        question("m", "multi", ("有偿签约率20.43%", "没有的句子啊")),
    ]
    report = run_evaluation(qs, lambda q, k: [passage(SIMP_FAMILY)], None)
    text = report.render()
    lines = text.splitlines()
    assert any(line.startswith("figure") and "1.000" in line for line in lines)
    assert any(line.startswith("multi") and "0.500" in line for line in lines)  # coverage of 2 expected items
    assert any(line.startswith("ALL") for line in lines)
    data = json.loads(json.dumps(report.to_json(), ensure_ascii=False))
    assert data["by_type"]["multi"]["coverage"] == 0.5
    assert data["overall"]["recall"]["@1"] == 1.0
    assert [q["id"] for q in data["questions"]] == ["a", "m"]
