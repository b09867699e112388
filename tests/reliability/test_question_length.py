"""Item 18.4: a question's length is capped, with a Chinese reply naming the cap, so long ones never stall others.

The real WeCom front end (WeCom accepts long texts) against the strict fake WeCom server, on real services
(Chroma, bundled embedder, jieba, BM25) over an invented report; and the real CLI. Two 30,000-character
questions (search alone took 7.7 s at 10,000 characters) arrive just before another user's question: they get
the cap reply at once, audited ``refused``, and the other user's answer takes about as long as when asked alone.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.settings import DEFAULT_QUESTION_MAX_CHARS
from tests.bot.wecom.e2e import ADMIN, USER, wait_final
from tests.reliability.wecom_fixtures import serving
from tests.support.small_kb import QUESTIONS, ingested_services, write_report

if TYPE_CHECKING:
    from pathlib import Path

    from tests.bot.wecom.fake_server import FakeWeCom

LONG = (QUESTIONS[0] * 2000)[:30_000]
CAP_WORDS = f"请控制在 {DEFAULT_QUESTION_MAX_CHARS} 字以内"
SLACK = 2.0
"""How much longer the other user's answer may take beside the long questions than alone (seconds)."""


async def ask_timed(fake: FakeWeCom, user: str, question: str) -> tuple[str, float]:
    started = time.monotonic()
    req_id = await fake.push_text(user, question)
    text = await wait_final(fake, req_id, timeout=120)
    return text, time.monotonic() - started


@pytest.mark.asyncio(loop_scope="function")
async def test_long_questions_get_the_cap_reply_and_never_delay_another_users_answer(
    fake: FakeWeCom, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    services = ingested_services(data_dir)
    async with serving(fake, data_dir, services):
        _, alone = await ask_timed(fake, ADMIN, QUESTIONS[1])
        long_ids = [await fake.push_text(USER, LONG) for _ in range(2)]
        answer, beside = await ask_timed(fake, ADMIN, QUESTIONS[2])
        refusals = [await wait_final(fake, req_id, timeout=120) for req_id in long_ids]
    print(f"\nanswer alone {alone:.1f}s, beside two 30,000-character questions {beside:.1f}s")
    assert "[1]" in answer
    assert beside < alone + SLACK
    for text in refusals:
        assert CAP_WORDS in text
        assert "30000 字" in text
        assert "[1]" not in text  # nothing was searched or answered
    audit = (data_dir / "audit.log").read_text(encoding="utf-8").splitlines()
    refused = [line for line in audit if f"user={USER} " in line]
    assert len(refused) == 2
    assert all("action=ask outcome=refused" in line and "reason=too_long" in line for line in refused)


def test_the_cli_refuses_a_long_question_with_one_chinese_sentence(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    runner = CliRunner()
    done = runner.invoke(app, ["ingest", str(write_report(tmp_path / "docs")), "--data-dir", str(data_dir)])
    assert done.exit_code == 0, done.output
    result = runner.invoke(app, ["ask", LONG, "--data-dir", str(data_dir)])
    assert result.exit_code == 1
    assert CAP_WORDS in result.stderr
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
