"""A small real knowledge base (one report with long sentences full of figures) and the CLI as users run it:
a separate ``reportbot`` process whose stdout is a pipe."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from tests.support.env import child_env

if TYPE_CHECKING:
    from pathlib import Path

LONG_SOURCE = "县卫生健康局2024年上半年卫生健康工作总结及下半年工作计划_定稿_办公室印发.txt"
LONG_SENTENCE = (
    "全县法定传染病报告发病率同比下降8.2%，其中手足口病报告病例较去年同期下降15.6%，"
    "累计开展重点场所消杀9批次1500人次，完成适龄儿童免疫规划疫苗接种38,426剂次，接种率达到98.7%。"
)
REPORT = f"""县卫生健康局2024年上半年卫生健康工作总结

一、上半年工作完成情况
（一）传染病防控。{LONG_SENTENCE}
（二）家庭医生签约服务。截至6月底，全县签约居民5.2万人，签约率31.5%，重点人群签约率78.6%。

二、下半年工作计划
（一）推进紧密型医共体建设，组建12个专科质控中心。
"""


@dataclass(frozen=True)
class Run:
    """One finished ``reportbot`` process."""

    code: int
    stdout: str
    stderr: str


def run_cli(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> Run:
    """``reportbot ARGS`` in a new process, stdout and stderr pipes, no REPORTBOT_* setting inherited."""
    base = child_env()
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        env={**base, **(env or {})},
        input=stdin,
        cwd=tempfile.gettempdir(),  # away from a developer's .env
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="session")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the one report (under a long file name)."""
    folder = tmp_path_factory.mktemp("cli-report")
    (folder / LONG_SOURCE).write_text(REPORT, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def kb(tmp_path_factory: pytest.TempPathFactory, report_dir: Path) -> Path:
    """The data dir of a knowledge base holding that report, ingested through the CLI once per session."""
    data = tmp_path_factory.mktemp("cli-kb")
    result = run_cli("ingest", str(report_dir), "--data-dir", str(data))
    assert result.code == 0, result.stderr
    return data
