"""``benchmarks/startup.py``: one real run over a tiny index (so the script cannot rot) and its verdicts."""

from __future__ import annotations

import json
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH_DIR))

import startup  # noqa: E402

REPORT = "示例县卫生健康局2024年上半年工作总结\n\n一、上半年工作\n（一）手足口病防控。开展防控培训6次，培训医护人员120名。\n"


def test_one_run_over_a_tiny_index_times_every_command(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "report.txt").write_text(REPORT, encoding="utf-8")
    startup.build_index(tmp_path / "docs", tmp_path / "data")
    out = tmp_path / "startup.json"
    assert startup.main(["--data-dir", str(tmp_path / "data"), "--runs", "1", "--json", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert set(report["commands"]) == {"--help", "docs", "ask", "search"}
    for result in report["commands"].values():
        assert result["cpu_of_best_s"] > 0
        assert 0 < result["best_s"] <= result["median_s"]
    assert report["commands"]["ask"]["target_s"] == 3.0


def test_the_table_says_met_or_by_how_much_a_target_was_missed() -> None:
    report = {
        "runs": 5,
        "nproc": 2,
        "load_avg": {"before": [5.5, 6.0, 7.0], "after": [5.1, 6.0, 7.0]},
        "commands": {
            "--help": {"best_s": 0.25, "median_s": 0.4, "cpu_of_best_s": 0.2, "target_s": 0.5},
            "ask": {"best_s": 3.4, "median_s": 4.0, "cpu_of_best_s": 2.5, "target_s": 3.0},
            "search": {"best_s": 2.0, "median_s": 2.2, "cpu_of_best_s": 1.9, "target_s": None},
        },
    }
    table = startup.render(report)
    assert "--help        0.25" in table
    assert "met" in table.splitlines()[4]
    assert "MISSED by 0.40 s" in table
    assert "busier than its core count" in table
