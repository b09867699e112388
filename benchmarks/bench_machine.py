"""What a benchmark run says about itself: progress on stderr, and the machine it ran on."""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path
from typing import Any


def say(msg: str) -> None:
    """Progress on stderr, so stdout stays the report."""
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def machine_info() -> dict[str, Any]:
    """Cores, memory, CPU model and load, as the README describes the machine."""
    cpu = ""
    mem_kib = 0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu or platform.processor(),
        "mem_total": f"{mem_kib / 1024**2:.1f} GiB",
        "load_avg_start": list(os.getloadavg()),
        "python": platform.python_version(),
    }
