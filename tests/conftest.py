"""Shared fixtures. Fixtures that build a real index of ../shared/corpus are session-scoped: built once."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import pytest_asyncio

if TYPE_CHECKING:
    from tests.bot.fake_bot_api import FakeBotApi
    from tests.bot.wecom.fake_server import FakeWeCom

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing may reach a model hub from the tests

REPO_DIR = Path(__file__).resolve().parents[1]
CORPUS_DIR = Path(os.environ.get("REPORTBOT_TEST_CORPUS") or REPO_DIR / ".." / "shared" / "corpus").resolve()
EXAMPLES_DIR = REPO_DIR / "examples"
TRADITIONAL_REPORT = "000_fb7231d1c4689332.txt"


@pytest.fixture(autouse=True)
def _no_reportbot_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests build Settings explicitly; a developer's REPORTBOT_* environment must not leak in."""
    for name in list(os.environ):
        if name.startswith("REPORTBOT_"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The five real reports (read-only, beside the project)."""
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS_DIR}")
    return CORPUS_DIR


@pytest.fixture(scope="session")
def corpus_services(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path):  # noqa: ANN201
    """Real services (Chroma, bundled embedder, BM25) over an index of the shared corpus, built once."""
    from bot.services import build_services
    from bot.settings import Settings

    data_dir = tmp_path_factory.mktemp("corpus-index")
    services = build_services(Settings(data_dir=data_dir, _env_file=None))
    report = services.ingest.ingest([corpus_dir])
    assert not report.failed, report.failed
    return services


@pytest.fixture
def openai_server():  # noqa: ANN201
    """A real OpenAI-compatible HTTP server on 127.0.0.1 (tests/fakes/openai_server.py), one per test.

    Script it with ``openai_server.script("回答[1]。")`` / ``script(lambda req: ...)`` /
    ``script(delay=5)`` / ``script(status=500)`` / ``script(raw=b"junk")``; inspect ``.requests``.
    """
    from tests.fakes.openai_server import FakeOpenAIServer

    server = FakeOpenAIServer().start()
    yield server
    server.close()


@pytest_asyncio.fixture(loop_scope="function")
async def fake() -> AsyncIterator[FakeWeCom]:
    """A started fake WeCom server (for the WeCom client, serve, doctor and the reliability suites)."""
    from tests.bot.wecom.fake_server import FakeWeCom

    server = FakeWeCom()
    await server.start()
    try:
        yield server
    finally:
        await server.close()


@pytest_asyncio.fixture(loop_scope="function")
async def fake_api() -> AsyncIterator[FakeBotApi]:
    """A fake Telegram Bot API on a free port of 127.0.0.1 (for the Telegram and reliability suites)."""
    from tests.bot.conftest import TOKEN
    from tests.bot.fake_bot_api import FakeBotApi

    api = FakeBotApi(TOKEN)
    await api.start()
    try:
        yield api
    finally:
        await api.stop()
