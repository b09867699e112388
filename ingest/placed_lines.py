"""Printed lines with their place on the page (OCR boxes, OFD text runs) rejoined where the layout shows a wrap.

Where each line starts and ends is known, so a wrap is read from the page rather than guessed from line lengths
(``ingest.pdf_lines`` has only the text): a line that runs to the right margin, followed by one that starts at the
left margin (no paragraph indent, no outline number), is the same paragraph unless its sentence ended there; so is the
last line of a page with the first line of the next. A centred title, however long, never reaches both margins and stays a line of its
own. Paragraphs are returned separated by a blank line, which ``ingest.pdf_lines`` treats as a hard break and
cleaning removes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.articles import is_title_like
from ingest.outline import numbering

_MARGIN_CHARS = 1.2  # how near (in character heights) a line must come to a margin to touch it
_CLEAR_MARGIN_LINES = 3
_SENTENCE_END = tuple("。！？；：!?;:")


@dataclass(frozen=True)
class PlacedLine:
    """One printed line: its text, where it starts and ends across the page, and its character height."""

    text: str
    left: float
    right: float
    height: float


def join_placed(pages: list[list[PlacedLine]]) -> str:
    """The pages' text, one paragraph per line, paragraphs separated by a blank line."""
    paragraphs: list[str] = []
    wraps = False  # the last line added runs to the right margin of its page and leaves its sentence open
    for lines in pages:
        if not lines:
            continue
        left = min(line.left for line in lines)
        right = max(line.right for line in lines)
        full = [right - line.right <= _MARGIN_CHARS * line.height for line in lines]
        # A heading wraps only where the margin is clear from the page (a page of two short lines has none).
        clear_margin = sum(full) >= _CLEAR_MARGIN_LINES
        for line, reaches_right in zip(lines, full, strict=True):
            touches_left = line.left - left <= _MARGIN_CHARS * line.height
            if wraps and touches_left and numbering(line.text) is None:
                space = " " if _latin(paragraphs[-1][-1:]) and _latin(line.text[:1]) else ""
                paragraphs[-1] += space + line.text
            else:
                paragraphs.append(line.text)
            text = paragraphs[-1]
            heading = numbering(text) is not None or is_title_like(text)
            wraps = reaches_right and not text.endswith(_SENTENCE_END) and (clear_margin or not heading)
    return "\n\n".join(paragraphs)


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()
