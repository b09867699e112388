"""The benchmark script's pieces on tiny inputs, and one end-to-end smoke run, so the script cannot rot."""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

BENCH_DIR = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH_DIR))

import bench_report  # noqa: E402
import naive_baselines  # noqa: E402
import run  # noqa: E402
import scale_corpus  # noqa: E402

from retrieval.types import ChunkRecord  # noqa: E402

REPORT = """清远市卫生健康局2023年上半年工作总结
一、上半年主要工作
（一）疫苗接种
上半年全市共接种新冠疫苗12.5万剂次，其中加强针3.2万剂次。清远市各镇卫生院设立接种点46个。
（二）家庭医生签约
全市家庭医生签约服务覆盖28.6万人，重点人群签约率达到76.4%。组建家庭医生团队312个。
（三）妇幼健康
免费婚检4074人，婚检率达到91.2%。开展孕产妇健康管理，系统管理率97.8%。
二、下半年工作计划
（一）推进医共体建设，完成6所乡镇卫生院改扩建。
（二）开展爱国卫生运动，创建省级卫生镇2个。
"""

QUESTIONS = [
    {
        "id": "t1",
        "question": "婚检做了多少人",
        "type": "figure",
        "answerable": True,
        "expected": ["免费婚检4074人"],
        "facts": ["4074人"],
        "sources": ["report.txt"],
    },
    {
        "id": "t2",
        "question": "下半年卫生院改扩建几所",
        "type": "plan",
        "answerable": True,
        "expected": ["完成6所乡镇卫生院改扩建"],
        "facts": ["6所"],
        "sources": ["report.txt"],
    },
    {
        "id": "t3",
        "question": "包虫病筛查了多少人",
        "type": "unanswerable",
        "answerable": False,
        "expected": [],
        "facts": [],
        "sources": [],
    },
]


def _chunk(text: str, i: int = 0) -> ChunkRecord:
    return ChunkRecord(
        chunk_id=f"c{i}",
        doc_id="d",
        text=text,
        source="report.txt",
        doc_title="清远市卫生健康局2023年上半年工作总结",
        article_title="",
        heading_path=("一、上半年主要工作", "（一）疫苗接种"),
    )


# ------------------------------------------------------------------------------------------ baselines


def test_fixed_windows_are_500_characters_overlapping_by_50() -> None:
    windows = naive_baselines.fixed_windows("字" * 1200)
    assert windows == [(0, 500), (450, 950), (900, 1200)]


def test_a_text_shorter_than_a_window_is_one_chunk() -> None:
    assert naive_baselines.fixed_windows("短文本") == [(0, 3)]
    assert naive_baselines.fixed_windows("") == []


def test_fixed_chunks_cover_the_raw_file(tmp_path: Path) -> None:
    text = REPORT * 3
    (tmp_path / "report.txt").write_text(text, encoding="utf-8")
    chunks = naive_baselines.fixed_chunks([tmp_path / "report.txt"])
    assert all(len(c.text) == 500 for c in chunks[:-1])
    assert chunks[0].text == text[:500]
    assert chunks[1].text.startswith(text[450:500])
    assert chunks[-1].text.endswith(text[-50:])


def test_bm25_baseline_finds_the_window_with_the_words() -> None:
    chunks = [
        _chunk("上半年全市共接种新冠疫苗12.5万剂次。", 0),
        _chunk("免费婚检4074人，婚检率达到91.2%。", 1),
    ]
    hits = naive_baselines.Bm25Baseline(chunks).search("免费婚检多少人", 5)
    assert hits[0].chunk.chunk_id == "c1"


# ---------------------------------------------------------------------------------------- scale corpus


def test_perturbation_keeps_the_length_and_changes_the_text() -> None:
    text = REPORT.split("\n", 3)[3]
    variant = scale_corpus.make_variants(seed=1)[3]
    out = scale_corpus.perturb(text, random.Random(0), variant)
    assert len(out) == len(text)
    assert out != text
    assert sorted(scale_corpus.split_sentences(out)) != sorted(scale_corpus.split_sentences(text))
    assert not any(d in out for d in ("12.5万", "4074人"))  # every digit moved


def test_generated_chunks_are_originals_then_distinct_replicas_with_nearby_unit_vectors() -> None:
    base = [_chunk(p, i) for i, p in enumerate(REPORT.split("\n")[3:9:2])]
    vectors = np.eye(3, 8, dtype=np.float32)
    items = list(scale_corpus.generate(base, vectors, 30, seed=0, doc_size=10))
    assert [s.chunk.text for s in items[:3]] == [c.text for c in base]
    assert len({s.chunk.chunk_id for s in items}) == 30
    assert {s.chunk.doc_id for s in items} == {"scale-0", "scale-1", "scale-2"}
    assert len({s.chunk.text for s in items}) > 10
    for i, s in enumerate(items):
        assert np.linalg.norm(s.vector) == pytest.approx(1.0, abs=1e-5)
        assert float(s.vector @ vectors[i % 3]) > 0.9


def test_scale_terms_are_what_the_product_indexes() -> None:
    base = [_chunk(p, i) for i, p in enumerate(REPORT.split("\n")[3:9:2])]
    for s in scale_corpus.generate(base, np.eye(3, 8, dtype=np.float32), 20, seed=3):
        assert Counter(s.terms) == Counter(scale_corpus.exact_terms(s.chunk))


# ------------------------------------------------------------------------------------------ run, report


def test_sizes_accept_thousands() -> None:
    assert run.parse_sizes("10000, 100k,1.5k") == [10000, 100000, 1500]


def test_a_missed_target_says_by_how_much() -> None:
    results = {
        "quality": {
            "ours": {"recall": {"@5": 0.9}, "mrr": 0.9, "p95_ms": 90.0},
            "dense": {"recall": {"@5": 0.5}, "mrr": 0.5, "p95_ms": 50.0},
        },
        "scale": [{"size": 100_000, "search": {"p95_ms": 250.0}}],
    }
    rows = {t["target"]: t for t in bench_report.targets(results)}
    assert rows["recall@5 ≥ 0.95"]["met"] is False
    assert rows["recall@5 ≥ 0.95"]["detail"] == "missed by 0.050"
    assert rows["MRR@10 ≥ 0.85"]["met"] is True
    ratio = rows["search p95 ≤ 1.5× dense baseline p95"]
    assert (ratio["met"], ratio["measured"], ratio["detail"]) == (
        False,
        "1.80×",
        "missed by 0.30× (20% over)",
    )
    assert rows["search p95 ≤ 200 ms at ~100k chunks"]["detail"] == "missed by 50 ms (25% over)"


def test_smoke_run_on_a_tiny_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The whole script: ingest, edit, baselines, evaluation, one scale size in worker processes."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "report.txt").write_text(REPORT, encoding="utf-8")
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in QUESTIONS), encoding="utf-8")
    out = tmp_path / "results.json"
    argv = ["--corpus", str(corpus), "--questions", str(questions), "--sizes", "200", "--repeats", "1"]
    assert run.main([*argv, "--work-dir", str(tmp_path), "--json", str(out)]) == 0

    results = json.loads(out.read_text(encoding="utf-8"))
    edit = results["ingest"]["edit"]
    assert results["ingest"]["unchanged"]["unchanged_files"] == 1
    assert 1 <= edit["reembedded"] <= edit["changed_chunks"] < edit["total_chunks"]
    assert set(results["quality"]) == {"ours", "dense", "bm25"}
    assert results["quality"]["ours"]["recall"]["@5"] == 1.0
    assert results["quality"]["ours"]["queries_timed"] == 3
    (scale,) = results["scale"]
    assert scale["search"]["size"] == 200
    assert scale["search"]["p95_ms"] > 0
    assert scale["search"]["rss_mb"] > 0
    assert scale["search"]["bm25_rebuilds"] == 0  # the index the build saved is the one the product serves
    printed = capsys.readouterr().out
    assert "STAND-IN VECTORS" in printed
    assert "TARGETS" in printed
    assert not any(p.name.startswith("reportbot-bench-") for p in tmp_path.iterdir())  # work dir removed
