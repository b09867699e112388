"""Audit through the real Telegram front end: every question, admin action, denied attempt and button press
leaves exactly one line with its outcome."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.bot.conftest import ADMIN, STRANGER, USER
from tests.reliability.chat_fixtures import serving, streaming_services

if TYPE_CHECKING:
    from pathlib import Path

    from tests.bot.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.asyncio(loop_scope="function")


def lines_of(data_dir: Path, user: int) -> list[str]:
    text = (data_dir / "audit.log").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if f" user={user} " in line]


async def test_each_request_leaves_one_line_with_its_outcome(fake_api: FakeBotApi, tmp_path: Path) -> None:
    async with serving(fake_api, tmp_path, streaming_services(pieces=0)):
        for attempt in range(5):
            fake_api.send_text(STRANGER, f"第{attempt}次提问")
        fake_api.send_text(ADMIN, "/docs")
        fake_api.send_text(ADMIN, "/stats")
        fake_api.send_text(USER, "上半年做了什么？")
        [answer] = await fake_api.wait_for_messages(USER, 1)
        button = answer["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        fake_api.press_button(USER, answer, button)
        fake_api.press_button(STRANGER, answer, button)
        await fake_api.wait_for_messages(USER, 2)
        await fake_api.wait_for_messages(ADMIN, 2)
        await fake_api.settle()
    stranger = lines_of(tmp_path, STRANGER)
    assert len(stranger) == 6  # five questions and one button press, each audited
    assert all("outcome=denied" in line for line in stranger)
    assert len(fake_api.bot_messages(STRANGER)) == 1  # told once
    admin = lines_of(tmp_path, ADMIN)
    assert [line.split(" action=")[1].split(" what=")[0] for line in admin] == [
        "docs outcome=shown",
        "stats outcome=shown",
    ]
    user = lines_of(tmp_path, USER)
    assert len(user) == 2
    assert "action=ask outcome=answered" in user[0]
    assert "action=button outcome=shown" in user[1]
