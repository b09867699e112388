"""The console as users meet it: ``reportbot web`` in its own process on a free 127.0.0.1 port, over a copy of
the session's corpus knowledge base, with one account per role made by ``reportbot user add``; and headless
Debian chromium driven by Playwright (``/usr/bin/chromium``; skipped with the reason when it is missing).

Fixtures: ``web`` (session: the ``WebServer`` with ``.url``, ``.data_dir``, ``.users[role]``,
``.audit_lines()``, ``.add_user()``), ``browser`` (per module), ``page`` (a fresh context per test: no cookies,
1280x800, zh-CN, ``base_url`` = the console, so ``page.goto("/docs")`` works). Helpers in ``tests/web/support.py``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any

import pytest

from tests.bot.cli.conftest import run_cli
from tests.support.env import child_env
from tests.web.support import CHROMIUM, ROLES, User, WebServer, free_port, make_password

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Browser, Page

START_SECONDS = 180


@pytest.fixture(scope="session")
def web_data_dir(corpus_services: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir of the console's own, holding the session's corpus knowledge base (copied, not re-ingested)."""
    source = corpus_services.lexical.directory.parents[1]
    target = tmp_path_factory.mktemp("web") / "data"
    with corpus_services.store.write_lock():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.lock", "lock"))
    return target


@pytest.fixture(scope="session")
def web(
    web_data_dir: Path, tmp_path_factory: pytest.TempPathFactory, embedding_cache_dir: Path
) -> Iterator[WebServer]:
    """``reportbot web`` serving ``web_data_dir``; accounts ``admin``, ``writer``, ``viewer`` (``.users``)."""
    users: dict[str, User] = {}
    for role in ROLES:
        user = User(role, make_password(), role)
        done = run_cli(
            "user", "add", role, "--role", role, "--data-dir", str(web_data_dir), stdin=user.password + "\n"
        )
        assert done.code == 0, done.stderr
        users[role] = user
    port = free_port()
    log = tmp_path_factory.mktemp("web-log") / "web.log"
    env = child_env(
        REPORTBOT_WEB_PORT=str(port),
        REPORTBOT_WEB_HOST="127.0.0.1",
        REPORTBOT_WEB_TRUSTED_PROXIES="127.0.0.1",  # the test plays the reverse proxy for the Secure-cookie test
        REPORTBOT_EMBEDDING_CACHE_DIR=str(embedding_cache_dir),
    )
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "web", "--data-dir", str(web_data_dir)],
            env=env,
            cwd=tempfile.gettempdir(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = WebServer(f"http://127.0.0.1:{port}", web_data_dir, process, log, users)
    try:
        _wait_until_up(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(server: WebServer) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(
                f"reportbot web exited {server.process.returncode}:\n{server.log.read_text(errors='replace')}"
            )
        try:
            with urllib.request.urlopen(f"{server.url}/login", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    pytest.fail(
        f"reportbot web did not answer within {START_SECONDS}s:\n{server.log.read_text(errors='replace')}"
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Debian chromium (never a downloaded browser), one per module: Playwright's sync API holds an
    event loop in the main thread while it runs, and the asyncio tests that run after these need it gone.
    """
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} not found: install Debian's chromium (.ci/run does) to run the browser tests"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser, web: WebServer) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies) whose relative URLs go to the console."""
    context = browser.new_context(base_url=web.url, viewport={"width": 1280, "height": 800}, locale="zh-CN")
    context.set_default_timeout(20_000)
    try:
        yield context.new_page()
    finally:
        context.close()
