"""The WeCom front end: a ``WeComHandler`` that passes each callback through the chat core's access check
and on to questions, commands, files or citation taps.

Deny by default: an unknown user is told their userid and nothing else; admin commands and files are
refused before anything runs or is downloaded. In a group the bot answers only when @-mentioned.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.chat.access import AccessDecision, AccessPolicy
from bot.chat.commands import LEADING_MENTION, MENTION_NAME, action_of
from bot.chat.flood import WECOM_LIMITS
from bot.chat.frontend import MarkdownFrontend
from bot.chat.render.markdown import PART_BYTES
from bot.chat.texts import APOLOGY
from bot.wecom import answering, commands, files
from bot.wecom.client import WeComClient
from bot.wecom.delivery import Pacer
from bot.wecom.errors import WeComError
from bot.wecom.frames import TEMPLATE_CARD_EVENT
from bot.wecom.messaging import send_markdown
from bot.wecom.replying import WeComChannel

if TYPE_CHECKING:
    from bot.chat.service import ChatCore, ChatService
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


class WeComFrontend(MarkdownFrontend[WeComChannel]):
    """Callbacks of one WeCom bot, handled on the chat core (the ``WeComHandler`` the client calls)."""

    def __init__(self, chat: ChatService, *, mention_name: str = MENTION_NAME) -> None:
        super().__init__(
            chat,
            commands.COMMANDS,
            mention_name=mention_name,
            part_bytes=PART_BYTES,
        )
        self.cards = answering.CardMemory()

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
        who = self.requester(event.userid, event.chat, event.chattype == "group")
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
        who = self.requester(message.userid, message.chat, message.chattype == "group")
        action = action_of(message.msgtype, text, TEXT_TYPES)
        channel = WeComChannel(client, message)
        if not await self.let_in(who, action, text, channel):
            return
        if action == "upload":
            await files.receive_file(self.chat, client, message, who)
        elif action == "other":
            await channel.reply([UNSUPPORTED])
        elif action == "ask":
            if await self.question_admitted(who, text, channel):
                await answering.ask(self.chat, self.cards, client, message, who, text)
        else:
            await self.run_command(action, who, text, channel)

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
