"""Shared fixtures. Fixtures that build a real index of ../shared/corpus are session-scoped: built once."""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING

import pytest
import pytest_asyncio

from tests.support.corpus import REPO_DIR, require_corpus
from tests.support.env import EMBEDDING_CACHE_VARIABLE

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from pathlib import Path

    from tests.bot.dingtalk.fake_server import FakeDingTalk
    from tests.bot.fake_bot_api import FakeBotApi
    from tests.bot.wecom.fake_server import FakeWeCom

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing may reach a model hub from the tests

EXAMPLES_DIR = REPO_DIR / "examples"
TRADITIONAL_REPORT = "000_fb7231d1c4689332.txt"


CORPUS_GROUP = "corpus-index"


def pytest_itemcollected(item: pytest.Item) -> None:
    """Tests on the session's corpus index run in one xdist worker (``--dist loadgroup``), so it is built once.

    Marked as each test is collected, before any ``pytest_collection_modifyitems`` (xdist's reads the groups).
    """
    if "corpus_services" in getattr(item, "fixturenames", ()):
        item.add_marker(pytest.mark.xdist_group(CORPUS_GROUP))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under ``--dist loadgroup`` xdist must have read the group into the node ids (pytest 9.2 stopped reading
    what xdist 3.8 writes): otherwise every worker would build the corpus index.
    """
    if not getattr(config.option, "loadgroup", False):  # set in xdist's workers only
        return
    lost = [i.nodeid for i in items if i.get_closest_marker("xdist_group") and "@" not in i.nodeid]
    if lost:
        msg = f"pytest-xdist did not group {len(lost)} corpus-index tests (e.g. {lost[0]}): check its pytest version"
        raise pytest.UsageError(msg)


@pytest.fixture(scope="session")
def embedding_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One embedding cache for the whole run, shared by the xdist workers and every process a test starts:
    a text is embedded once, whichever test asks (SQLite serialises the writers).
    """
    if not os.environ.get("PYTEST_XDIST_WORKER"):  # one process
        return tmp_path_factory.mktemp("embedding-cache")
    shared = tmp_path_factory.getbasetemp().parent / "embedding-cache"
    shared.mkdir(exist_ok=True)
    return shared


@pytest.fixture(scope="session", autouse=True)
def _session_reportbot_env(embedding_cache_dir: Path) -> Iterator[None]:
    """``_no_reportbot_env`` for the session- and module-scoped fixtures too: they are set up before any
    function-scoped fixture, so a knowledge base they build (``tests/bot/cli/conftest.py``'s ``kb``, ingested
    by a ``reportbot`` process) would otherwise see a developer's ``REPORTBOT_*`` settings and keep its vectors
    in its data dir's own cache, and a test re-ingesting a copy with the session's cache would embed every
    chunk anew unless another test had happened to embed the same texts before.
    """
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("REPORTBOT_"):
                patch.delenv(name)
        patch.setenv(EMBEDDING_CACHE_VARIABLE, str(embedding_cache_dir))
        yield


@pytest.fixture(autouse=True)
def _no_reportbot_env(monkeypatch: pytest.MonkeyPatch, embedding_cache_dir: Path) -> None:
    """Tests build Settings explicitly; a developer's REPORTBOT_* environment must not leak in. The session's
    embedding cache is the one setting every test (and every process it starts: tests/support/env.py) shares.
    """
    for name in list(os.environ):
        if name.startswith("REPORTBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv(EMBEDDING_CACHE_VARIABLE, str(embedding_cache_dir))


@pytest.fixture
def own_embedding_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """For tests of the embedding cache itself: each data dir keeps its own (the product's default)."""
    monkeypatch.delenv(EMBEDDING_CACHE_VARIABLE)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The five real reports (read-only, beside the project)."""
    return require_corpus()


@pytest.fixture(scope="session")
def corpus_services(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path, embedding_cache_dir: Path):
    """Real services (Chroma, bundled embedder, BM25) over an index of the shared corpus, built once."""
    from bot.services import build_services
    from bot.settings import Settings

    data_dir = tmp_path_factory.mktemp("corpus-index")
    services = build_services(
        Settings(data_dir=data_dir, embedding_cache_dir=embedding_cache_dir, _env_file=None)
    )
    report = services.ingest.ingest([corpus_dir])
    assert not report.failed, report.failed
    return services


@pytest.fixture
def corpus_data_copy(corpus_services, tmp_path: Path) -> Path:
    """A data dir of one's own holding the session's corpus knowledge base (copied, not ingested again), for
    tests that run the real CLI or ``serve`` on it in another process or change it.
    """
    source = corpus_services.lexical.directory.parents[1]  # <data>/lexical/<collection>
    target = tmp_path / "data"
    with corpus_services.store.write_lock():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.lock", "lock"))
    return target


@pytest.fixture
def openai_server():
    """A real OpenAI-compatible HTTP server on 127.0.0.1 (tests/fakes/openai_server.py), one per test.

    Script it with ``openai_server.script("回答[1]。")`` / ``script(lambda req: ...)`` /
    ``script(delay=5)`` / ``script(status=500)`` / ``script(raw=b"junk")``; inspect ``.requests``.
    """
    from tests.fakes.openai_server import FakeOpenAIServer

    server = FakeOpenAIServer().start()
    yield server
    server.close()


@pytest.fixture
def model_server():
    """A real embeddings + rerank server on 127.0.0.1 (tests/fakes/model_server.py), one per test.

    Script faults with ``model_server.script(status=500, times=2)`` / ``script(delay=3)`` / ``script(dims=16)``
    / ``script(drop=1)``; inspect ``.requests`` and ``.peak``.
    """
    from tests.fakes.model_server import FakeModelServer

    server = FakeModelServer().start()
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
        await api.close()


@pytest_asyncio.fixture(loop_scope="function")
async def dingtalk() -> AsyncIterator[FakeDingTalk]:
    """A started fake DingTalk: Stream gateway, WebSocket, OpenAPI, session webhooks, files (DingTalk, serve, doctor)."""
    from tests.bot.dingtalk.fake_server import FakeDingTalk

    server = FakeDingTalk()
    await server.start()
    try:
        yield server
    finally:
        await server.close()
