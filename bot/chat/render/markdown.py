"""Answers, drafts, sources, passages and admin results as markdown (WeCom, DingTalk), each part within the
budget the caller passes (default ``PART_BYTES``, under WeCom's 20,480-byte limit; DingTalk passes 6,000):
the one renderer (``bot.chat.render.view``) with the markdown markup (``bot.chat.render.markup``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.chat.render.markup import MARKDOWN, MARKDOWN_LIMIT, PART_BYTES, byte_len
from bot.chat.render.markup import escape_markdown as escape
from bot.chat.render.view import STREAM_CURSOR, Renderer

if TYPE_CHECKING:
    from bot.chat.types import Refusal

__all__ = [
    "MARKDOWN_LIMIT",
    "PART_BYTES",
    "STREAM_CURSOR",
    "byte_len",
    "escape",
    "render_answer",
    "render_documents",
    "render_draft",
    "render_passage",
    "render_refusal",
    "render_reindex_result",
    "render_sources",
    "render_stats",
    "render_stream",
]

_markdown = Renderer(MARKDOWN)
render_answer = _markdown.answer
render_stream = _markdown.stream
render_sources = _markdown.sources
render_passage = _markdown.passage
render_draft = _markdown.draft
render_documents = _markdown.documents
render_stats = _markdown.stats
render_reindex_result = _markdown.reindex_result


def render_refusal(refusal: Refusal) -> str | None:
    """A refusal's text with the stranger's id as code, so it can be copied whole (None: say nothing)."""
    if refusal.text is None or not refusal.id_shown:
        return refusal.text
    return refusal.text.replace(refusal.id_shown, MARKDOWN.code(refusal.id_shown), 1)
