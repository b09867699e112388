"""The audit log's hash chain: ``reportbot audit verify`` names the first edited or deleted record."""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING

from bot.chat.audit import AuditLog
from bot.chat.audit_chain import ChainFiles, verify
from tests.bot.cli.conftest import run_cli

if TYPE_CHECKING:
    from pathlib import Path


def _log_with(data_dir: Path, count: int = 5) -> Path:
    log = AuditLog(data_dir / "audit.log").for_frontend("web")
    for n in range(count):
        log.record(user_id=f"user{n}", chat_id=None, action="sign_in", outcome="ok")
    return data_dir / "audit.log"


def _rewrite(path: Path, lines: list[str]) -> None:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def test_an_untouched_log_verifies(tmp_path: Path) -> None:
    _log_with(tmp_path)
    done = run_cli("audit", "verify", "--data-dir", str(tmp_path))
    assert done.code == 0, done.stderr
    assert "审计日志完好：5 条记录" in done.stdout


def test_an_edited_line_is_found_by_its_number(tmp_path: Path) -> None:
    path = _log_with(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("outcome=ok", "outcome=failed")
    _rewrite(path, lines)
    done = run_cli("audit", "verify", "--data-dir", str(tmp_path))
    assert done.code == 1
    assert "audit.log 第 3 行" in done.stderr


def test_a_deleted_line_is_found_where_the_chain_breaks(tmp_path: Path) -> None:
    path = _log_with(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    del lines[1]
    _rewrite(path, lines)
    done = run_cli("audit", "verify", "--data-dir", str(tmp_path))
    assert done.code == 1
    assert "audit.log 第 2 行" in done.stderr


def test_deleting_the_last_lines_is_found_too(tmp_path: Path) -> None:
    path = _log_with(tmp_path)
    _rewrite(path, path.read_text(encoding="utf-8").splitlines()[:3])
    verdict = verify(ChainFiles(path))
    assert not verdict.ok
    assert (verdict.line, verdict.problem) == (4, "末尾的记录被删除")


def test_lines_from_before_the_chain_are_covered_by_it(tmp_path: Path) -> None:
    path = tmp_path / "audit.log"
    path.write_text(
        "ts=2025-01-01T00:00:00+00:00 frontend=telegram user=1 chat=1 action=ask outcome=answered what=q\n"
    )
    _log_with(tmp_path, 2)
    assert verify(ChainFiles(path)).ok
    path.write_text(path.read_text().replace("what=q", "what=changed"))
    assert not verify(ChainFiles(path)).ok


def test_rotation_continues_the_chain_and_keeps_young_files(tmp_path: Path) -> None:
    chain = ChainFiles(tmp_path / "audit.log", rotate_bytes=400)
    log = AuditLog(tmp_path / "audit.log", chain=chain)
    for n in range(12):
        log.record(user_id=n, chat_id=None, action="ask", outcome="answered", what="问" * 20)
    assert len(chain.files()) > 2
    verdict = verify(chain)
    assert verdict.ok
    assert verdict.records == 12
    assert AuditLog(tmp_path / "audit.log", chain=chain).questions_answered == 12

    oldest = chain.files()[0]
    year_ago = time.time() - 365 * 86400
    os.utime(oldest, (year_ago, year_ago))
    young = chain.files()[1]
    os.utime(young, (time.time() - 179 * 86400,) * 2)
    for n in range(6):
        log.record(user_id=n, chat_id=None, action="ask", outcome="answered", what="问" * 20)
    assert not oldest.exists()  # older than 180 days: removed at the next rotation
    assert young.exists()  # 179 days: kept
    assert verify(chain).ok  # the kept chain starts where the removed file ended


def test_a_retention_below_180_days_is_raised_to_180(tmp_path: Path) -> None:
    assert ChainFiles(tmp_path / "audit.log", retention_days=30).retention_days == 180
