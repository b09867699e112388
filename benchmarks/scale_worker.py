"""One scale size, in a process of its own so its memory is measured alone (run by ``benchmarks/run.py``).

    python benchmarks/scale_worker.py build --base DIR --data-dir DIR --size 10000
    python benchmarks/scale_worker.py serve --data-dir DIR --questions eval/questions.jsonl

``build`` writes a data directory laid out like the product's (Chroma under ``chroma/``, the BM25 index under
``lexical/<collection>``) from the base chunks and vectors saved by ``run.py``: chunks and stand-in vectors
upserted through ``ChunkStore.upsert_document`` in documents of 5000, the BM25 index built directly from the
terms. ``serve`` opens it through ``bot.services.build_services`` like the bot does and times
``HybridSearcher.search`` over the questions. Each prints one JSON object on its last stdout line.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np
from scale_corpus import generate

DOC_SIZE = 5000
WARMUP_ROUNDS = 1


def rss_mb() -> float:
    """Current resident set size of this process (Linux ``/proc``), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def open_services(data_dir: Path):
    from bot.services import build_services
    from bot.settings import Settings

    return build_services(Settings(data_dir=data_dir, _env_file=None))


def load_base(base_dir: Path):
    from dataclasses import fields

    from retrieval.types import ChunkRecord

    rows = json.loads((base_dir / "base.json").read_text(encoding="utf-8"))
    given = {f.name for f in fields(ChunkRecord) if f.init}  # not what search derived from a record
    chunks = [
        ChunkRecord(
            **{**{k: v for k, v in r.items() if k in given}, "heading_path": tuple(r["heading_path"])}
        )
        for r in rows
    ]
    return chunks, np.load(base_dir / "base.npy")


def build(base_dir: Path, data_dir: Path, size: int, seed: int) -> dict[str, float | int]:
    """Fill ``data_dir`` with ``size`` chunks (stand-in vectors) and their BM25 index."""
    from retrieval.types import DocumentInfo

    base, vectors = load_base(base_dir)
    services = open_services(data_dir)
    store = services.store
    started = time.perf_counter()
    docs: list[tuple[str, list[str]]] = []
    chroma_s = 0.0
    batch = []

    def flush() -> None:
        nonlocal chroma_s
        if not batch:
            return
        doc_id = batch[0].chunk.doc_id
        info = DocumentInfo(
            doc_id=doc_id,
            source=f"{doc_id}.txt",
            title=doc_id,
            path=str(data_dir / f"{doc_id}.txt"),
            doc_hash=doc_id,
            chunks=len(batch),
            articles=1,
        )
        t0 = time.perf_counter()
        store.upsert_document(info, [s.chunk for s in batch], [s.vector.tolist() for s in batch])
        chroma_s += time.perf_counter() - t0
        batch.clear()

    for item in generate(base, vectors, size, seed=seed, doc_size=DOC_SIZE):
        if batch and batch[0].chunk.doc_id != item.chunk.doc_id:
            flush()
        batch.append(item)
        docs.append((item.chunk.chunk_id, item.terms))
    flush()
    t0 = time.perf_counter()
    index = services.lexical.install(docs)  # the product's fingerprint and save path: served as is
    bm25_s = time.perf_counter() - t0
    return {
        "size": store.count(),
        "build_seconds": time.perf_counter() - started,
        "chroma_upsert_seconds": chroma_s,
        "bm25_build_seconds": bm25_s,
        "bm25_terms": len(index.vocab),
        "bm25_nonzeros": int(index.weights.nnz),
        "peak_rss_mb": peak_rss_mb(),
    }


def serve(data_dir: Path, questions_path: Path, repeats: int) -> dict[str, object]:
    """Open the store like the bot, warm up, then time every question ``repeats`` times."""
    from retrieval.evaluation import load_questions, percentile, run_evaluation
    from retrieval.store.embeddings import clear_query_cache

    questions = load_questions(questions_path)
    rss_start = rss_mb()
    services = open_services(data_dir)
    rss_open = rss_mb()
    search = services.searcher.search
    t0 = time.perf_counter()
    search(questions[0].question, 10)
    first_ms = (time.perf_counter() - t0) * 1000  # loads the HNSW index and the BM25 matrix
    for _ in range(WARMUP_ROUNDS):
        run_evaluation(questions, search, k=10)
    gc.collect()
    reports = [
        run_evaluation(questions, search, k=10, reset=clear_query_cache) for _ in range(max(1, repeats))
    ]
    times = [r.search_ms for rep in reports for r in rep.results]
    overall = reports[0].overall
    return {
        "size": services.store.count(),
        "queries": len(times),
        "first_query_ms": first_ms,
        "bm25_rebuilds": services.lexical.builds,  # 0: the index `build` saved was served as is
        "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
        "max_ms": max(times),
        "recall": {f"@{k}": v for k, v in overall.recall.items()},
        "mrr": overall.mrr,
        "rss_start_mb": rss_start,
        "rss_open_mb": rss_open,
        "rss_mb": rss_mb(),
        "peak_rss_mb": peak_rss_mb(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("--base", type=Path, required=True)
    b.add_argument("--data-dir", type=Path, required=True)
    b.add_argument("--size", type=int, required=True)
    b.add_argument("--seed", type=int, default=0)
    s = sub.add_parser("serve")
    s.add_argument("--data-dir", type=Path, required=True)
    s.add_argument("--questions", type=Path, required=True)
    s.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args(argv)
    if args.command == "build":
        result = build(args.base, args.data_dir, args.size, args.seed)
    else:
        result = serve(args.data_dir, args.questions, args.repeats)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
