"""Warm search against a naive dense search over the same vectors, in one process, on one data dir.

    python benchmarks/search_speed.py --data-dir DIR                 # an index `reportbot ingest` made
    python benchmarks/search_speed.py --data-dir DIR --repeats 5 --json /tmp/speed.json

Both systems open the data dir through ``bot.services.build_services`` like the bot does:

- **naive dense**: ``ChunkStore.dense_search``: embed the question (the same bundled model, memo cleared), one
  Chroma query of the product's chunk collection for the top ``k`` with documents and metadata (what
  langchain-chroma's ``similarity_search`` asks for), records made from them;
- **hybrid**: ``HybridSearcher.search`` (query analysis, glossary expansion, dense + BM25, fusion, boosts).

One untimed warm-up pass of each (loads the HNSW index, the BM25 matrix and anything the searcher keeps),
then ``--repeats`` timed passes over the questions, the two systems alternating per question (so load from
other processes hits both alike). The query-vector memo is cleared before every timed search. Chroma calls
per question are counted over the timed passes. Prints a table; ``--json`` saves the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

REPO = Path(__file__).resolve().parents[1]


class _Counting:
    """A collection wrapper counting the calls that reach Chroma."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.calls = 0

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return attr(*args, **kwargs)

        return call


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--questions", type=Path, default=REPO / "eval" / "questions.jsonl")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("-k", type=int, default=10)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    from bot.services import build_services
    from bot.settings import Settings
    from retrieval.evaluation import load_questions
    from retrieval.store.embeddings import clear_query_cache

    questions = [q.question for q in load_questions(args.questions)]
    services = build_services(Settings(data_dir=args.data_dir, _env_file=None))
    store, searcher = services.store, services.searcher
    counting = _Counting(store.chunk_collection)  # the benchmark counts what reaches Chroma
    store.chunk_collection = counting  # type: ignore[assignment]
    systems = {"naive dense": store.dense_search, "hybrid": searcher.search}
    started = time.perf_counter()
    t0 = time.perf_counter()
    searcher.search(questions[0], args.k)
    first_ms = (time.perf_counter() - t0) * 1000
    for search in systems.values():  # warm-up, untimed
        for q in questions:
            search(q, args.k)
    ms: dict[str, list[float]] = {name: [] for name in systems}
    calls: dict[str, int] = dict.fromkeys(systems, 0)
    load_start = os.getloadavg()[0]
    for rep in range(max(1, args.repeats)):
        for i, q in enumerate(questions):
            order = list(systems) if (i + rep) % 2 == 0 else list(reversed(systems))
            for name in order:
                clear_query_cache()
                before = counting.calls
                t0 = time.perf_counter()
                systems[name](q, args.k)
                ms[name].append((time.perf_counter() - t0) * 1000)
                calls[name] += counting.calls - before
    load_end = os.getloadavg()[0]
    n = len(questions) * max(1, args.repeats)
    out: dict[str, Any] = {
        "chunks": store.count(),
        "searches_per_system": n,
        "first_query_ms": first_ms,
        "load_average": [load_start, load_end],
        "seconds": time.perf_counter() - started,
        "systems": {
            name: {
                "mean_ms": statistics.fmean(v),
                "p50_ms": percentile(v, 50),
                "p95_ms": percentile(v, 95),
                "chroma_calls_per_search": calls[name] / n,
            }
            for name, v in ms.items()
        },
    }
    base = out["systems"]["naive dense"]
    print(
        f"{out['chunks']:,} chunks, {n} timed searches per system, k={args.k}; "
        f"load average {load_start:.1f} at start, {load_end:.1f} at end; first hybrid query {first_ms:.0f} ms"
    )
    print(
        f"{'system':<12} {'mean ms':>8} {'p50 ms':>7} {'p95 ms':>7} {'mean/naive':>10} {'p50/naive':>9} {'Chroma calls':>12}"
    )
    for name, s in out["systems"].items():
        print(
            f"{name:<12} {s['mean_ms']:8.1f} {s['p50_ms']:7.1f} {s['p95_ms']:7.1f} "
            f"{s['mean_ms'] / base['mean_ms']:9.2f}× {s['p50_ms'] / base['p50_ms']:8.2f}× "
            f"{s['chroma_calls_per_search']:12.2f}"
        )
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    return out


if __name__ == "__main__":
    main()
