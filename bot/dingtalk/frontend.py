"""The DingTalk front end: a ``DingTalkHandler`` that passes each robot message through the chat core's access
check and on to a question, a command, a file or a ``原文 N`` request.

Deny by default: a stranger is told their staffId and nothing else; admin commands and files are refused
before anything runs or is downloaded. In a group the robot answers only when @-mentioned (``isInAtList``).
A message delivered twice (the gateway redelivers what it saw no ack for) is answered once.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.chat.access import AccessPolicy
from bot.chat.commands import CORE_GUARDED, LEADING_MENTION, MENTION_NAME, action_of
from bot.chat.delivery import DeliveryFailed
from bot.chat.flood import DINGTALK_LIMITS
from bot.chat.frontend import MarkdownFrontend
from bot.chat.texts import APOLOGY
from bot.dingtalk import answering, commands, files
from bot.dingtalk.api import DingTalkApi
from bot.dingtalk.client import DingTalkStream
from bot.dingtalk.delivery import DingTalkChannel, Messenger, Target
from bot.dingtalk.errors import DingTalkError

if TYPE_CHECKING:
    from bot.chat.service import ChatCore, ChatService
    from bot.dingtalk.frames import BotMessage
    from bot.settings import Settings

logger = logging.getLogger("bot.dingtalk.frontend")

FRONTEND = "dingtalk"
UNSUPPORTED = "暂时只能处理文字消息（管理员还可以在单聊中发送文件）。请直接发送您的问题。"
TEXT_TYPES = frozenset({"text", "richText"})


def question_text(message: BotMessage) -> str:
    """The text meant for the robot (in a group, without a leading @-mention if DingTalk left one in)."""
    text = message.text.strip()
    if message.group:
        match = LEADING_MENTION.match(text)
        text = text[match.end() :] if match else text
    return text.strip()


class DingTalkFrontend(MarkdownFrontend[DingTalkChannel]):
    """Robot messages of one DingTalk app, handled on the chat core (the ``DingTalkHandler`` the client calls)."""

    def __init__(
        self, chat: ChatService, api: DingTalkApi, messenger: Messenger, *, mention_name: str = MENTION_NAME
    ) -> None:
        super().__init__(
            chat,
            commands.COMMANDS,
            mention_name=mention_name,
            part_bytes=answering.PART_BYTES,
        )
        self.api = api
        self.messenger = messenger

    async def on_message(self, client: DingTalkStream, message: BotMessage) -> None:
        """A user's message: check access, then answer, run the command or take the file."""
        if self._seen.repeated(message.msg_id):
            logger.info("dingtalk message delivered again, already handled chat=%s", message.chat)
            return
        if message.group and not message.in_at_list:
            return  # group chatter not addressed to the robot
        to = Target.of(message)
        try:
            await self._on_message(message, to)
        except (DingTalkError, DeliveryFailed) as exc:
            logger.warning("dingtalk reply failed chat=%s error=%s", message.chat, type(exc).__name__)
        except Exception:
            logger.exception("dingtalk message failed chat=%s", message.chat)
            await self._apologise(to)

    async def _on_message(self, message: BotMessage, to: Target) -> None:
        text = question_text(message) if message.msgtype in TEXT_TYPES else ""
        who = self.requester(message.user, message.chat, message.group)
        action = action_of(message.msgtype, text, TEXT_TYPES)
        tap = answering.parse_tap(text) if action == "ask" else None
        channel = DingTalkChannel(self.messenger, to)
        if not await self.let_in(
            who, action, text, channel, core_refuses=action in CORE_GUARDED and tap is None
        ):
            return
        if action == "upload":
            await files.receive_file(self.chat, self.api, self.messenger, to, message, who)
        elif action == "other":
            await self.messenger.send(to, UNSUPPORTED)
        elif tap is not None:
            await answering.show_citation(self.chat, self.messenger, to, who, tap)
        elif action == "ask":
            if await self.question_admitted(who, text, channel):
                await answering.ask(self.chat, self.messenger, to, who, text)
        else:
            await self.run_command(action, who, text, channel)

    async def _apologise(self, to: Target) -> None:
        try:
            await self.messenger.send(to, APOLOGY)
        except (DingTalkError, DeliveryFailed) as exc:
            logger.warning("dingtalk apology failed chat=%s error=%s", to.chat, type(exc).__name__)


def dingtalk_configured(settings: Settings) -> bool:
    """True when the client id and the secret are both set."""
    return bool(
        settings.dingtalk_client_id.strip() and settings.dingtalk_client_secret.get_secret_value().strip()
    )


def build_api(settings: Settings) -> DingTalkApi:
    """The HTTP side of ``settings``' app, at ``REPORTBOT_DINGTALK_API_URL``."""
    return DingTalkApi(
        settings.dingtalk_client_id, settings.dingtalk_client_secret, settings.dingtalk_api_url
    )


def build_client(settings: Settings, core: ChatCore) -> DingTalkStream:
    """The Stream client of ``settings``' app, its messages handled on ``core`` (one per process)."""
    policy = AccessPolicy.from_ids(
        settings.dingtalk_allowed_users, settings.dingtalk_allowed_chats, settings.dingtalk_admin_users
    )
    if not (
        settings.dingtalk_allowed_users or settings.dingtalk_admin_users or settings.dingtalk_allowed_chats
    ):
        logger.warning(
            "no allowed DingTalk users or admins: the robot will refuse everyone "
            "(set REPORTBOT_DINGTALK_ALLOWED_USERS / REPORTBOT_DINGTALK_ADMIN_USERS)"
        )
    chat = core.frontend(FRONTEND, policy, DINGTALK_LIMITS)
    api = build_api(settings)
    messenger = Messenger(api, chat.flood, chat.delivery)
    return DingTalkStream(api, DingTalkFrontend(chat, api, messenger))
