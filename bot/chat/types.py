"""The values the chat core's session API takes and returns (no chat platform in any of them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.chat.access import AccessDecision, ChatKind
    from retrieval.answers.types import Answer
    from retrieval.drafting.types import Draft


@dataclass(frozen=True)
class Requester:
    """Who asks, where: a front end's name, the user's and the chat's ids (strings), the kind of chat."""

    frontend: str
    user_id: str
    chat_id: str
    kind: ChatKind

    @property
    def key(self) -> str:
        """The conversation key: one conversation per chat of a front end."""
        return f"{self.frontend}:{self.chat_id}"


@dataclass(frozen=True)
class Refusal:
    """Why a request may not go on: the access decision and the text to show (None: say nothing)."""

    decision: AccessDecision
    text: str | None
    id_shown: str | None = None
    """The id inside ``text`` a front end may format as code (a stranger's user or group id)."""


@dataclass(frozen=True)
class AskReply:
    """A question's outcome: the answer and its id (for citation buttons), or the text saying it failed."""

    answer: Answer | None
    answer_id: int | None = None
    error: str | None = None
    qa_id: str | None = None
    """The question's id in the 问答记录 (``bot.chat.qa_log``), for 有用/没用 feedback."""


@dataclass(frozen=True)
class DraftReply:
    """A draft and its .docx, or the text saying why there is none."""

    draft: Draft | None
    docx: bytes | None = None
    filename: str = ""
    error: str | None = None
