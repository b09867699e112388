"""Item 18.10: a Telegram button press whose data is not a citation is answered and audited.

The real Application against the fake Bot API: presses with stray data (an old keyboard's, a forged one, a
near-citation) each get ``answerCallbackQuery`` with a short Chinese text (the client's spinner stops) and
one audit line ``action=button outcome=unknown``; a stranger's stray press is refused and audited too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.chat.texts import UNKNOWN_BUTTON
from tests.bot.conftest import USER
from tests.reliability.chat_fixtures import serving, streaming_services

if TYPE_CHECKING:
    from pathlib import Path

    from tests.bot.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.asyncio(loop_scope="function")

STRAY = ["menu:open", "cite:abc:1", "cite:1"]
STRANGER = 4242


async def test_stray_button_presses_are_answered_and_audited(fake_api: FakeBotApi, tmp_path: Path) -> None:
    async with serving(fake_api, tmp_path, streaming_services(pieces=0)):
        fake_api.send_text(USER, "上半年做了什么？")
        [answer] = await fake_api.wait_for_messages(USER, 1)
        presses = [fake_api.press_button(USER, answer, data) for data in STRAY]
        presses.append(fake_api.press_button(STRANGER, answer, "menu:open"))

        def answered(api: FakeBotApi) -> bool:
            done = {str(c.params.get("callback_query_id")) for c in api.calls_of("answerCallbackQuery")}
            return all(p in done for p in presses)

        await fake_api.wait_for(answered, within=10)
    by_id = {str(c.params["callback_query_id"]): c for c in fake_api.calls_of("answerCallbackQuery")}
    for press in presses[:-1]:
        assert by_id[press].params.get("text") == UNKNOWN_BUTTON
    assert by_id[presses[-1]].params.get("text")  # the stranger is told too, not left spinning
    lines = (tmp_path / "audit.log").read_text(encoding="utf-8").splitlines()
    unknown = [line for line in lines if "action=button outcome=unknown" in line]
    assert len(unknown) == len(STRAY)
    assert all(f"user={USER} " in line for line in unknown)
    assert [line for line in lines if f"user={STRANGER} " in line and "action=button outcome=denied" in line]
