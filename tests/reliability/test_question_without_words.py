"""Item 18.5: a question with no words (5,000 emoji, "？？", "的") gets "请输入具体问题…" and nothing else.

The real WeCom front end against the strict fake WeCom server, on real services (Chroma, bundled embedder, jieba,
BM25) over an invented report, and the real CLI. Before, such a question got a confident, cited, unrelated answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from bot.cli import app
from retrieval.answers.states import EMPTY_TEXT
from tests.bot.wecom.e2e import ADMIN, wait_final
from tests.reliability.wecom_fixtures import serving
from tests.support.small_kb import ingested_services, write_report

if TYPE_CHECKING:
    from pathlib import Path

    from tests.bot.wecom.fake_server import FakeWeCom

NO_WORDS = ("😀" * 5000, "？？", "的", "多少", "……！！")


@pytest.mark.asyncio(loop_scope="function")
async def test_a_question_without_words_gets_the_hint_and_nothing_else(
    fake: FakeWeCom, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    async with serving(fake, data_dir, ingested_services(data_dir)):
        replies = [await wait_final(fake, await fake.push_text(ADMIN, q), timeout=120) for q in NO_WORDS]
    for question, text in zip(NO_WORDS, replies, strict=True):
        assert EMPTY_TEXT in text, question[:10]
        assert "[1]" not in text  # no passage was cited
        assert "来源" not in text


def test_the_cli_answers_a_question_without_words_with_the_hint(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    runner = CliRunner()
    done = runner.invoke(app, ["ingest", str(write_report(tmp_path / "docs")), "--data-dir", str(data_dir)])
    assert done.exit_code == 0, done.output
    for question in ("的", "？？", "😀" * 5000):
        result = runner.invoke(app, ["ask", question, "--data-dir", str(data_dir)])
        assert EMPTY_TEXT in result.stdout
        assert "来源" not in result.stdout
