"""Citation buttons as a Telegram inline keyboard (labels and keys come from the chat core)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.chat.render.labels import CITE_PREFIX, button_label, citation_key, parse_citation_key

if TYPE_CHECKING:
    from retrieval.answers.types import Citation

__all__ = ["CITE_PREFIX", "citation_keyboard", "parse_citation_data"]


def citation_keyboard(
    answer_id: int, citations: list[Citation] | tuple[Citation, ...]
) -> InlineKeyboardMarkup | None:
    """One button per citation; tapping it shows the passage (callback data ``cite:<answer>:<n>``)."""
    if not citations:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(button_label(c), callback_data=citation_key(answer_id, c.n))]
            for c in citations
        ]
    )


def parse_citation_data(data: str | None) -> tuple[int, int] | None:
    """``(answer_id, n)`` from a citation button's callback data, or None for anything else."""
    return parse_citation_key(data)
