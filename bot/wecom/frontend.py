"""The WeCom front end: a ``WeComHandler`` that passes each callback through the chat core's access check
and on to questions, commands, files or citation taps.

Deny by default: an unknown user is told their userid and nothing else; admin commands and files are
refused before anything runs or is downloaded. In a group the bot answers only when @-mentioned.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.chat.access import AccessDecision, AccessPolicy, ChatKind
from bot.chat.commands import (
    CORE_GUARDED,
    LEADING_MENTION,
    MENTION_NAME,
    CommandSet,
    action_of,
    admitted,
)
from bot.chat.flood import WECOM_LIMITS
from bot.chat.render.markdown import PART_BYTES, render_refusal
from bot.chat.seen import SeenMessages
from bot.chat.texts import APOLOGY, EMPTY_QUESTION, SHUTTING_DOWN
from bot.wecom import answering, commands, files
from bot.wecom.client import WeComClient
from bot.wecom.delivery import Pacer
from bot.wecom.errors import WeComError
from bot.wecom.frames import TEMPLATE_CARD_EVENT
from bot.wecom.messaging import send_markdown
from bot.wecom.replying import reply_parts

if TYPE_CHECKING:
    from bot.chat.service import ChatCore, ChatService
    from bot.chat.types import Refusal, Requester
    from bot.settings import Settings
    from bot.wecom.frames import Event, Message

logger = logging.getLogger("bot.wecom.frontend")

FRONTEND = "wecom"
UNSUPPORTED = "暂时只能处理文字消息（管理员还可以在私聊中发送文件）。请直接发送您的问题。"
TEXT_TYPES = frozenset({"text", "voice"})


def question_text(message: Message) -> str | None:
    """The text meant for the bot: all of it in a one-to-one chat; in a group, what follows the @-mention."""
    if message.chattype != "group":
        return message.text.strip()
    match = LEADING_MENTION.match(message.text)
    return message.text[match.end() :].strip() if match else None


class WeComFrontend:
    """Callbacks of one WeCom bot, handled on the chat core (the ``WeComHandler`` the client calls)."""

    def __init__(self, chat: ChatService, *, mention_name: str = MENTION_NAME) -> None:
        self.chat = chat
        self.mention_name = mention_name
        self.command_set = CommandSet(commands.COMMANDS, mention_name, files.MAX_UPLOAD_BYTES, PART_BYTES)
        self.cards = answering.CardMemory()
        self.accepting = True
        """False once the process is stopping: questions and drafts go to the core (which refuses them with
        ``texts.SHUTTING_DOWN`` once it drains, audited); anything else gets that sentence at once."""
        self._seen = SeenMessages()  # WeCom may deliver a callback again after a reconnect

    async def on_message(self, client: WeComClient, message: Message) -> None:
        """A user's message: check access, then answer, run the command or take the file."""
        if self._seen.repeated(message.msgid):
            return
        try:
            await self._on_message(client, message)
        except WeComError as exc:
            logger.warning("wecom reply failed chat=%s error=%s", message.chat, type(exc).__name__)
        except Exception:
            logger.exception("wecom message failed chat=%s", message.chat)
            await self._apologise(client, message.chat)

    async def on_event(self, client: WeComClient, event: Event) -> None:
        """A card button tap shows its passage; other events need nothing."""
        if event.eventtype != TEMPLATE_CARD_EVENT:
            logger.info("wecom event eventtype=%s", event.eventtype)
            return
        kind = ChatKind.GROUP if event.chattype == "group" else ChatKind.PRIVATE
        who = self.chat.requester(event.userid, event.chat, kind)
        decision = self.chat.check(who, "button")
        if decision is not AccessDecision.ALLOW:
            self.chat.refuse(who, decision, "button")  # audited; a tap gets no reply in the chat
            return
        try:
            await answering.show_citation(self.chat, self.cards, client, event, who)
        except WeComError as exc:
            logger.warning("wecom citation failed chat=%s error=%s", event.chat, type(exc).__name__)

    async def _on_message(self, client: WeComClient, message: Message) -> None:
        text = question_text(message) if message.msgtype in TEXT_TYPES else ""
        if text is None:
            return  # group chatter not addressed to the bot
        kind = ChatKind.GROUP if message.chattype == "group" else ChatKind.PRIVATE
        who = self.chat.requester(message.userid, message.chat, kind)
        action = action_of(message.msgtype, text, TEXT_TYPES)
        decision = self.chat.check(who, action)
        if decision is not AccessDecision.ALLOW:
            refusal = self.chat.refuse(who, decision, action, text if message.msgtype in TEXT_TYPES else "")
            await self._send_refusal(client, message, refusal)
            return
        if not self.accepting and action not in CORE_GUARDED:
            await reply_parts(client, message.req_id, message.chat, [SHUTTING_DOWN])
            return
        if action == "upload":
            await files.receive_file(self.chat, client, message, who)
        elif action == "other":
            await reply_parts(client, message.req_id, message.chat, [UNSUPPORTED])
        elif action == "ask":
            await self._ask(client, message, who, text)
        else:
            await self.command_set.run(action, self.chat, who, text, commands.WeComChannel(client, message))

    async def _ask(self, client: WeComClient, message: Message, who: Requester, question: str) -> None:
        async def reply(text: str) -> None:
            await reply_parts(client, message.req_id, message.chat, [text])

        usage = EMPTY_QUESTION.format(name=self.mention_name)
        if not await admitted(self.chat, who, "ask", question, usage, reply):
            return
        await answering.ask(self.chat, self.cards, client, message, who, question)

    async def _send_refusal(self, client: WeComClient, message: Message, refusal: Refusal) -> None:
        text = render_refusal(refusal)
        if text is not None:
            await reply_parts(client, message.req_id, message.chat, [text])

    async def _apologise(self, client: WeComClient, chat: str) -> None:
        try:
            await send_markdown(client, chat, APOLOGY)
        except WeComError as exc:
            logger.warning("wecom apology failed chat=%s error=%s", chat, type(exc).__name__)


def build_frontend(settings: Settings, core: ChatCore) -> WeComFrontend:
    """The WeCom front end on ``core`` with ``settings``' allow-lists."""
    policy = AccessPolicy.from_ids(
        settings.wecom_allowed_users, settings.wecom_allowed_chats, settings.wecom_admin_users
    )
    frontend = WeComFrontend(core.frontend(FRONTEND, policy, WECOM_LIMITS))
    if not (settings.wecom_allowed_users or settings.wecom_admin_users or settings.wecom_allowed_chats):
        logger.warning(
            "no allowed WeCom users or admins: the bot will refuse everyone "
            "(set REPORTBOT_WECOM_ALLOWED_USERS / REPORTBOT_WECOM_ADMIN_USERS)"
        )
    return frontend


def connect_client(settings: Settings, frontend: WeComFrontend) -> WeComClient:
    """A client for ``settings``' bot whose callbacks ``frontend`` handles (a new one after a takeover)."""
    pacer = Pacer(frontend.chat.flood, frontend.chat.delivery)  # the core's limits and policy for every send
    return WeComClient(
        settings.wecom_bot_id, settings.wecom_secret, frontend, url=settings.wecom_ws_url, pacer=pacer
    )


def build_client(settings: Settings, core: ChatCore) -> WeComClient:
    """The WeCom client for ``settings``' bot, its callbacks handled on ``core`` (one per process)."""
    return connect_client(settings, build_frontend(settings, core))


def wecom_configured(settings: Settings) -> bool:
    """True when the bot id and the secret are both set."""
    return bool(settings.wecom_bot_id.strip() and settings.wecom_secret.get_secret_value().strip())
