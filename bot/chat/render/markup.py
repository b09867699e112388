"""The markup strategies of the chat formats: how each escapes report text, marks bold, italic and code, and
counts a message's length. ``bot.chat.render.view`` walks the structure once for all of them.

Markdown (WeCom, DingTalk): report text is hostile and made inert with CommonMark backslashes: emphasis, code,
headings, links and images (``[点此下载](http://…)``), HTML (``<a>``, ``<script>``), tables and strikethrough;
``://`` and ``www.`` are broken up so no URL becomes an autolink. Only the bot's own ``[n]`` markers stay as
they are (a document's own bracketed numbers are ``〔n〕`` by then: ``retrieval.text.inert``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.chat.render.split import (
    HTML_ATOM,
    PART_LIMIT,
    SOFT_BREAKS,
    byte_len,
    pack,
    sentence_units,
    utf16_len,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

MARKDOWN_LIMIT = 20_480
"""WeCom's limit on a stream message's content, in UTF-8 bytes."""
PART_BYTES = 20_000
"""Budget per markdown part, with headroom for a front end's own line."""

_SPECIAL = re.compile(r"([\\*_`#\[\]()<>!~|])")
_BOT_MARKER = re.compile(r"(\[\d+\])")
"""The bot's own citation marker ``[n]``, the one definition in the chat layer."""
_WWW = re.compile(r"(?i)\b(www)\.")
_MARKDOWN_ATOM = re.compile(r"\\.|.", re.DOTALL)


def escape_markdown(text: str) -> str:
    """Report text made inert for markdown: no emphasis, code, heading, link, image, HTML or autolink; the
    bot's ``[n]`` markers kept.
    """
    parts = _BOT_MARKER.split(text)
    return "".join(part if i % 2 else _inert(part) for i, part in enumerate(parts))


def _inert(text: str) -> str:
    escaped = _SPECIAL.sub(r"\\\1", text).replace("://", ":\\/\\/")
    return _WWW.sub(r"\1\\.", escaped)


def escape_html(text: str) -> str:
    """Text as HTML (``<``, ``>`` and ``&`` escaped)."""
    return html.escape(text, quote=False)


@dataclass(frozen=True)
class Markup:
    """One chat format: its escaping, marks, measure and budgets."""

    escape: Callable[[str], str]
    bold: tuple[str, str]
    italic: tuple[str, str]
    code: Callable[[str], str]
    """Raw text as tap-to-copy code."""
    bullet: str
    measure: Callable[[str], int]
    part_limit: int
    stream_headroom: int
    """Room left in a streaming message for what a front end adds."""
    atom: re.Pattern[str]
    """The smallest pieces of escaped text a cut may not split."""
    soft_breaks: str = ""
    """Where an over-long sentence is best cut (none: anywhere)."""

    def strong(self, text: str) -> str:
        """Already escaped ``text`` in bold."""
        return f"{self.bold[0]}{text}{self.bold[1]}"

    def em(self, text: str) -> str:
        """Already escaped ``text`` in italics."""
        return f"{self.italic[0]}{text}{self.italic[1]}"

    def units(self, text: str, limit: int) -> list[str]:
        """``text`` as escaped sentence units under ``limit``."""
        return sentence_units(
            text,
            limit,
            escape=self.escape,
            measure=self.measure,
            atom=self.atom,
            soft_breaks=self.soft_breaks,
        )

    def pack(self, units: Iterable[str], limit: int) -> list[str]:
        """Units joined into as few parts as fit under ``limit``."""
        return pack(units, limit, self.measure)


HTML = Markup(
    escape=escape_html,
    bold=("<b>", "</b>"),
    italic=("<i>", "</i>"),
    code=lambda text: f"<code>{escape_html(text)}</code>",
    bullet="•",
    measure=utf16_len,
    part_limit=PART_LIMIT,
    stream_headroom=200,
    atom=HTML_ATOM,
    soft_breaks=SOFT_BREAKS,
)
"""Telegram HTML: under 4096 UTF-16 code units a message."""

MARKDOWN = Markup(
    escape=escape_markdown,
    bold=("**", "**"),
    italic=("*", "*"),
    code=lambda text: f"`{text}`",
    bullet="-",
    measure=byte_len,
    part_limit=PART_BYTES,
    stream_headroom=100,
    atom=_MARKDOWN_ATOM,
)
"""WeCom's (and DingTalk's) markdown: under WeCom's 20,480-byte stream limit a message."""
