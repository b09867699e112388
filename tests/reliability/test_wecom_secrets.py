"""Item 18.9: with DEBUG logging, no run of 8 or more characters of the WeCom secret reaches a log line.

Two layers, each tested on its own: the WeCom client hands websockets a logger that withholds any frame carrying
the secret (a real connection to the strict fake WeCom server, a question answered, every log record at DEBUG
captured); and ``bot.redact`` masks fragments, so a truncated frame logged by any other path (here the exact
shape websockets writes, the secret's last 20 of 43 characters) is masked too.
"""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING

import pytest
import pytest_asyncio

from bot.redact import MASK, MIN_FRAGMENT_CHARS, install_secret_filter, remove_secret_filter
from bot.wecom.wslog import WITHHELD
from tests.bot.wecom.e2e import USER, wait_final
from tests.bot.wecom.fake_server import FakeWeCom
from tests.reliability.chat_fixtures import streaming_services
from tests.reliability.wecom_fixtures import serving

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

SECRET = (secrets.token_urlsafe(40) + "A" * 43)[:43]  # WeCom secrets have 43 characters


def fragments(text: str, secret: str = SECRET) -> list[str]:
    """Every run of ``MIN_FRAGMENT_CHARS`` characters of ``secret`` found in ``text``."""
    runs = {secret[i : i + MIN_FRAGMENT_CHARS] for i in range(len(secret) - MIN_FRAGMENT_CHARS + 1)}
    return sorted(run for run in runs if run in text)


@pytest_asyncio.fixture(loop_scope="function")
async def wecom() -> AsyncIterator[FakeWeCom]:
    server = FakeWeCom(secret=SECRET)
    await server.start()
    try:
        yield server
    finally:
        await server.close()


@pytest.mark.asyncio(loop_scope="function")
async def test_debug_frame_logs_never_show_a_run_of_the_secret(
    wecom: FakeWeCom, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with serving(wecom, tmp_path, streaming_services(pieces=1, pause=0.1)):
        req_id = await wecom.push_text(USER, "上半年做了什么？")
        await wait_final(wecom, req_id, timeout=20)
    frames = [r for r in caplog.records if r.name.startswith("bot.wecom.ws")]
    assert len(frames) > 5  # websockets did log its frames at DEBUG
    assert WITHHELD in caplog.text  # the subscribe frame was withheld
    assert fragments(caplog.text) == []


def test_a_truncated_frame_line_with_the_secrets_tail_is_masked(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    flt = install_secret_filter(SECRET)
    try:
        line = '{"cmd":"aibot_subscribe","body":{"bot_id":"aibot-test","secret":"' + SECRET + '"}}'
        shown = (
            line[:40] + "..." + line[-23:]
        )  # websockets' truncation: the secret's last 20 characters remain
        assert SECRET[-20:] in shown
        logging.getLogger("websockets.client").debug("> TEXT '%s' [%d bytes]", shown, len(line))
        logging.getLogger("bot.wecom.ws").debug("< TEXT %r", SECRET[5:17])  # a run from the middle
        logging.getLogger("bot.wecom.client").info("wecom subscribed bot_id=aibot-test connection=1")
    finally:
        remove_secret_filter(flt)
    assert fragments(caplog.text) == []
    assert caplog.text.count(MASK) == 2
    assert "wecom subscribed bot_id=aibot-test connection=1" in caplog.text  # other lines untouched
