"""The reply rules of the fake WeCom server: which callback a reply may answer, streams, cards, the rate limit."""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tests.bot.wecom import fake_rules as rules
from tests.bot.wecom.fake_rules import Reject

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.bot.wecom.fake_media import FakeMedia


@dataclass
class Callback:
    """A callback the fake pushed, which replies may answer."""

    kind: str  # "msg" or the eventtype
    chat: str
    at: float
    task_id: str | None = None


class FakeReplies:
    """State behind ``aibot_respond_msg``, ``aibot_respond_update_msg`` and ``aibot_send_msg``."""

    def __init__(
        self,
        now: Callable[[], float],
        store: FakeMedia,
        stream_window: float,
        update_window: float,
        per_chat_per_minute: int,
    ) -> None:
        self.now, self.store = now, store
        self.stream_window, self.update_window = stream_window, update_window
        self.per_chat_per_minute = per_chat_per_minute
        self.callbacks: dict[str, Callback] = {}
        self.streams: dict[tuple[str, str], dict[str, Any]] = {}
        self.task_ids: set[str] = set()
        self.open_chats: set[str] = set()
        self.sent: dict[str, deque[float]] = defaultdict(deque)

    def callback(self, req_id: str, kinds: set[str]) -> Callback:
        """The pushed callback ``req_id`` names, if a reply of this kind may answer it."""
        callback = self.callbacks.get(req_id)
        if callback is None or callback.kind not in kinds:
            raise Reject(rules.ERR_UNKNOWN_REQ_ID, f"req_id {req_id} is not a callback this reply can answer")
        return callback

    def _count(self, chat: str) -> None:
        sent, now = self.sent[chat], self.now()
        while sent and now - sent[0] >= 60:
            sent.popleft()
        if len(sent) >= self.per_chat_per_minute:
            raise Reject(rules.ERR_RATE_LIMIT, "api freq out of limit: 30 messages a minute per chat")
        sent.append(now)

    def _new_card(self, card: Any) -> None:
        task_id = rules.check_card(card)
        if task_id in self.task_ids:
            raise Reject(rules.ERR_TASK_ID_USED, f"task_id {task_id} was used before")
        self.task_ids.add(task_id)

    def respond(self, req_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Check an ``aibot_respond_msg``: a message callback, stream rules, fresh cards, known media."""
        callback = self.callback(req_id, {"msg", "enter_chat"})
        msgtype = body.get("msgtype")
        if msgtype not in rules.REPLY_MSGTYPES:
            raise Reject(rules.ERR_BAD_PARAM, f"aibot_respond_msg cannot carry msgtype={msgtype!r}")
        if msgtype in {"stream", "stream_with_template_card"}:
            stream_id, content, finish = rules.check_stream(body.get("stream"))
            state = self.streams.get((req_id, stream_id))
            if state is not None and state["finished"]:
                raise Reject(rules.ERR_STREAM_FINISHED, "stream already finished")
            if state is not None and self.now() - state["started"] > self.stream_window:
                raise Reject(rules.ERR_STREAM_EXPIRED, "stream can only be refreshed for 6 minutes")
            if msgtype == "stream_with_template_card" and body.get("template_card") is not None:
                self._new_card(body["template_card"])
            if state is None:
                self._count(callback.chat)
                state = self.streams[(req_id, stream_id)] = {"started": self.now(), "finished": False}
            state["finished"], state["content"] = finish, content
        elif msgtype == "template_card":
            self._new_card(body.get("template_card"))
            self._count(callback.chat)
        else:
            self.store.check_media_id(body, str(msgtype))
            self._count(callback.chat)
        return {}

    def update(self, req_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Check an ``aibot_respond_update_msg``: on a click's req_id, within 5 s, same task_id."""
        callback = self.callback(req_id, {"template_card_event"})
        if self.now() - callback.at > self.update_window:
            raise Reject(rules.ERR_UPDATE_TOO_LATE, "a card can be updated only within 5 s of the click")
        if body.get("response_type") != "update_template_card":
            raise Reject(rules.ERR_BAD_PARAM, "response_type must be update_template_card")
        if rules.check_card(body.get("template_card")) != callback.task_id:
            raise Reject(rules.ERR_BAD_PARAM, "template_card.task_id must be the clicked card's task_id")
        return {}

    def send(self, body: dict[str, Any]) -> dict[str, Any]:
        """Check an ``aibot_send_msg``: an open chat, no stream/text, valid content."""
        chatid, msgtype = body.get("chatid"), body.get("msgtype")
        if not chatid or chatid not in self.open_chats:
            raise Reject(rules.ERR_CHAT_NOT_OPEN, "chat has not written to the bot")
        if msgtype not in rules.SEND_MSGTYPES:
            raise Reject(rules.ERR_BAD_PARAM, f"aibot_send_msg cannot carry msgtype={msgtype!r}")
        if msgtype == "markdown":
            content = (body.get("markdown") or {}).get("content")
            if not isinstance(content, str) or len(content.encode("utf-8")) > rules.MAX_STREAM_BYTES:
                raise Reject(rules.ERR_BAD_PARAM, "markdown.content missing or over 20480 bytes")
        elif msgtype == "template_card":
            self._new_card(body.get("template_card"))
        else:
            self.store.check_media_id(body, str(msgtype))
        self._count(str(chatid))
        return {}
