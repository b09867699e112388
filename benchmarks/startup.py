"""Start-up benchmark: how long a fresh ``reportbot`` process takes for ``--help``, ``docs``, ``ask`` and ``search``.

    python benchmarks/startup.py                         # builds an index of ../shared/corpus first (minutes)
    python benchmarks/startup.py --data-dir /tmp/kb      # an existing index (e.g. one `reportbot ingest` made)
    python benchmarks/startup.py --runs 7 --json /tmp/startup.json

Every run is a new process (``reportbot …`` as a user types it, stdout a pipe, no LLM configured, so ``ask`` is
extractive); one untimed warm-up run of each command first (Python byte-code and jieba's dictionary cache are
written once per machine, as after any install). Reported per command: the best and the median wall time of
``--runs`` runs, and the CPU time (user + sys) of the best run, which a loaded machine inflates far less than
wall time. The load average is printed with the numbers: on a machine busier than its core count, wall times
are longer than the same commands take on an idle one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = (REPO / ".." / "shared" / "corpus").resolve()
QUESTION = "上半年手足口病防控做了什么"
TARGETS = {"--help": 0.5, "docs": 2.0, "ask": 3.0}
"""Best wall time (seconds) each command must stay under (issue 12)."""


def reportbot() -> list[str]:
    """The console script next to this Python, or ``python -m bot.cli``."""
    script = Path(sys.executable).with_name("reportbot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def commands(data_dir: Path) -> dict[str, list[str]]:
    """What is timed: name → arguments after ``reportbot``."""
    data = ["--data-dir", str(data_dir)]
    return {
        "--help": ["--help"],
        "docs": ["docs", *data],
        "ask": ["ask", QUESTION, *data],
        "search": ["search", QUESTION, "-k", "5", *data],
    }


def clean_env() -> dict[str, str]:
    """The caller's environment without REPORTBOT_* settings (no LLM, no server: the defaults)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("REPORTBOT_")}


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one process; fails loudly when the command fails."""
    before = os.times()
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, check=False)
    wall = time.perf_counter() - started
    after = os.times()
    if done.returncode != 0:
        msg = f"{' '.join(argv)} exited {done.returncode}: {done.stderr.decode(errors='replace')[-500:]}"
        raise RuntimeError(msg)
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu


def measure(data_dir: Path, runs: int) -> dict[str, dict[str, Any]]:
    """Warm-up, then ``runs`` timed runs of each command, interleaved so load changes hit all alike."""
    env, base = clean_env(), reportbot()
    todo = commands(data_dir)
    for args in todo.values():
        run_once(base + args, env)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in todo}
    for _ in range(runs):
        for name, args in todo.items():
            samples[name].append(run_once(base + args, env))
    results = {}
    for name, pairs in samples.items():
        best_wall, best_cpu = min(pairs)
        results[name] = {
            "best_s": round(best_wall, 3),
            "median_s": round(statistics.median(w for w, _ in pairs), 3),
            "cpu_of_best_s": round(best_cpu, 3),
            "min_cpu_s": round(min(c for _, c in pairs), 3),
            "target_s": TARGETS.get(name),
        }
    return results


def build_index(corpus: Path, data_dir: Path) -> float:
    """``reportbot ingest CORPUS`` into ``data_dir``; returns the seconds it took."""
    started = time.perf_counter()
    subprocess.run(
        [*reportbot(), "ingest", str(corpus), "--data-dir", str(data_dir)],
        env=clean_env(),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def render(report: dict[str, Any]) -> str:
    """The table the README quotes."""
    load = report["load_avg"]
    lines = [
        "reportbot start-up (cold process each run; best and median of "
        f"{report['runs']} runs after one warm-up run; {report['nproc']} cores)",
        f"load average (1/5/15 min): before {load['before']}, after {load['after']}",
        "",
        f"{'command':<10} {'best s':>7} {'median s':>9} {'CPU s':>6}  {'target':<8} status",
    ]
    for name, r in report["commands"].items():
        target = r["target_s"]
        if target is None:
            status, shown = "", "–"
        else:
            shown = f"≤ {target:g} s"
            over = r["best_s"] - target
            status = "met" if over <= 0 else f"MISSED by {over:.2f} s"
        lines.append(
            f"{name:<10} {r['best_s']:>7.2f} {r['median_s']:>9.2f} {r['cpu_of_best_s']:>6.2f}  {shown:<8} {status}"
        )
    if max(load["before"][0], load["after"][0]) > (report["nproc"] or 1):
        lines += [
            "",
            "NOTE: the machine was busier than its core count; wall times include waiting for a core.",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Build or reuse an index, time the commands, print the table (and save JSON when asked)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="an existing index (default: build one of --corpus)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", dest="json_path", type=Path)
    args = parser.parse_args(argv)

    work = None
    data_dir = args.data_dir
    report: dict[str, Any] = {"runs": args.runs, "nproc": os.cpu_count()}
    if data_dir is None:
        work = Path(tempfile.mkdtemp(prefix="reportbot-startup-"))
        data_dir = work / "data"
        print(f"building an index of {args.corpus} …", file=sys.stderr)
        report["index_build_s"] = round(build_index(args.corpus, data_dir), 1)
    try:
        report["load_avg"] = {"before": [round(x, 2) for x in os.getloadavg()]}
        report["commands"] = measure(data_dir, args.runs)
        report["load_avg"]["after"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    print(render(report))
    if args.json_path:
        args.json_path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
