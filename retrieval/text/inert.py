"""Passage text as anyone but an admin sees it: quarantined sentences removed, the document's own markers inert.

Only the bot's markers are markers. A report's own bracketed numbers ("见附件[2]", "【3】", "［4］", a 文号's
"[2023]") would otherwise read as citation markers of the answer quoting them ("…[2][1]", 来源 [2] pointing at
another report), so they are written with the 公文 brackets 〔〕, which no marker uses. Every quoting path goes
through ``quotable``: the extractive answer, the passages the model reads and its answer is verified against,
not-found snippets, drafts and the passage shown when a citation is tapped (``Citation.text``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from retrieval.text.injection import strip_instructions

if TYPE_CHECKING:
    from retrieval.types import ChunkRecord

__all__ = ["inert_markers", "quotable", "quotable_text"]

_DOC_MARKER = re.compile(r"[\[【［]\s*(\d+(?:\s*[,，、;；\s-]\s*\d+)*)\s*[\]】］]")


def inert_markers(text: str) -> str:
    """``text`` with every bracketed number (``[2]``, ``【2】``, ``［2,3］``) written as ``〔2〕``."""
    return _DOC_MARKER.sub(lambda m: f"〔{m.group(1)}〕", text)


def quotable(text: str) -> str:
    """A passage's text as it may be quoted or shown: no quarantined sentence, no marker of its own."""
    return inert_markers(strip_instructions(text))


def quotable_text(chunk: ChunkRecord) -> str:
    """``quotable(chunk.text)``; a chunk in whose text ingest counted no instruction-like sentence under the
    current rules (``ChunkRecord.instructions`` is 0, not ``UNCOUNTED``) is not searched for them again.
    """
    if chunk.instructions == 0:
        return inert_markers(chunk.text)
    return quotable(chunk.text)
