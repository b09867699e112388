"""Benchmark: our search against two naive baselines, ingest cost and search at scale, in one run.

    python benchmarks/run.py                      # full: corpus, baselines, scale 10k and 100k (~15 min)
    python benchmarks/run.py --quick              # scale 10k only
    python benchmarks/run.py --sizes 10000,50000 --json results.json

Everything is built in a temporary directory (``--work-dir`` to choose it, ``--keep`` to keep it):

1. ingest: our index of the corpus from a cold start (empty embedding cache), re-ingest unchanged, re-ingest
   after one sentence of one file is edited (in a copy of the corpus), counting re-embedded chunks;
2. baselines: fixed 500/50-character windows of the raw files, (a) dense-only Chroma search with the same
   bundled embedder, (b) BM25 over plain jieba words (see ``naive_baselines.py``);
3. quality and latency of all three on the evaluation questions, metrics from ``retrieval.evaluation``;
   a warm-up pass first, then ``--repeats`` timed passes, systems interleaved so machine load hits all alike;
4. scale: the corpus chunks replicated with perturbations to each ``--sizes`` (stand-in vectors, see
   ``scale_corpus.py``), each size built and then searched in fresh processes (``scale_worker.py``).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from bench_ingest import ingest_phase  # noqa: E402
from bench_machine import machine_info, say  # noqa: E402
from bench_report import render, targets  # noqa: E402
from bench_scale import scale_phase  # noqa: E402

log = logging.getLogger("benchmark")

DEFAULT_CORPUS = (REPO / ".." / "shared" / "corpus").resolve()
DEFAULT_QUESTIONS = REPO / "eval" / "questions.jsonl"
FULL_SIZES = (10_000, 100_000)
QUICK_SIZES = (10_000,)


# ----------------------------------------------------------------------------------------- baselines


def baselines_phase(files: list[Path], work: Path, cache_dir: Path) -> tuple[dict[str, Any], Any, Any]:
    """The dense and BM25 baselines over 500/50 windows of the raw files."""
    from naive_baselines import Bm25Baseline, DenseBaseline, fixed_chunks

    from retrieval.store import BUNDLED_MODEL
    from retrieval.store.chunks import open_client
    from retrieval.store.embeddings import BundledE5Embeddings, CachedEmbeddings, model_key

    chunks = fixed_chunks(files)
    embeddings = CachedEmbeddings(
        BundledE5Embeddings(), model_key(BUNDLED_MODEL), cache_dir / "baseline-embeddings.sqlite"
    )
    say(f"baselines: {len(chunks)} fixed windows (cache {cache_dir})")
    t0 = time.perf_counter()
    dense = DenseBaseline(open_client(work / "baseline"), embeddings, chunks, name="baseline-dense")
    dense_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    bm25 = Bm25Baseline(chunks)
    bm25_s = time.perf_counter() - t0
    info = {
        "chunks": len(chunks),
        "dense_build_seconds": dense_s,
        "dense_embedded": embeddings.misses,
        "bm25_build_seconds": bm25_s,
    }
    return info, dense, bm25


# ------------------------------------------------------------------------------------------- quality


def quality_phase(questions: list[Any], systems: dict[str, Any], repeats: int) -> dict[str, Any]:
    """Recall/MRR (first timed pass) and latency (all timed passes) per system."""
    from retrieval.evaluation import RECALL_KS, percentile, run_evaluation
    from retrieval.store.embeddings import clear_query_cache

    for name, search in systems.items():
        say(f"warm-up: {name}")
        run_evaluation(questions, search, k=10)
    timed: dict[str, list[Any]] = {name: [] for name in systems}
    names = list(systems)
    for rep in range(max(1, repeats)):
        order = names[rep % len(names) :] + names[: rep % len(names)]
        for name in order:
            say(f"timed pass {rep + 1}/{repeats}: {name}")
            timed[name].append(run_evaluation(questions, systems[name], k=10, reset=clear_query_cache))
    out: dict[str, Any] = {}
    for name, reports in timed.items():
        first = reports[0]
        ms = [r.search_ms for rep in reports for r in rep.results]
        out[name] = {
            "answerable": first.overall.answerable,
            "recall": {f"@{k}": first.overall.recall[k] for k in RECALL_KS},
            "mrr": first.overall.mrr,
            "coverage": first.overall.coverage,
            "recall5_by_type": {t: g.recall[5] for t, g in first.by_type.items() if g.answerable},
            "p50_ms": percentile(ms, 50),
            "p95_ms": percentile(ms, 95),
            "queries_timed": len(ms),
            "first_hit_rank": {r.id: r.rank for r in first.results if r.answerable},
        }
    return out


# ---------------------------------------------------------------------------------------------- main


def parse_sizes(text: str) -> list[int]:
    """``"10000,100k"`` → ``[10000, 100000]``."""
    sizes = []
    for part in text.split(","):
        part = part.strip().lower()
        if part:
            sizes.append(int(float(part[:-1]) * 1000) if part.endswith("k") else int(part))
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of reports")
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS, help="evaluation questions")
    parser.add_argument("--quick", action="store_true", help=f"scale sizes {QUICK_SIZES} only")
    parser.add_argument("--sizes", type=parse_sizes, help="scale sizes, e.g. 10000,100k (0 or '' = none)")
    parser.add_argument("--repeats", type=int, default=3, help="timed passes over the questions")
    parser.add_argument("--edit-file", help="file (relative to the corpus) to edit; default the largest")
    parser.add_argument("--work-dir", type=Path, help="where to build everything (default: a temp dir)")
    parser.add_argument("--cache-dir", type=Path, help="baseline embedding cache (default: in the work dir)")
    parser.add_argument("--keep", action="store_true", help="keep the work dir")
    parser.add_argument("--json", type=Path, dest="json_path", help="also save the results as JSON")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    from retrieval.evaluation import load_questions

    sizes = args.sizes if args.sizes is not None else list(QUICK_SIZES if args.quick else FULL_SIZES)
    sizes = [s for s in sizes if s > 0]
    questions = load_questions(args.questions)
    work = Path(tempfile.mkdtemp(prefix="reportbot-bench-", dir=args.work_dir))
    started = time.perf_counter()
    results: dict[str, Any] = {"machine": machine_info(), "sizes": sizes, "repeats": args.repeats}
    try:
        corpus = work / "corpus"
        shutil.copytree(args.corpus, corpus)
        results["ingest"], services = ingest_phase(corpus, work / "ours", args.edit_file)
        files = sorted(p for p in args.corpus.iterdir() if p.is_file())
        results["baselines"], dense, bm25 = baselines_phase(files, work, args.cache_dir or work / "cache")
        results["quality"] = quality_phase(
            questions,
            {"ours": services.searcher.search, "dense": dense.search, "bm25": bm25.search},
            args.repeats,
        )
        results["scale"] = scale_phase(services, work, sizes, args.questions, args.repeats, args.keep)
    finally:
        if args.keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    results["machine"]["load_avg_end"] = list(os.getloadavg())
    results["total_seconds"] = time.perf_counter() - started
    results["targets"] = targets(results)
    print(render(results))
    if args.json_path:
        args.json_path.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
        say(f"saved {args.json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
