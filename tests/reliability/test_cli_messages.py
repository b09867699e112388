"""Item 18.12: a failing CLI command prints its Chinese sentence and nothing else; the log goes to the data dir.

The real ``reportbot`` entry point (``bot.cli.main``) in its own process: a batch with a broken .docx beside a
good report, and ``ask`` with the model unreachable. stderr holds only Chinese sentences (no English
``WARNING ingest.service … error=…`` line); the log records are in ``<data dir>/logs/reportbot.log``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from typing import TYPE_CHECKING

from bot.cli.logs import LOG_DIR, LOG_NAME
from tests.fakes.openai_server import unused_base_url
from tests.support.corpus import REPO_DIR
from tests.support.env import child_env
from tests.support.small_kb import write_report

if TYPE_CHECKING:
    from pathlib import Path

REPORTBOT = [sys.executable, "-c", "from bot.cli import main; main()"]
_CJK = re.compile(r"[\u4e00-\u9fff]")


def reportbot(*args: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    values = child_env(
        PYTHONPATH=str(REPO_DIR), OMP_WAIT_POLICY="PASSIVE", REPORTBOT_DATA_DIR=str(data_dir), **env
    )
    return subprocess.run(
        [*REPORTBOT, *args],
        env=values,
        cwd=data_dir.parent,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


def test_cli_failures_print_only_chinese_and_log_to_the_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    docs = tmp_path / "docs"
    write_report(docs)
    (docs / "损坏的文件.docx").write_bytes(b"this is not a zip archive")
    ingest = reportbot("ingest", str(docs), data_dir=data_dir)
    assert ingest.returncode == 1, ingest.stderr
    errors = ingest.stderr.strip().splitlines()
    assert errors
    assert all(_CJK.search(line) for line in errors), errors
    assert "WARNING" not in ingest.stderr
    assert "ingest.service" not in ingest.stderr
    assert "损坏的文件.docx" in ingest.stdout + ingest.stderr  # the file is named to the user

    asked = reportbot(
        "ask", "上半年传染病防控培训开展了多少次？", data_dir=data_dir,
        REPORTBOT_LLM_BASE_URL=unused_base_url(), REPORTBOT_LLM_API_KEY="sk-test-key-0123456789",
    )  # fmt: skip
    assert asked.returncode == 0, asked.stderr
    assert "12次" in asked.stdout
    assert "无法连接服务" in asked.stdout  # the user is told why the model was not used …
    assert asked.stderr == ""  # … and the terminal gets no log line

    log = (data_dir / LOG_DIR / LOG_NAME).read_text(encoding="utf-8")
    assert "WARNING ingest.service ingest failed" in log
    assert "WARNING retrieval.answers.service llm_failed" in log
    assert "sk-test-key-0123456789" not in log
