"""A real ``chroma run`` server on 127.0.0.1 for server-mode tests: start, stop, restart on the same port and path.

The ``chroma`` console script comes with the ``chromadb`` package (it is in the venv beside ``python``).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest


def chroma_executable() -> str | None:
    """The ``chroma`` console script: on PATH, or next to the running interpreter."""
    beside = Path(sys.executable).parent / "chroma"
    return shutil.which("chroma") or (str(beside) if beside.exists() else None)


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ChromaServer:
    """One ``chroma run`` subprocess persisting under ``path``; ``url`` stays the same across restarts."""

    def __init__(self, path: Path, port: int | None = None) -> None:
        exe = chroma_executable()
        if exe is None:
            pytest.skip("the `chroma` console script (chromadb) is not installed")
        self.exe = exe
        self.path = path
        self.port = port or free_port()
        self.log = path.parent / f"chroma-{self.port}.log"
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> ChromaServer:
        """Start and wait until the heartbeat answers."""
        self.path.mkdir(parents=True, exist_ok=True)
        cmd = [self.exe, "run", "--host", "127.0.0.1", "--port", str(self.port), "--path", str(self.path)]
        with self.log.open("ab") as log:
            self._proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                msg = f"chroma run exited with {self._proc.returncode}:\n{self.log.read_text(errors='replace')[-2000:]}"
                raise RuntimeError(msg)
            try:
                if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1.0).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        msg = f"chroma run did not answer within {timeout}s"
        raise RuntimeError(msg)

    def stop(self) -> None:
        """Terminate the server and wait until its port is free."""
        if self._proc is None:
            return
        self._proc.terminate()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait(timeout=10)
        self._proc = None

    def restart(self) -> ChromaServer:
        self.stop()
        return self.start()
