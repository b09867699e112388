"""Questions and citations: a streamed markdown answer with its 来源, a card of citation buttons, passages on tap."""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from bot.chat.delivery import DeliveryFailed
from bot.chat.render.labels import button_label, citation_key, parse_citation_key, truncate
from bot.chat.render.markdown import render_answer, render_passage, render_stream
from bot.chat.texts import APOLOGY, EXPIRED, UNAVAILABLE
from bot.wecom.errors import WeComError
from bot.wecom.messaging import reply_card, send_markdown, update_card
from bot.wecom.replies import MAX_BUTTONS, Button, button_card
from bot.wecom.replying import LiveStream, send_rest

if TYPE_CHECKING:
    from bot.chat.service import ChatService
    from bot.chat.types import AskReply, Requester
    from bot.wecom.client import WeComClient
    from bot.wecom.frames import Event, Message
    from retrieval.answers.types import Citation

logger = logging.getLogger("bot.wecom.answering")

SEARCHING = "正在查找资料……"
CARD_TITLE = "查看引用原文"
CARD_HINT = "点击按钮查看对应的原文段落"
MORE_SOURCES = "另有 {first}–{last} 条来源，见回答末尾的来源列表"
CARD_PASSAGE_CHARS = 120
"""Passage characters shown in the tapped card; a longer passage also goes as a markdown message."""
FULL_TEXT_BELOW = "…（全文见下条消息）"
_REMEMBERED_CARDS = 2000


class CardMemory:
    """The citation cards sent lately, by ``task_id``, so a tap can update its card with the passage."""

    def __init__(self, size: int = _REMEMBERED_CARDS) -> None:
        self.size = size
        self._cards: OrderedDict[str, dict[str, Any]] = OrderedDict()

    def keep(self, card: dict[str, Any]) -> None:
        """Remember ``card`` (the oldest are forgotten)."""
        self._cards[card["task_id"]] = card
        while len(self._cards) > self.size:
            self._cards.popitem(last=False)

    def get(self, task_id: str | None) -> dict[str, Any] | None:
        """The card sent with ``task_id``, if still remembered."""
        return self._cards.get(task_id or "")


def citation_card(answer_id: int, citations: list[Citation] | tuple[Citation, ...]) -> dict[str, Any] | None:
    """A ``button_interaction`` card with one button per citation (at most 6; the rest are in the 来源 list)."""
    if not citations:
        return None
    shown, rest = list(citations[:MAX_BUTTONS]), list(citations[MAX_BUTTONS:])
    buttons = [Button(button_label(c), citation_key(answer_id, c.n)) for c in shown]
    more = MORE_SOURCES.format(first=f"[{rest[0].n}]", last=f"[{rest[-1].n}]") if rest else None
    return button_card(CARD_TITLE, buttons, desc=CARD_HINT, sub_title_text=more)


def passage_card(card: dict[str, Any], c: Citation) -> tuple[dict[str, Any], bool]:
    """``card`` showing citation ``c``'s passage (same task id and buttons); True when the whole passage fits."""
    text = " ".join(c.text.split())
    fits = len(text) <= CARD_PASSAGE_CHARS
    shown = text if fits else text[: CARD_PASSAGE_CHARS - len(FULL_TEXT_BELOW)] + FULL_TEXT_BELOW
    main_title: dict[str, str] = {"title": truncate(f"[{c.n}] {c.title or c.source}", 40)}
    if c.heading:
        main_title["desc"] = truncate(c.heading, 60)
    return {**card, "main_title": main_title, "sub_title_text": shown}, fits


async def ask(
    chat: ChatService, cards: CardMemory, client: WeComClient, message: Message, who: Requester, question: str
) -> None:
    """Answer ``question``: the streamed answer on the message's ``req_id``, then the citation card."""
    live = LiveStream(client, message.req_id, message.chat, render_stream)
    live.show(SEARCHING)

    async def deliver(reply: AskReply) -> None:
        if reply.answer is None:
            await live.close([reply.error or UNAVAILABLE])
            return
        await live.close(render_answer(reply.answer))
        card = citation_card(reply.answer_id or 0, reply.answer.citations)
        if card is not None:
            cards.keep(card)
            try:
                await reply_card(client, message.req_id, card)
            except (WeComError, DeliveryFailed) as exc:  # the answer and its 来源 list are there already
                logger.warning(
                    "wecom citation card not sent chat=%s error=%s", message.chat, type(exc).__name__
                )

    try:
        await chat.ask(who, question, live.push_threadsafe, deliver)
    except Exception:
        if live.stream.finished:
            raise  # the front end's handler logs it
        logger.exception("wecom reply failed chat=%s", message.chat)
        await live.close([APOLOGY])


async def show_citation(
    chat: ChatService, cards: CardMemory, client: WeComClient, event: Event, who: Requester
) -> None:
    """Show the passage behind a tapped citation button: in its card (within 5 s), else as a message."""
    parsed = parse_citation_key(event.event_key)
    # audited once either way: answer 0 never exists, so a malformed key is recorded as expired
    citation = chat.citation(who, *(parsed or (0, 0)))
    if citation is None:
        await send_markdown(client, event.chat, EXPIRED)
        return
    card = cards.get(event.task_id) or _single_button_card(citation, event)
    updated, fits = passage_card(card, citation)
    try:
        await update_card(
            client, event.req_id, updated
        )  # right away: only the click's req_id, only within 5 s
    except WeComError as exc:
        logger.info("wecom card update failed, sending the passage error=%s", type(exc).__name__)
        fits = False
    if not fits:
        await send_rest(client, event.chat, render_passage(citation))


def _single_button_card(c: Citation, event: Event) -> dict[str, Any]:
    """A card for a tap on a card this process no longer remembers (e.g. after a restart)."""
    return button_card(CARD_TITLE, [Button(button_label(c), event.event_key or "")], task_id=event.task_id)
