"""What a markdown chat front end (WeCom, DingTalk, the next one) shares around its platform's messages.

Its session service, its slash commands (``CommandSet``), the duplicate check, the shutdown flag, and the gate
every message passes before anything runs: the access check (a refusal is audited and its notice sent), then
the shutdown check. A front end subclasses :class:`MarkdownFrontend` and keeps only what is its platform's:
reading a message, and answers, files and citations in its own delivery.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic

from bot.chat.access import AccessDecision, ChatKind
from bot.chat.commands import CORE_GUARDED, C, CommandContext, CommandSet, admitted
from bot.chat.render.markdown import render_refusal
from bot.chat.seen import SeenMessages
from bot.chat.texts import EMPTY_QUESTION, SHUTTING_DOWN

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping

    from bot.chat.service import ChatService
    from bot.chat.types import Requester


class MarkdownFrontend(Generic[C]):
    """A front end's messages handled on the chat core; replies go through a ``Channel`` of type ``C``."""

    def __init__(
        self,
        chat: ChatService,
        commands: Mapping[str, Callable[[CommandContext[C]], Awaitable[None]]],
        *,
        mention_name: str,
        part_bytes: int,
    ) -> None:
        self.chat = chat
        self.mention_name = mention_name
        self.command_set = CommandSet(commands, mention_name, part_bytes)
        self.accepting = True
        """False once the process is stopping: questions and drafts go to the core (which refuses them with
        ``texts.SHUTTING_DOWN`` once it drains, audited); anything else gets that sentence at once."""
        self._seen = SeenMessages()  # a platform may deliver a message again after a reconnect

    def requester(self, user_id: str, chat_id: str, group: bool) -> Requester:
        """Who sent a message, and where."""
        return self.chat.requester(user_id, chat_id, ChatKind.GROUP if group else ChatKind.PRIVATE)

    async def let_in(
        self, who: Requester, action: str, text: str, channel: C, *, core_refuses: bool | None = None
    ) -> bool:
        """True when a message may go on. Otherwise its refusal (audited) or ``SHUTTING_DOWN`` went through
        ``channel``; ``core_refuses``: the core itself refuses it while draining (default: questions and drafts).
        """
        decision = self.chat.check(who, action)
        if decision is not AccessDecision.ALLOW:
            shown = render_refusal(self.chat.refuse(who, decision, action, text))
            if shown is not None:
                await channel.reply([shown])
            return False
        if not self.accepting and not (action in CORE_GUARDED if core_refuses is None else core_refuses):
            await channel.reply([SHUTTING_DOWN])
            return False
        return True

    async def question_admitted(self, who: Requester, question: str, channel: C) -> bool:
        """Before a question: True when there is one and ``who`` is within the rate limit; else the usage or
        the rate notice went through ``channel`` (or nothing, when already told).
        """

        async def say(text: str) -> None:
            await channel.reply([text])

        usage = EMPTY_QUESTION.format(name=self.mention_name)
        return await admitted(self.chat, who, "ask", question, usage, say)

    async def run_command(self, action: str, who: Requester, text: str, channel: C) -> None:
        """Run the slash command ``action`` names, answering through ``channel``."""
        await self.command_set.run(action, self.chat, who, text, channel)
