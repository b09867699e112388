"""The LLM pool: bounded, daemon threads (a hung call never holds the process), queued calls cancelled at shutdown."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bot.chat.pool import DaemonPool

REPO_DIR = Path(__file__).resolve().parents[3]


def test_at_most_workers_calls_run_at_once_and_results_come_back() -> None:
    pool = DaemonPool(2)
    running, most, lock = 0, 0, threading.Lock()

    def work(n: int) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return n * n

    futures = [pool.submit(work, n) for n in range(8)]
    assert [f.result(timeout=5) for f in futures] == [n * n for n in range(8)]
    assert most == 2
    pool.shutdown()


def test_shutdown_cancels_queued_calls_and_refuses_new_ones() -> None:
    pool = DaemonPool(1)
    release = threading.Event()
    first = pool.submit(release.wait, 5)
    queued = pool.submit(time.sleep, 0)
    pool.shutdown(wait=False, cancel_futures=True)
    assert queued.cancelled()
    release.set()
    assert first.result(timeout=5) is True
    with pytest.raises(RuntimeError):
        pool.submit(time.sleep, 0)


def test_a_hung_call_does_not_keep_the_interpreter_alive() -> None:
    code = (
        "import threading; from bot.chat.pool import DaemonPool; "
        "pool = DaemonPool(1); pool.submit(threading.Event().wait); pool.shutdown(wait=False)"
    )
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", code], cwd=REPO_DIR, check=True, timeout=20)
    assert time.monotonic() - started < 10
