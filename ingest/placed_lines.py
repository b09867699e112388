"""Printed lines with their place on the page (OCR boxes, OFD text runs) rejoined where the layout shows a wrap.

Where each line starts and ends is known, so a wrap is read from the page rather than guessed from line lengths
(``ingest.pdf_lines`` has only the text): a line that runs to the right margin, followed by one that starts at the
left margin (no paragraph indent, no outline number) in the same size, is the same paragraph unless its sentence ended there; so is the
last line of a page with the first line of the next. A centred title, however long, never reaches both margins and stays a line of its
own. Paragraphs are returned separated by a blank line, which ``ingest.pdf_lines`` treats as a hard break and
cleaning removes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.outline import numbering

# How near (in character widths) a line must come to a margin to touch it: a paragraph's first line is indented
# two characters; a wrapped line may stop up to two short of the right margin (a wide character or a
# punctuation mark that may not start a line moved down, 避头尾) and another may hang a mark past it.
_LEFT_CHARS = 1.0
_RIGHT_CHARS = 2.5
_FULL_LINE_CHARS = 10
_MEASURED_CHARS = 5
# Lines whose heights differ by more than this share are set in different sizes (a 2号 title over 3号 text); an
# OCR box's height varies by up to a fifth with what the line holds (brackets, digits).
_SIZE_RATIO = 0.25
_SENTENCE_END = tuple("。！？；：!?;:")


@dataclass(frozen=True)
class PlacedLine:
    """One printed line: its text, where it starts and ends across the page, and its height."""

    text: str
    left: float
    right: float
    height: float


def join_placed(pages: list[list[PlacedLine]]) -> str:
    """The pages' text, one paragraph per line, paragraphs separated by a blank line."""
    paragraphs: list[str] = []
    wraps = False  # the last line added runs to the right margin of its page and leaves its sentence open
    previous: PlacedLine | None = None
    for lines in pages:
        if not lines:
            continue
        left = min(line.left for line in lines)
        right = max(line.right for line in lines)
        char = _char_width(lines)
        # A line of a few characters is never one the page wrapped (a line of text holds 20 or more), even when
        # the page is too short to show where its margin is.
        full = [right - x.right <= _RIGHT_CHARS * char and len(x.text) >= _FULL_LINE_CHARS for x in lines]
        for line, reaches_right in zip(lines, full, strict=True):
            touches_left = line.left - left <= _LEFT_CHARS * char
            same_size = (
                previous is not None and abs(previous.height - line.height) <= _SIZE_RATIO * line.height
            )
            if wraps and touches_left and same_size and numbering(line.text) is None:
                space = " " if _latin(paragraphs[-1][-1:]) and _latin(line.text[:1]) else ""
                paragraphs[-1] += space + line.text
            else:
                paragraphs.append(line.text)
            wraps = reaches_right and not paragraphs[-1].endswith(_SENTENCE_END)
            previous = line
    return "\n\n".join(paragraphs)


def _char_width(lines: list[PlacedLine]) -> float:
    """The page's character width: the median over its longer lines of width ÷ characters (else the height)."""
    widths = sorted((x.right - x.left) / len(x.text) for x in lines if len(x.text) >= _MEASURED_CHARS)
    return widths[len(widths) // 2] if widths else max(x.height for x in lines)


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()
