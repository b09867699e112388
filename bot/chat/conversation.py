"""What each chat remembers: recent questions (for follow-ups) and the answers whose citations can be opened."""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from retrieval.answers.types import Citation

HISTORY_SIZE = 4
"""Recent questions of a chat given to the answer service so follow-ups ("那下半年呢？") make sense."""

KEPT_ANSWERS = 20
"""Answers per chat whose citation buttons still work; older buttons say the answer has expired."""

KEPT_CHATS = 10_000
"""Chats remembered at once; the least recently used is forgotten first."""


@dataclass(frozen=True)
class KeptAnswer:
    """An answer shown in a chat: its citations, looked up when a button is tapped or ``/sources`` is sent."""

    answer_id: int
    question: str
    citations: tuple[Citation, ...]

    def citation(self, n: int) -> Citation | None:
        """Citation ``[n]`` of this answer, if it has one."""
        return next((c for c in self.citations if c.n == n), None)


class Conversation:
    """One chat's state."""

    def __init__(self) -> None:
        self.history: deque[str] = deque(maxlen=HISTORY_SIZE)
        self.answers: OrderedDict[int, KeptAnswer] = OrderedDict()
        self._next_answer_id = 1

    def keep_answer(self, question: str, citations: list[Citation]) -> KeptAnswer:
        """Remember an answer's citations so its buttons (and ``/sources``) can show them later."""
        kept = KeptAnswer(self._next_answer_id, question, tuple(citations))
        self._next_answer_id += 1
        self.answers[kept.answer_id] = kept
        while len(self.answers) > KEPT_ANSWERS:
            self.answers.popitem(last=False)
        return kept

    def last_answer(self) -> KeptAnswer | None:
        """The most recent answer, if any is kept."""
        return next(reversed(self.answers.values()), None)


class Conversations:
    """Every chat's ``Conversation`` by key (front end + chat id), least recently used forgotten first."""

    def __init__(self, limit: int = KEPT_CHATS) -> None:
        self._limit = limit
        self._chats: OrderedDict[str, Conversation] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Conversation:
        """The conversation of ``key``, started empty when new."""
        with self._lock:
            conversation = self._chats.get(key)
            if conversation is None:
                conversation = self._chats[key] = Conversation()
                while len(self._chats) > self._limit:
                    self._chats.popitem(last=False)
            else:
                self._chats.move_to_end(key)
            return conversation
