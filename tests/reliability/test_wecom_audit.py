"""Audit over WeCom: /docs, /stats and every button press (allowed or denied) leave exactly one line each."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest

from bot.chat import texts
from tests.bot.wecom.e2e import ADMIN, STRANGER, USER, wait_card, wait_final
from tests.reliability.chat_fixtures import streaming_services
from tests.reliability.wecom_fixtures import (
    serving,
    times_delivered,
)

if TYPE_CHECKING:
    from pathlib import Path

    from tests.bot.wecom.fake_server import FakeWeCom

pytestmark = pytest.mark.asyncio(loop_scope="function")


def lines_of(data_dir: Path, user: str) -> list[str]:
    """The audit lines of ``user``."""
    log = data_dir / "audit.log"
    text = log.read_text(encoding="utf-8") if log.exists() else ""
    return [line for line in text.splitlines() if f" user={user} " in line]


def actions(lines: list[str]) -> list[str]:
    """``action=… outcome=…`` of each line."""
    return [line.split(" action=")[1].split(" what=")[0] for line in lines]


async def test_admin_reads_and_button_presses_are_audited_once(fake: FakeWeCom, tmp_path: Path) -> None:
    async with serving(fake, tmp_path, streaming_services(pieces=0)):
        docs = await fake.push_text(ADMIN, "/docs")
        stats = await fake.push_text(ADMIN, "/stats")
        await wait_final(fake, docs, timeout=10)
        await wait_final(fake, stats, timeout=10)
        asked = await fake.push_text(USER, "上半年做了什么？")
        card = await wait_card(fake, asked, timeout=10)
        key = card["button_list"][0]["key"]
        await fake.push_click(USER, card["task_id"], key)
        await fake.wait_for(lambda f: f.frames("aibot_respond_update_msg"), 10)
        await fake.push_click(STRANGER, card["task_id"], key)
        await fake.push_click(USER, card["task_id"], "not-a-citation-key")
        await fake.wait_for(lambda f: len(lines_of(tmp_path, USER)) >= 3, 10)
    assert actions(lines_of(tmp_path, ADMIN)) == ["docs outcome=shown", "stats outcome=shown"]
    assert sorted(actions(lines_of(tmp_path, USER))) == [  # the answer's line is written once it is delivered
        "ask outcome=answered",
        "button outcome=expired",
        "button outcome=shown",
    ]
    [denied] = lines_of(tmp_path, STRANGER)
    assert "action=button outcome=denied" in denied


async def test_a_failed_delivery_is_audited_and_the_user_told(fake: FakeWeCom, tmp_path: Path) -> None:
    fake.muted.update({"aibot_respond_msg", "aibot_send_msg"})  # the server takes frames but never acks them
    async with serving(fake, tmp_path, streaming_services(pieces=0), delivery_deadline=1.0) as running:
        running.client.ack_timeout = 0.2
        asked = await fake.push_text(USER, "上半年做了什么？")
        async with asyncio.timeout(15):  # the audit file changes without a frame: poll it
            while not any("outcome=failed" in line for line in lines_of(tmp_path, USER)):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        fake.muted.clear()  # the network is back: the short notice gets through
        await fake.wait_for(lambda f: times_delivered(f, asked, USER, texts.DELIVERY_FAILED) >= 1, 10)
    [line] = lines_of(tmp_path, USER)
    assert "action=ask outcome=failed" in line
