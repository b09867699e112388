"""问答记录: every question a chat front end answers is recorded for the console, with its feedback."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.chat.qa_log import QaLog
from tests.bot.chat.conftest import USER, private
from tests.bot.chat.test_session import ask

if TYPE_CHECKING:
    from pathlib import Path

    from bot.chat import ChatService


async def test_each_question_is_recorded_with_state_citations_latency_and_feedback(
    chat: ChatService, tmp_path: Path
) -> None:
    user = private(chat, USER)
    found = await ask(chat, user, "上半年手足口病防控培训开展了几次？")
    missing = await ask(chat, user, "火星基地的氧气储备是多少？")
    assert found.qa_id
    assert missing.qa_id

    chat.core.qa.feedback(missing.qa_id, "li.user", useful=False)
    records = QaLog(tmp_path / "data").records()  # read back as the console reads it
    by_id = {r.id: r for r in records}
    answered = by_id[found.qa_id]
    assert (answered.frontend, answered.user, answered.state) == ("wecom", USER, "found")
    assert answered.question == "上半年手足口病防控培训开展了几次？"
    assert answered.citations
    assert answered.citations[0]["n"] == 1
    assert answered.latency_ms >= 0
    assert not answered.negative
    unanswered = by_id[missing.qa_id]
    assert unanswered.state == "not_found"
    assert unanswered.feedback == {"li.user": False}
    assert unanswered.negative
