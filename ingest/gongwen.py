"""Read a cleaned report as a 公文 (GB/T 9704-2012): which lines are its parts and which are its body.

From the top: a government site's metadata table (索引号, 发布机构, 成文日期, 文号 …), the 版头 (份号, 密级, 紧急程度,
发文机关标志 "…文件", 文号, 签发人), the title (one to three lines; a 文号 line is never the title), a speech's
"——2026年1月26日在…会议上" and speaker lines, and the 主送机关 line. From the end: the 版记 (抄送, "…印发"), 附注
lines, the 落款 (issuing unit lines and the date, in either order, 印章 placeholders) and the 附件说明
(``ingest/gongwen_tail.py``). What is left is the body. A plain report with none of these parts reads as before:
``Gongwen.found`` is False and the body is every line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ingest import gongwen_parts as part
from ingest.articles import is_title_like, strip_title
from ingest.gongwen_tail import TailReader
from retrieval.text.normalize import to_simplified

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["Gongwen", "read_gongwen"]

HEAD_SCAN = 16  # lines searched for the 版头, the metadata table and the title
TITLE_LINES = 3
TITLE_JOINED_MAX = 80


@dataclass(frozen=True)
class Gongwen:
    """A document's 公文 parts; ``body`` is the ``[first, last)`` range of its body lines."""

    body: tuple[int, int]
    title: str = ""
    issuer: str = ""  # the issuing unit: 发布机构, else 落款, else 发文机关标志, else the speaker's unit
    date: str = ""  # 成文日期 as yyyy-mm-dd: the site's 成文/发文日期, else the 落款, else the speech's date
    printed_date: str = ""  # the 版记's 印发 date (the date to show when nothing else dates the document)
    doc_number: str = ""
    addressee: str = ""
    signer: str = ""
    secrecy: str = ""
    urgency: str = ""
    copy_number: str = ""
    speaker: str = ""
    occasion: str = ""
    attachments: tuple[str, ...] = ()
    site: tuple[tuple[str, str], ...] = ()
    parts: frozenset[int] = field(default_factory=frozenset)  # line indexes outside the body

    @property
    def found(self) -> bool:
        """Whether any 公文 part was recognised."""
        return bool(self.parts)

    @property
    def headed(self) -> bool:
        """Whether parts were found above the body (版头, title, site table, speech lines, 主送), not only below."""
        return any(i < self.body[0] for i in self.parts)


class _Reader(TailReader):
    """Reads the top of a document; the end is read by ``TailReader``."""

    def head(self) -> int:
        """Read the 版头, the metadata table, the title, speech lines and 主送; returns the first body line."""
        i = self._header(0)
        i = self._title(i)
        i = self._speech(i)
        if self._addressee(i):
            i += 1
        return i

    def _header(self, i: int) -> int:
        n = min(len(self.lines), HEAD_SCAN)
        start = i
        while i < n:
            line = self.lines[i]
            following = self.lines[i + 1] if i + 1 < n else ""
            # The 发文机关标志 may be the unit's name alone (no "文件"), right above the 文号.
            if i == start and part.unit_of_line(line) and part.doc_number_of(following):
                self.put("organ", part.unit_of_line(line))
                self.parts.add(i)
                i += 1
                continue
            # An .html page puts its title before the site's metadata table.
            if i == start and following and self._page_title_first(line, following):
                self.title_lines.append(strip_title(self.raw[i]))
                self.parts.add(i)
                i += 1
                continue
            taken = self._take_header(i)
            if not taken:
                break
            i += taken
        return i

    def _page_title_first(self, line: str, following: str) -> bool:
        return not self._is_header(line) and is_title_like(line) and self._is_header(following)

    def _is_header(self, line: str) -> bool:
        return bool(
            part.site_fields(line)
            or part.header_marks(line)
            or part.doc_number_of(line)
            or part.signer_of(line)
            or part.organ_mark(line)
        )

    def _take_header(self, i: int) -> int:
        """How many lines from ``i`` are one header element (0 when line ``i`` is none), recorded."""
        line = self.lines[i]
        fields = part.site_fields(line)
        if fields:
            label, value = fields[-1]
            nxt = self.lines[i + 1] if i + 1 < len(self.lines) else ""
            taken = 1
            if not value and nxt and not self._is_header(nxt) and len(nxt) <= part.UNIT_MAX:
                fields[-1] = (label, nxt)  # the value is on the next line (a <dt>/<dd> pair)
                taken = 2
            self.site.extend(fields)
            self.parts.update(range(i, i + taken))
            return taken
        marks = part.header_marks(line)
        number = part.doc_number_of(line)
        organ = part.organ_mark(line)
        signer = part.signer_of(line)
        if not (marks or number or organ or signer):
            return 0
        for key, value in (marks or {}).items():
            self.put(key, value)
        if number:
            self.put("doc_number", number[0])
            self.put("signer", number[1])
        self.put("organ", organ)
        self.put("signer", signer)
        self.parts.add(i)
        return 1

    def _title(self, i: int) -> int:
        """The title lines after the header: one, or up to three when a 版头 or a 主送/speech line frames them."""
        lines = self.lines
        if self.title_lines:  # a page's title, repeated on the page (perhaps over several lines)
            joined = ""
            while (
                i < len(lines)
                and lines[i]
                and is_title_like(lines[i])
                and joined + lines[i] in to_simplified(self.title_lines[0])
            ):
                joined += lines[i]
                self.parts.add(i)
                i += 1
            return i
        if i >= len(lines) or not self._title_candidate(lines[i]):
            return i
        end = i + 1
        while (
            end < len(lines)
            and end - i < TITLE_LINES
            and not part.is_complete_title(lines[end - 1])
            and self._title_candidate(lines[end])
        ):
            end += 1
        framed = bool(self.parts) or (end < len(lines) and self._frames_title(lines[end]))
        if not framed:
            end = i + 1
            if not (end < len(lines) and self._frames_title(lines[end])):
                return i
        title = "".join(strip_title(line) for line in self.raw[i:end])
        if len(title) > TITLE_JOINED_MAX:
            return i
        self.title_lines.append(title)
        self.parts.update(range(i, end))
        return end

    def _title_candidate(self, line: str) -> bool:
        return (
            is_title_like(line)
            and not part.addressee_of(line)
            and not part.speech_occasion(line)
            and not part.speaker_of(line)
            and not part.is_date_line(line)
            and not part.attachment_of(line)
        )

    def _frames_title(self, line: str) -> bool:
        return bool(part.addressee_of(line) or part.speech_occasion(line) or part.speaker_of(line))

    def _speech(self, i: int) -> int:
        """The "——…在…会议上" / "（2026年1月26日）" line and the speaker line, in either order."""
        for _ in range(2):
            if i >= len(self.lines):
                break
            occasion = part.speech_occasion(self.lines[i])
            speaker = part.speaker_of(self.lines[i])
            if occasion:
                self.put("occasion", self.raw[i])
                self.put("speech_date", occasion[1])
            elif speaker and (self.title_lines or self.found.get("occasion")):
                self.put("speaker", self.raw[i])
                self.put("speaker_unit", speaker[0])
            else:
                break
            self.parts.add(i)
            i += 1
        return i

    def _addressee(self, i: int) -> bool:
        if i < len(self.lines) and part.addressee_of(self.lines[i]):
            self.put("addressee", part.addressee_of(self.lines[i]))
            self.parts.add(i)
            return True
        return False


def read_gongwen(lines: Sequence[str]) -> Gongwen:
    """The 公文 parts of a cleaned document's lines; a document without any reads as all body."""
    reader = _Reader(lines)
    first = reader.head()
    last = reader.tail(first)
    if first >= last or not reader.parts:
        return Gongwen(body=(0, len(reader.lines)))
    found = reader.found
    site = dict(reader.site)
    words = part.terms()

    def site_value(name: str) -> str:
        return next((site[label] for label in words[name] if site.get(label)), "")

    site_issuer = part.unit_of_line(site_value("site_issuer")) or site_value("site_issuer")
    title = reader.title_lines[0] if reader.title_lines else site_value("site_title")
    return Gongwen(
        body=(first, last),
        title=title,
        issuer=site_issuer
        or found.get("signature_unit", "")
        or found.get("organ", "")
        or found.get("speaker_unit", ""),
        date=part.parse_date(site_value("site_date"))
        or found.get("signature_date", "")
        or found.get("speech_date", ""),
        printed_date=found.get("printed_date", ""),
        doc_number=found.get("doc_number", "") or site_value("site_number"),
        addressee=found.get("addressee", ""),
        signer=found.get("signer", ""),
        secrecy=found.get("secrecy", ""),
        urgency=found.get("urgency", ""),
        copy_number=found.get("copy_number", ""),
        speaker=found.get("speaker", ""),
        occasion=found.get("occasion", ""),
        attachments=tuple(reader.attachments),
        site=tuple(reader.site),
        parts=frozenset(reader.parts),
    )
