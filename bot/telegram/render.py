"""Answers, sources and passages as Telegram HTML messages with citation buttons."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram.split import PART_LIMIT, escape_units, pack, truncate, utf16_len

if TYPE_CHECKING:
    from retrieval.types import Answer, Citation, Passage

CITE_PREFIX = "cite"
_CALLBACK = re.compile(rf"^{CITE_PREFIX}:(\d+):(\d+)$")
BUTTON_LABEL_CHARS = 22
STREAM_CURSOR = " ▍"


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def citation_label(c: Citation) -> str:
    """``title · heading path`` (the source file name when the title is empty)."""
    title = c.title or c.source
    return f"{title} · {c.heading}" if c.heading else title


def sources_units(citations: list[Citation] | tuple[Citation, ...]) -> list[str]:
    """The sources list: a header and one line per citation."""
    if not citations:
        return []
    return ["\n\n<b>来源</b>"] + [f"\n[{c.n}] {_e(citation_label(c))}" for c in citations]


def _closest_units(closest: list[Passage]) -> list[str]:
    if not closest:
        return []
    units = ["\n\n<b>最接近的段落</b>"]
    for p in closest:
        heading = p.chunk.heading
        label = p.chunk.doc_title or p.chunk.source
        units.append(f"\n• {_e(label)}" + (f" · {_e(heading)}" if heading else ""))
    return units


def render_answer(answer: Answer, limit: int = PART_LIMIT) -> list[str]:
    """The answer as one or more HTML messages, in order: notice, text with [n] markers, sources."""
    units: list[str] = []
    if answer.notice:
        units.append(f"<i>{_e(answer.notice)}</i>\n\n")
    units.extend(escape_units(answer.text.strip(), limit))
    if answer.found:
        units.extend(sources_units(answer.citations))
    elif not answer.citations:
        units.extend(_closest_units(answer.closest))
    # a not-found answer's text already lists its closest passages as [n]; the buttons open them
    return pack(units, limit)


def render_stream(text_so_far: str, limit: int = PART_LIMIT) -> str:
    """A still-streaming answer: what has arrived so far, marked as unfinished, in one message."""
    budget = limit - 200
    shown = text_so_far.strip()
    while utf16_len(_e(shown)) > budget:
        shown = shown[: int(len(shown) * 0.9)]
    suffix = "…（生成中）" if shown != text_so_far.strip() else STREAM_CURSOR
    return _e(shown) + suffix


def render_sources(citations: tuple[Citation, ...], limit: int = PART_LIMIT) -> list[str]:
    """``/sources``: the last answer's sources list on its own."""
    return pack([u.lstrip("\n") if i == 0 else u for i, u in enumerate(sources_units(citations))], limit)


def render_passage(c: Citation, limit: int = PART_LIMIT) -> list[str]:
    """The full passage behind citation ``[n]`` with where it comes from."""
    units = [f"<b>[{c.n}] {_e(c.title or c.source)}</b>\n"]
    if c.heading:
        units.append(f"<i>{_e(c.heading)}</i>\n")
    units.append(f"来源文件：{_e(c.source)}\n\n")
    units.extend(escape_units(c.text.strip(), limit))
    return pack(units, limit)


def citation_keyboard(
    answer_id: int, citations: list[Citation] | tuple[Citation, ...]
) -> InlineKeyboardMarkup | None:
    """One button per citation; tapping it shows the passage (callback data ``cite:<answer>:<n>``)."""
    if not citations:
        return None
    rows = []
    for c in citations:
        name = c.heading_path[-1] if c.heading_path else (c.title or c.source)
        rows.append(
            [
                InlineKeyboardButton(
                    truncate(f"[{c.n}] {name}", BUTTON_LABEL_CHARS),
                    callback_data=f"{CITE_PREFIX}:{answer_id}:{c.n}",
                )
            ]
        )
    return InlineKeyboardMarkup(rows)


def parse_citation_data(data: str | None) -> tuple[int, int] | None:
    """``(answer_id, n)`` from a citation button's callback data, or None for anything else."""
    m = _CALLBACK.match(data or "")
    return (int(m.group(1)), int(m.group(2))) if m else None
