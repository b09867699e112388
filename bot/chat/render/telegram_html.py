"""Answers, drafts, sources, passages and admin results as Telegram HTML messages (each under 4096 characters):
the one renderer (``bot.chat.render.view``) with the HTML markup (``bot.chat.render.markup``).
"""

from __future__ import annotations

import re

from bot.chat.render.markup import HTML, escape_html
from bot.chat.render.view import STREAM_CURSOR, Renderer

__all__ = [
    "STREAM_CURSOR",
    "code",
    "render_answer",
    "render_documents",
    "render_draft",
    "render_passage",
    "render_reindex_progress",
    "render_reindex_result",
    "render_sources",
    "render_stats",
    "render_stream",
    "rich",
]

_BOLD = re.compile(r"\*\*(.+?)\*\*")

_html = Renderer(HTML)
render_answer = _html.answer
render_stream = _html.stream
render_sources = _html.sources
render_passage = _html.passage
render_draft = _html.draft
render_documents = _html.documents
render_stats = _html.stats
render_reindex_progress = _html.reindex_progress
render_reindex_result = _html.reindex_result
code = HTML.code
"""``text`` as tap-to-copy code."""


def rich(text: str) -> str:
    """A core text with ``**bold**`` marks as HTML (escaped, bold as ``<b>``)."""
    return _BOLD.sub(r"<b>\1</b>", escape_html(text))
