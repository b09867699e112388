"""Rejoin the lines a PDF wrapped inside a sentence, so sentences keep their shape before splitting.

PDF text comes out one printed line per line: "…开展义诊活动12场，" / "服务群众1500余人次。". A line that
stops mid-sentence (no 。！？；： at its end) is joined to the next one, unless either is a heading: an outline
line ("一、…", "（二）…") or a short title line. CJK text and numbers are joined without a space, Latin words with one.
Pages are read as one text, so a sentence cut by a page break is joined too; a page number between the two halves
("- 3 -") stays on its own line for cleaning to drop.
"""

from __future__ import annotations

import re

from ingest.articles import is_title_like, marker_of
from ingest.clean import is_noise_line
from ingest.outline import numbering

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_SENTENCE_END = tuple("。！？；：!?;:")
_CLOSERS = "”’」』）)》】\"'"
_OPEN = tuple("，、,（(“《【—")
# A line this close to the page's longest line ran into the right margin: the printer wrapped it.
_FULL_LINE = 0.8


def join_wrapped_lines(text: str) -> str:
    """PDF text with lines broken inside a CJK sentence joined; other line breaks kept."""
    lines = [line.strip() for line in text.split("\n")]
    width = max((len(line) for line in lines), default=0)
    out: list[str] = []
    last = -1  # the last line of content (a page number is skipped over, a blank line ends the paragraph)
    for line in lines:
        if last >= 0 and line and not is_noise_line(line) and _continues(out[last], line, width):
            prev = out[last]
            space = " " if _latin(prev[-1:]) and _latin(line[:1]) else ""
            out[last] = prev + space + line
            continue
        out.append(line)
        if not line:
            last = -1
        elif not is_noise_line(line):
            last = len(out) - 1
    return "\n".join(out)


def _continues(prev: str, line: str, width: int) -> bool:
    """True when ``line`` carries on the sentence ``prev`` left open."""
    if not prev or not line or not _CJK.search(prev):
        return False
    if prev.rstrip(_CLOSERS).endswith(_SENTENCE_END) or prev.endswith("…"):
        return False
    if numbering(line) is not None or marker_of(line) is not None:
        return False
    if prev.endswith(_OPEN):
        return True
    heading = numbering(prev) is not None or is_title_like(prev) or marker_of(prev) is not None
    return not heading or len(prev) >= _FULL_LINE * width


def _latin(char: str) -> bool:
    return char.isascii() and char.isalpha()
