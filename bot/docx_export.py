"""Where the web app imports the .docx writer from; it lives in ``bot.chat.render.docx``."""

from __future__ import annotations

from bot.chat.render.docx import AI_ASSIST_MARK, draft_to_docx

__all__ = ["AI_ASSIST_MARK", "draft_to_docx"]
