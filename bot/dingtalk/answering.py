"""Questions and citations: one cited markdown answer with its 来源 list, and the passage behind ``原文 N``.

Without an AI card, DingTalk cannot edit a sent message, so the answer comes whole, once. Each citation gets a
``dtmd://dingtalkclient/sendMessage?content=…`` link in a one-to-one chat: tapping it sends "原文 N（回答 K）"
back as the user's own message, and the bot answers with the passage (typing "原文 N" works too and means the
last answer). In a group such a tap would post the text to the group without @-mentioning the robot, which
then never receives it, so groups get the typed form as a hint instead.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from bot.chat.render.markdown import byte_len, render_answer, render_passage
from bot.chat.texts import EXPIRED, NO_SOURCES, UNAVAILABLE

if TYPE_CHECKING:
    from bot.chat.service import ChatService
    from bot.chat.types import AskReply, Requester
    from bot.dingtalk.delivery import Messenger, Target
    from retrieval.answers.types import Citation

logger = logging.getLogger("bot.dingtalk.answering")

PART_BYTES = 6000
"""Budget per markdown message (DingTalk documents no exact limit for a robot's markdown; we stay well under
the few thousand characters reported to display whole)."""
TAP_SCHEME = "dtmd://dingtalkclient/sendMessage?content="
LINKS_TITLE = "点击查看原文："
GROUP_HINT = "查看原文：@我 并发送“原文 1”（数字为来源编号）。"
_CITE = re.compile(r"^\s*原文\s*(\d{1,3})\s*(?:[（(]\s*回答\s*(\d{1,9})\s*[)）])?\s*$")


def tap_text(answer_id: int, n: int) -> str:
    """What a citation link sends back: ``原文 2（回答 5）``."""
    return f"原文 {n}（回答 {answer_id}）"


def parse_tap(text: str) -> tuple[int | None, int] | None:
    """``(answer_id or None for the last answer, n)`` from "原文 N" or "原文 N（回答 K）"; None for anything else."""
    match = _CITE.match(text)
    if match is None:
        return None
    return (int(match.group(2)) if match.group(2) else None), int(match.group(1))


def citation_links(answer_id: int, citations: list[Citation] | tuple[Citation, ...], *, group: bool) -> str:
    """The line under an answer that opens each citation's passage (a hint to type it, in groups)."""
    if not citations:
        return ""
    if group:
        return f"\n\n{GROUP_HINT}"
    links = " ".join(f"[原文 {c.n}]({TAP_SCHEME}{quote(tap_text(answer_id, c.n))})" for c in citations)
    return f"\n\n{LINKS_TITLE}{links}"


def answer_parts(reply: AskReply, *, group: bool) -> list[str]:
    """The answer as markdown messages, the citation links at the end of the last one (or after it)."""
    assert reply.answer is not None
    parts = render_answer(reply.answer, PART_BYTES)
    cited = reply.answer.found or reply.answer.state == "partial"
    links = citation_links(reply.answer_id or 0, reply.answer.citations, group=group) if cited else ""
    if not links:
        return parts
    if parts and byte_len(parts[-1] + links) <= PART_BYTES:
        return [*parts[:-1], parts[-1] + links]
    return [*parts, links.strip()]


async def ask(chat: ChatService, messenger: Messenger, to: Target, who: Requester, question: str) -> None:
    """Answer ``question`` in one markdown message (more when long), delivered and audited by the core."""

    async def deliver(reply: AskReply) -> None:
        if reply.answer is None:
            await messenger.send_parts(to, [reply.error or UNAVAILABLE])
            return
        await messenger.send_parts(to, answer_parts(reply, group=to.group))

    await chat.ask(who, question, None, deliver)


async def show_citation(
    chat: ChatService, messenger: Messenger, to: Target, who: Requester, tap: tuple[int | None, int]
) -> None:
    """The passage behind citation ``n`` of answer ``answer_id`` (the chat's last answer when None)."""
    answer_id, n = tap
    if answer_id is None:
        kept = chat.last_sources(who)
        if kept is None:
            await messenger.send(to, NO_SOURCES)
            return
        answer_id = kept.answer_id
    citation = chat.citation(who, answer_id, n)  # audited: shown or expired
    if citation is None:
        await messenger.send(to, EXPIRED)
        return
    await messenger.send_parts(to, render_passage(citation, PART_BYTES))
