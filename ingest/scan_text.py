"""What a file's text owes to OCR: which passages were read from a scan, and which of them are uncertain.

Pure and cheap (no OCR imports): the child process that reads a file returns a ``ScanInfo`` beside the text, and
parsing marks each chunk with it. Matching is by content with whitespace removed, because cleaning and rejoining
wrapped lines change offsets but never characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A recognised line whose mean character confidence is below this is "low confidence" (shown to the user).
LOW_CONFIDENCE = 0.85
_SPACE = re.compile(r"\s+")
_MIN_LOW = 4  # a shorter uncertain line (a stray mark) could be found anywhere: it marks nothing
_KEY = 16  # characters of a chunk's (or a low line's) start and end looked up in the scanned text


def compact(text: str) -> str:
    """``text`` without any whitespace (the form scanned text and chunks are compared in)."""
    return _SPACE.sub("", text)


@dataclass(frozen=True)
class ScanLimits:
    """Bounds on OCR work in one file (``ParseLimits`` carries the configured values)."""

    page_seconds: float = 30.0
    pages: int = 100
    image_pixels: int = 50_000_000
    memory_mb: int = 2560


@dataclass(frozen=True)
class ScanInfo:
    """The text read by OCR from a file: all of it (``whole``) or some pages of a mixed PDF.

    ``lines`` are the recognised lines of the scanned pages (before rejoining), ``low`` those whose recognition
    confidence is below ``LOW_CONFIDENCE``.
    """

    pages: int
    whole: bool
    lines: tuple[str, ...] = ()
    low: tuple[str, ...] = ()
    _joined: str = field(default="", compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_joined", compact("".join(self.lines)))

    def covers(self, chunk_text: str) -> bool:
        """True when the chunk was read from a scanned page."""
        if self.whole:
            return True
        text = compact(chunk_text)
        return bool(text) and (text[:_KEY] in self._joined or text[-_KEY:] in self._joined)

    def uncertain(self, chunk_text: str) -> bool:
        """True when the chunk holds (part of) a line recognised with low confidence."""
        text = compact(chunk_text)
        for line in self.low:
            key = compact(line)
            if len(key) >= _MIN_LOW and (key[:_KEY] in text or key[-_KEY:] in text):
                return True
        return False
