"""Conversation state: recent questions for follow-ups, kept answers for citation buttons, chats forgotten LRU."""

from __future__ import annotations

from bot.chat.conversation import HISTORY_SIZE, KEPT_ANSWERS, Conversations
from tests.bot.fakes import citation


def test_history_keeps_the_last_questions_and_old_answers_expire() -> None:
    chats = Conversations()
    conversation = chats.get("wecom:zhang")
    for i in range(HISTORY_SIZE + 2):
        conversation.history.append(f"问题{i}")
    assert list(conversation.history) == [f"问题{i}" for i in range(2, HISTORY_SIZE + 2)]
    kept = [conversation.keep_answer(f"问题{i}", [citation(1), citation(2)]) for i in range(KEPT_ANSWERS + 1)]
    assert kept[0].answer_id not in conversation.answers  # the oldest button now says "expired"
    assert conversation.answers[kept[-1].answer_id].citation(2) == citation(2)
    assert conversation.answers[kept[-1].answer_id].citation(3) is None
    assert conversation.last_answer() == kept[-1]


def test_chats_are_separate_and_the_least_recently_used_is_forgotten() -> None:
    chats = Conversations(limit=2)
    chats.get("telegram:1").history.append("一")
    chats.get("wecom:1").history.append("二")
    chats.get("telegram:1")  # used again: now the most recent
    chats.get("wecom:2")
    assert list(chats.get("telegram:1").history) == ["一"]
    assert list(chats.get("wecom:1").history) == []  # forgotten, started afresh
