"""The end of a 公文: the 版记 (抄送, "…印发"), 附注 lines, the 落款 and the 附件说明, and the 落款 inside a body.

``TailReader`` holds a document's lines (as written, and a Simplified copy every rule reads) with the parts found
so far; ``ingest/gongwen.py`` reads the top with the same state. Pure functions of the lines, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest import gongwen_parts as part
from ingest.articles import is_title_like
from retrieval.text.normalize import to_simplified

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["Signature", "TailReader", "signed_parts"]

TAIL_SCAN = 12  # lines searched for the 版记, the 落款 and the 附件说明
SIGNATURE_UNITS = 3
IMPRINT_LINES = 6  # 抄送 (perhaps wrapped), 主题词, 印发, 共印: a 版记 is short
IMPRINT_LINE_MAX = 120


class TailReader:
    """A document's lines (as written and in Simplified) and the parts read so far; reads the end."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.raw = [line.strip() for line in lines]
        self.lines = [to_simplified(line) for line in self.raw]  # read in Simplified; titles kept as written
        self.parts: set[int] = set()
        self.found: dict[str, str] = {}
        self.site: list[tuple[str, str]] = []
        self.attachments: list[str] = []
        self.title_lines: list[str] = []

    def put(self, key: str, value: str) -> None:
        """Record ``value`` under ``key`` unless a part read earlier already gave one."""
        if value and not self.found.get(key):
            self.found[key] = value

    def tail(self, first: int) -> int:
        """Read a site's metadata table placed under the text, the 版记, 附注, 落款 and 附件说明 from the end;
        returns the end of the body (exclusive).
        """
        end = len(self.lines)
        floor = max(first, end - TAIL_SCAN)
        while end > floor and part.site_fields(self.lines[end - 1]):  # a site's metadata table under the text
            self.site[:0] = part.site_fields(self.lines[end - 1])
            self.parts.add(end - 1)
            end -= 1
        end = self._imprint(end, floor)
        while end > floor and part.is_note(self.lines[end - 1]):
            self.parts.add(end - 1)
            end -= 1
        end = self.signature_start(end, floor)
        return self.attachments_start(end, floor)

    def _imprint(self, end: int, floor: int) -> int:
        """The 版记 at the very end: 抄送 (maybe wrapped), 主题词, "…印发", "（共印…份）"."""
        start = next((k for k in range(floor, end) if part.is_print_line(self.lines[k])), None)
        block = self.lines[start:end] if start is not None else []
        if start is None or len(block) > IMPRINT_LINES or any(len(line) > IMPRINT_LINE_MAX for line in block):
            return end
        for k in range(start, end):
            printed = part.printed_by(self.lines[k])
            if printed:
                self.put("printed_date", printed[1])
        self.parts.update(range(start, end))
        return start

    def signature_start(self, end: int, floor: int) -> int:
        """The 落款 ending at ``end``: unit lines and one date line (either order, 印章 placeholders), or both on
        one line; returns where it starts (``end`` when there is none).
        """
        units: list[str] = []
        dates: list[str] = []
        k = end
        while k > floor and len(units) <= SIGNATURE_UNITS:
            line = self.lines[k - 1]
            both = part.signature(line)
            if both and not dates:
                units.insert(0, both[0])
                dates.append(both[1])
            elif part.is_date_line(line) and not dates:
                dates.append(part.parse_date(line))
            elif part.unit_of_line(line):
                units.insert(0, part.unit_of_line(line))
            elif not part.is_seal_line(line):
                break
            k -= 1
        if not dates or not dates[0]:
            return end
        self.put("signature_date", dates[0])
        if units:
            self.put("signature_unit", units[0])
        self.parts.update(range(k, end))
        return k

    def attachments_start(self, end: int, floor: int) -> int:
        """The 附件说明 ("附件：1. …" and its items) that ends at ``end``: where it starts (``end`` when none)."""
        for k in range(end - 1, floor - 1, -1):
            rest = part.attachment_of(self.lines[k])
            if rest is None:
                continue
            items = self.lines[k + 1 : end]
            if all(part.is_list_item(item) or is_title_like(item) for item in items):
                self.attachments = [x for x in [rest, *items] if x]
                self.parts.update(range(k, end))
                return k
            return end
        return end


@dataclass(frozen=True)
class Signature:
    """The 落款 that ends a part of a document: its unit and date ("" when the part is not signed)."""

    unit: str = ""
    date: str = ""


def signed_parts(lines: Sequence[str]) -> list[tuple[int, int, Signature]]:
    """The body cut at each 落款 inside it: ``(first, last, signature)`` per part, the 落款 lines left out.

    A notice signs, then its attachment follows ("…印发给你们。/ 江澜市卫生健康委员会 / 2024年2月20日 / 2024年全市
    卫生健康工作要点 / 一、…"); a file of several articles may sign each. A 落款 here is a unit line and a date line
    (either order) or both on one line; the last part ends where ``lines`` end, unsigned.
    """
    reader = TailReader(lines)
    text = reader.lines
    out: list[tuple[int, int, Signature]] = []
    first = i = 0
    while i < len(text):
        if not (part.is_date_line(text[i]) or part.signature(text[i])):
            i += 1
            continue
        end = i + 1
        while end < len(text) and end - i <= SIGNATURE_UNITS and _under_date(text[end]):
            end += 1  # the unit written under the date
        reader.found.clear()
        start = reader.signature_start(end, max(first, end - SIGNATURE_UNITS - 2))
        unit = reader.found.get("signature_unit", "")
        if start < end and unit and start > first:
            body_end = reader.attachments_start(start, max(first, start - TAIL_SCAN))  # its 附件说明 above it
            out.append((first, body_end, Signature(unit, reader.found.get("signature_date", ""))))
            first = end
        i = end
    out.append((first, len(text), Signature()))
    return out


def _under_date(line: str) -> bool:
    return bool(part.unit_of_line(line) or part.is_seal_line(line)) and not part.is_date_line(line)
