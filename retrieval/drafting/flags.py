"""Figures a generated draft cannot back up: numbers and dates that appear in no passage the paragraph
cites are found with the clause around them, so they can be listed as flags (``drafting/checks.py`` removes
their sentences), never silently kept.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from retrieval.drafting.types import DraftFlag
from retrieval.text.normalize import normalize

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

CHECK_MARK = "【待核实】"
REASON_UNCITED = "数字未见于所引资料{refs}"
REASON_NO_SOURCE = "数字未见于任何资料（该段未注明出处）"

_UNITS = (
    "万人次|人次|万元|亿元|元|万人|万份|万|亿|千|百|余|多|名|人|例|次|家|个|份|项|所|场|期|篇|张|支|件|批|户|"
    "村|天|小时|年|月|日|号|平方米|㎡|吨|床|种|类|台|辆|条|处|点|%|‰"
)
_ONE = rf"\d+(?:\.\d+)?(?:\s*[-~～至到]\s*\d+(?:\.\d+)?)?(?:{_UNITS})*"
FIGURE = re.compile(rf"(?<![\d.A-Za-z])(?:{_ONE})+(?![A-Za-z])")  # "6月30日" is one figure
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_LEADING_POINT = re.compile(r"^\d+[.、](?!\d)")
_MARKER = re.compile(r"\[\d+\]")
_CLAUSE = re.compile(r"[^，。；：！？、]*$")
_CLAUSE_END = re.compile(r"^[^，。；：！？]*")


def number_in(number: str, text: str) -> bool:
    """``number`` occurs in ``text`` as a whole number (``100`` is in ``100余名``, not in ``1000``)."""
    return re.search(rf"(?<![\d.]){re.escape(number)}(?![\d]|\.\d)", text) is not None


def _context(text: str, start: int, end: int, floor: int = 0) -> str:
    """The clause around a figure, e.g. ``培训医护人员500名`` (nothing before ``floor``)."""
    before = _CLAUSE.search(text[floor:start])
    after = _CLAUSE_END.match(text[end:])
    snippet = (before.group(0) if before else "") + text[start:end] + (after.group(0) if after else "")
    return _MARKER.sub("", snippet).strip()


def check_figures(
    text: str, cited_texts: Sequence[str], *, allowed: Iterable[str] = (), refs: str = ""
) -> tuple[str, list[DraftFlag]]:
    """Mark every figure of ``text`` whose numbers are in none of ``cited_texts`` (nor in ``allowed``,
    e.g. the request's own year). Returns the marked text and one flag per marked figure.
    """
    sources = [normalize(t) for t in cited_texts] + [normalize(a) for a in allowed]
    body_start = m.end() if (m := _LEADING_POINT.match(text)) else 0
    flags: list[DraftFlag] = []
    out: list[str] = [text[:body_start]]
    pos = body_start
    masked = _MARKER.sub(lambda m: "#" * len(m.group(0)), text)  # [n] markers are not figures
    for match in FIGURE.finditer(masked, body_start):
        numbers = _NUMBER.findall(match.group(0))
        if all(any(number_in(n, s) for s in sources) for n in numbers):
            continue
        out.append(text[pos : match.end()] + CHECK_MARK)
        pos = match.end()
        reason = REASON_UNCITED.format(refs=refs) if cited_texts else REASON_NO_SOURCE
        flags.append(DraftFlag(_context(text, match.start(), match.end(), body_start), reason))
    out.append(text[pos:])
    return "".join(out), flags
