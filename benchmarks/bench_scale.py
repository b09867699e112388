"""The benchmark's scale phase: the corpus chunks saved once, each size built and searched in fresh processes
(``scale_worker.py``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
from bench_machine import say

HERE = Path(__file__).resolve().parent


def save_base(services: Any, base_dir: Path) -> int:
    """Our stored chunks and their vectors, for the scale workers."""
    chunks = sorted(services.store.iter_chunks(), key=lambda c: (c.source, c.ordinal))
    vectors = services.store.vectors([c.chunk_id for c in chunks])
    base_dir.mkdir(parents=True, exist_ok=True)
    (base_dir / "base.json").write_text(
        json.dumps([c.stored() for c in chunks], ensure_ascii=False), encoding="utf-8"
    )
    np.save(base_dir / "base.npy", np.asarray(vectors, dtype=np.float32))
    return len(chunks)


def _worker(*args: str) -> dict[str, Any]:
    cmd = [sys.executable, str(HERE / "scale_worker.py"), *args]
    done = subprocess.run(cmd, check=False, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        msg = f"scale worker failed ({done.returncode}): {' '.join(args)}"
        raise RuntimeError(msg)
    return json.loads(done.stdout.strip().splitlines()[-1])


def scale_phase(
    services: Any, work: Path, sizes: list[int], questions_path: Path, repeats: int, keep: bool
) -> list[dict[str, Any]]:
    """Build and search each size in fresh processes."""
    base_dir = work / "scale"
    n = save_base(services, base_dir)
    results = []
    for size in sizes:
        data_dir = base_dir / f"size-{size}"
        say(f"scale {size}: building ({n} real chunks + perturbed replicas, stand-in vectors)")
        built = _worker("build", "--base", str(base_dir), "--data-dir", str(data_dir), "--size", str(size))
        say(f"scale {size}: searching")
        served = _worker(
            "serve",
            "--data-dir",
            str(data_dir),
            "--questions",
            str(questions_path),
            "--repeats",
            str(repeats),
        )
        results.append({"size": size, "build": built, "search": served})
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    return results
