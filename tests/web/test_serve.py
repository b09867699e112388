"""``reportbot serve`` runs the console when REPORTBOT_WEB_PORT is set, and stops it cleanly on SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from typing import TYPE_CHECKING

from tests.support.env import child_env
from tests.web.support import free_port

if TYPE_CHECKING:
    from pathlib import Path


def test_serve_with_a_web_port_serves_the_console_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--data-dir", str(tmp_path / "data")],
        env=child_env(REPORTBOT_WEB_PORT=str(port)),
        cwd=tempfile.gettempdir(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        status = 0
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as response:
                    status = response.status
                    page = response.read().decode("utf-8")
                break
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        assert status == 200
        assert "登录" in page
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode("utf-8", "replace")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, output
    assert "serving frontends=web" in output
    assert "stopping frontends=web" in output
