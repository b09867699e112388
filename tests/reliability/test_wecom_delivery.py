"""WeCom delivery under faults: the complete answer arrives exactly once, flood limits hold, shutdown tells users.

Load and faults run here, against the strict fake WeCom server and the real client and glue: an ack with a
transient errcode once, a dropped connection while an answer streams, slow acks (0.3 s each), a flood of
25 questions to one chat (50 counted messages), questions arriving while the process drains.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest

from bot.chat import texts
from bot.chat.flood import FloodLimits
from tests.bot.wecom.e2e import USER, replies_to, wait_final
from tests.reliability.chat_fixtures import streaming_services
from tests.reliability.wecom_fixtures import (
    counted_messages,
    finished_streams,
    serving,
    times_delivered,
)

if TYPE_CHECKING:
    from pathlib import Path

    from tests.bot.wecom.fake_server import FakeWeCom

pytestmark = pytest.mark.asyncio(loop_scope="function")

QUESTION = "上半年做了什么？"
ANSWER = f"关于“{QUESTION}”：上半年开展培训6次"


async def test_a_transient_errcode_once_still_delivers_the_answer_once(
    fake: FakeWeCom, tmp_path: Path
) -> None:
    fake.fail_once["aibot_respond_msg"] = -1  # "system busy" on the stream's first frame
    async with serving(fake, tmp_path, streaming_services(pieces=2, pause=0.1)):
        req_id = await fake.push_text(USER, QUESTION)
        final = await wait_final(fake, req_id, timeout=20)
    assert ANSWER in final
    assert "来源" in final
    assert times_delivered(fake, req_id, USER, ANSWER) == 1
    assert next(r.errcode for r in replies_to(fake, req_id)) == -1  # the fault did happen


async def test_a_dropped_connection_mid_stream_still_delivers_the_answer_once(
    fake: FakeWeCom, tmp_path: Path
) -> None:
    async with serving(fake, tmp_path, streaming_services(pieces=4, pause=0.4)):
        req_id = await fake.push_text(USER, QUESTION)
        await fake.wait_for(lambda f: any("根据资料" in r.raw for r in replies_to(f, req_id)), 10)
        await fake.drop()
        final = await wait_final(fake, req_id, timeout=20)
    assert ANSWER in final
    assert times_delivered(fake, req_id, USER, ANSWER) == 1
    assert fake.subscriptions >= 2  # it reconnected
    assert len({r.connection for r in replies_to(fake, req_id)}) == 2  # the answer finished on the new one


async def test_slow_acks_still_deliver_every_answer_once(fake: FakeWeCom, tmp_path: Path) -> None:
    fake.ack_delay = 0.3
    async with serving(fake, tmp_path, streaming_services(pieces=2, pause=0.1)):
        req_id = await fake.push_text(USER, QUESTION)
        final = await wait_final(fake, req_id, timeout=30)
    assert ANSWER in final
    assert times_delivered(fake, req_id, USER, ANSWER) == 1


async def test_a_flood_to_one_chat_never_exceeds_30_messages_per_window(
    fake: FakeWeCom, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # WeCom's limit with its one-minute window scaled to 2 s (the same limiter code, a test that takes seconds)
    window = 2.0
    monkeypatch.setattr(
        "bot.wecom.frontend.WECOM_LIMITS",
        FloodLimits(per_chat_interval=0.0, group_per_minute=30, overall_per_second=30, group_window=window),
    )
    fake.replies.per_chat_per_minute = 10**6  # the test checks the window itself, from the frame log
    questions = [f"第{i}个问题：上半年做了什么？" for i in range(25)]
    async with serving(fake, tmp_path, streaming_services(pieces=0), rate_limit_per_minute=1000):
        req_ids = [await fake.push_text(USER, q) for q in questions]
        finals = await asyncio.gather(*(wait_final(fake, r, timeout=60) for r in req_ids))
        await fake.wait_for(lambda f: len(f.frames("aibot_respond_msg", ok=True)) >= 2 * len(req_ids), 30)
    for question, final in zip(questions, finals, strict=True):
        assert f"关于“{question}”" in final
    assert all(len(finished_streams(fake, r)) == 1 for r in req_ids)  # each answered exactly once
    times = counted_messages(fake, USER)
    assert len(times) >= 50  # 25 streams and 25 citation cards
    busiest = max(sum(1 for t in times if start <= t < start + window) for start in times)
    assert busiest <= 30
    assert not fake.frames(ok=False), [(r.cmd, r.errmsg) for r in fake.frames(ok=False)]


async def test_shutdown_cuts_answers_in_flight_and_refuses_new_questions(
    fake: FakeWeCom, tmp_path: Path
) -> None:
    async with serving(
        fake, tmp_path, streaming_services(pieces=20, pause=0.5), shutdown_grace=0.5
    ) as running:
        asked = await fake.push_text(USER, QUESTION)
        await fake.wait_for(lambda f: any("根据资料" in r.raw for r in replies_to(f, asked)), 10)
        running.frontend.accepting = False  # as serve stops: no new work, then the core drains
        drain = asyncio.create_task(running.core.drain(0.5))
        await asyncio.sleep(0)
        late = await fake.push_text(USER, "下半年计划是什么？")
        admin_late = await fake.push_text("wangwu", "/docs")
        await drain
        cut = await wait_final(fake, asked, timeout=10)
        refused = await wait_final(fake, late, timeout=10)
        admin_refused = await wait_final(fake, admin_late, timeout=10)
    assert texts.CUT in cut
    assert texts.SHUTTING_DOWN in refused
    assert texts.SHUTTING_DOWN in admin_refused
    audit = (tmp_path / "audit.log").read_text(encoding="utf-8")
    assert "action=ask outcome=cut" in audit
    assert "action=ask outcome=refused" in audit


async def test_an_expired_stream_ends_with_the_answer_as_a_new_message(
    fake: FakeWeCom, tmp_path: Path
) -> None:
    async with serving(fake, tmp_path, streaming_services(pieces=3, pause=0.4)):
        req_id = await fake.push_text(USER, QUESTION)
        await fake.wait_for(lambda f: any("根据资料" in r.raw for r in replies_to(f, req_id)), 10)
        fake.advance(7 * 60)  # past the 6 minutes a stream may be refreshed
        await fake.wait_for(lambda f: times_delivered(f, req_id, USER, ANSWER) >= 1, 20)
    assert not finished_streams(fake, req_id)  # the server refused to finish the expired stream
    assert times_delivered(fake, req_id, USER, ANSWER) == 1  # so the whole answer came as a new message
