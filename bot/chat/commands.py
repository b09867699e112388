"""The slash commands every markdown front end (WeCom, DingTalk) answers the same way: ``/start``, ``/help``,
``/sources`` and the admin commands ``/docs``, ``/delete``, ``/stats``, ``/reindex``.

Access was checked before any of these runs; each only calls the chat core and sends what it returns, rendered
as markdown, through a ``CommandContext`` whose ``Channel`` is the front end's (how a reply reaches the chat is the
platform's); a front end runs them through its ``CommandSet``. ``/draft`` stays with each front end: how its .docx
travels differs per platform.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from bot.chat import texts
from bot.chat.render.markdown import render_documents, render_reindex_result, render_sources, render_stats

if TYPE_CHECKING:
    from bot.chat.admin import ReindexResult
    from bot.chat.service import ChatService
    from bot.chat.types import Requester

logger = logging.getLogger(__name__)

UNKNOWN_COMMAND = "没有这个命令。发送 /help 查看可用的命令。"


class Channel(Protocol):
    """How a command's answers reach its chat: the platform's part of a :class:`CommandContext`."""

    async def reply(self, parts: list[str]) -> None:
        """Answer the command's message with markdown ``parts``."""

    async def notify(self, parts: list[str]) -> None:
        """Send markdown ``parts`` to the command's chat later, unprompted (a background job's result)."""


C = TypeVar("C", bound=Channel)


@dataclass(frozen=True)
class CommandContext(Generic[C]):
    """What a command gets: the core, who sent it, the text after the command, and the way back to the chat."""

    chat: ChatService
    who: Requester
    args: str
    """The text after the command, stripped."""
    channel: C
    mention_name: str
    """How ``/help`` names the bot in its group hint."""
    part_bytes: int
    """The platform's budget per markdown message, in UTF-8 bytes."""

    async def reply(self, parts: list[str] | str) -> None:
        """Answer the command with markdown ``parts``."""
        await self.channel.reply([parts] if isinstance(parts, str) else parts)

    async def notify(self, parts: list[str]) -> None:
        """Send markdown ``parts`` to the command's chat later, unprompted."""
        await self.channel.notify(parts)


Command = Callable[[CommandContext[Any]], Awaitable[None]]


@dataclass(frozen=True)
class CommandSet(Generic[C]):
    """A front end's slash commands by name (the shared ones and its own), what ``/help`` says about it and
    its budget per markdown message.
    """

    commands: Mapping[str, Callable[[CommandContext[C]], Awaitable[None]]]
    mention_name: str
    part_bytes: int

    async def run(self, action: str, chat: ChatService, who: Requester, text: str, channel: C) -> None:
        """Run the command ``action`` (``unknown`` when there is none) on ``text``, answering through ``channel``."""
        ctx = CommandContext(chat, who, command_args(text), channel, self.mention_name, self.part_bytes)
        await self.commands.get(action, unknown)(ctx)


def action_of(msgtype: str, text: str, text_types: Collection[str]) -> str:
    """What a message asks for, as the core names actions: ``upload`` (a file), ``other`` (a type that is not
    one of the platform's ``text_types``: pictures, voice…), or what its text asks for (:func:`action_of_text`).
    """
    if msgtype == "file":
        return "upload"
    if msgtype not in text_types:
        return "other"
    return action_of_text(text)


def action_of_text(text: str) -> str:
    """What a text message asks for, as the core names actions: a command's name (``/Docs x`` → ``docs``) or ``ask``."""
    if text.startswith("/") and text[1:].strip():
        return text[1:].split(maxsplit=1)[0].lower()
    return "ask"


def command_args(text: str) -> str:
    """The text after a command's name, stripped."""
    args = text.split(maxsplit=1)[1:]
    return args[0].strip() if args else ""


async def admitted(
    chat: ChatService,
    who: Requester,
    action: str,
    what: str,
    usage: str,
    reply: Callable[[str], Awaitable[None]],
) -> bool:
    """Before a question or a draft runs: True when there is something to do and ``who`` is within the rate limit;
    else ``usage`` (nothing asked) or the rate notice went through ``reply`` (or nothing, when already told).
    """
    if not what:
        await reply(usage)
        return False
    notice = chat.admit(who, action, what)
    if notice is None:
        return True
    if notice:
        await reply(notice)
    return False


async def draft_admitted(ctx: CommandContext[Any]) -> bool:
    """``admitted`` for ``/draft``: a topic is needed."""
    return await admitted(ctx.chat, ctx.who, "draft", ctx.args, texts.DRAFT_USAGE, ctx.reply)


CORE_GUARDED = frozenset({"ask", "draft"})
"""Actions the core itself refuses (and audits) while it drains; a front end answers the others itself."""
MENTION_NAME = "机器人"
"""How ``/help`` names the bot in its group hint (the bot's display name is not known to the process)."""
LEADING_MENTION = re.compile(r"^\s*@\S+\s*")
"""An @-mention at the start of a group message."""


async def start(ctx: CommandContext[Any]) -> None:
    """``/start``: what the bot does."""
    await ctx.reply(texts.START)


async def help_command(ctx: CommandContext[Any]) -> None:
    """``/help``: how to ask; admins also see the admin commands."""
    await ctx.reply(ctx.chat.help_text(ctx.who, ctx.mention_name, ctx.chat.max_upload_mb))


async def sources(ctx: CommandContext[Any]) -> None:
    """``/sources``: the last answer's sources again."""
    kept = ctx.chat.last_sources(ctx.who)
    await ctx.reply(render_sources(kept.citations, ctx.part_bytes) if kept is not None else texts.NO_SOURCES)


async def docs(ctx: CommandContext[Any]) -> None:
    """``/docs`` (admin): the documents in the knowledge base."""
    documents = await ctx.chat.documents(ctx.who)  # audited
    await ctx.reply(render_documents(documents, ctx.part_bytes) if documents else texts.DOCS_EMPTY)


async def delete(ctx: CommandContext[Any]) -> None:
    """``/delete 文件名`` (admin): remove one document."""
    result = await ctx.chat.delete(ctx.who, ctx.args)
    await ctx.reply(result.text)


async def stats(ctx: CommandContext[Any]) -> None:
    """``/stats`` (admin): counts and use."""
    await ctx.reply(render_stats(await ctx.chat.stats(ctx.who)))  # audited


async def reindex(ctx: CommandContext[Any]) -> None:
    """``/reindex`` (admin): rebuild in the background; the result comes as a message when it is done."""
    if ctx.chat.admin.reindex_running:
        await ctx.reply(texts.REINDEX_RUNNING)
        return
    await ctx.reply(texts.REINDEX_STARTED)

    def progress(done: int, total: int, source: str) -> None:
        logger.debug("reindex progress done=%d total=%d", done, total)

    async def report(result: ReindexResult) -> None:
        if result.report is None:
            await ctx.notify([result.error or texts.INTERNAL_ERROR])
            return
        await ctx.notify(render_reindex_result(result.report, ctx.part_bytes))

    ctx.chat.start_reindex(ctx.who, progress, report)


async def unknown(ctx: CommandContext[Any]) -> None:
    """Anything else that starts with ``/``."""
    await ctx.reply(UNKNOWN_COMMAND)


COMMANDS: dict[str, Command] = {
    "start": start,
    "help": help_command,
    "sources": sources,
    "docs": docs,
    "delete": delete,
    "reindex": reindex,
    "stats": stats,
}
"""Every shared command by name (the admin ones are gated by the core's access check before they get here)."""
