"""Word's automatic list numbering, rendered as text ("一、", "（一）", "1.").

python-docx returns a paragraph's own text only; an outline numbered by Word ("一、上半年工作" typed as
"上半年工作" with a numbering definition) would lose the numbers the outline parser relies on. This
renders the number of each numbered paragraph from the document's numbering part. Bullets are skipped.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from docx.oxml.ns import qn

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

log = logging.getLogger(__name__)

_CN_DIGITS = "零一二三四五六七八九"
_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip

Level = tuple[str, str, int]  # (numFmt, lvlText, start)


def chinese_number(n: int, digits: str = _CN_DIGITS, ten: str = "十") -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (Word's chineseCounting up to 99)."""
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 and ten == "十" else digits[tens]
    return head + ten + (digits[ones] if ones else "") if n < 100 else str(n)


def format_number(n: int, fmt: str) -> str:
    """One counter in Word's number format ``fmt``."""
    if fmt in {"chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "ideographDigital", "taiwaneseCountingThousand"}:  # fmt: skip
        return chinese_number(n)
    if fmt == "chineseLegalSimplified":
        return chinese_number(n, _LEGAL_DIGITS, "拾")
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt in {"upperLetter", "lowerLetter"}:
        letter = chr(ord("A") + (n - 1) % 26)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in {"upperRoman", "lowerRoman"}:
        out, rest = "", n
        for value, numeral in _ROMAN:
            while rest >= value:
                out, rest = out + numeral, rest - value
        return out if fmt == "upperRoman" else out.lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class DocxNumbering:
    """Renders list numbers of a document's paragraphs in reading order (counters are stateful)."""

    def __init__(self, document: Document) -> None:
        self._levels: dict[str, dict[int, Level]] = {}
        self._counters: dict[str, list[int | None]] = {}
        try:
            part = document.part.numbering_part
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, Level]] = {}
        for node in part.element.findall(qn("w:abstractNum")):
            abstract[node.get(qn("w:abstractNumId"))] = _levels_of(node)
        for num in part.element.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None and ref.get(qn("w:val")) in abstract:
                levels = dict(abstract[ref.get(qn("w:val"))])
                for override in num.findall(qn("w:lvlOverride")):
                    start = override.find(qn("w:startOverride"))
                    ilvl = int(override.get(qn("w:ilvl"), "0"))
                    if start is not None and ilvl in levels:
                        fmt, text, _ = levels[ilvl]
                        levels[ilvl] = (fmt, text, int(start.get(qn("w:val"), "1")))
                self._levels[num.get(qn("w:numId"))] = levels

    def prefix(self, paragraph: Paragraph) -> str:
        """The number Word shows before ``paragraph`` ("一、"), or "" when it is not numbered."""
        found = _num_pr(paragraph)
        if found is None:
            return ""
        num_id, ilvl = found
        levels = self._levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self._counters.setdefault(num_id, [None] * 9)
        for deeper in range(ilvl + 1, len(counters)):
            counters[deeper] = None
        current = counters[ilvl]
        counters[ilvl] = levels[ilvl][2] if current is None else current + 1
        fmt, text, _ = levels[ilvl]
        if fmt in {"bullet", "none"}:
            return ""
        for k in range(ilvl, -1, -1):
            if f"%{k + 1}" in text:
                lvl_fmt, _, lvl_start = levels.get(k, ("decimal", "", 1))
                shown = counters[k]
                text = text.replace(
                    f"%{k + 1}", format_number(lvl_start if shown is None else shown, lvl_fmt)
                )
        return text


def _levels_of(abstract_num: Any) -> dict[int, Level]:
    levels: dict[int, Level] = {}
    for lvl in abstract_num.findall(qn("w:lvl")):
        fmt = lvl.find(qn("w:numFmt"))
        text = lvl.find(qn("w:lvlText"))
        start = lvl.find(qn("w:start"))
        levels[int(lvl.get(qn("w:ilvl"), "0"))] = (
            fmt.get(qn("w:val"), "decimal") if fmt is not None else "decimal",
            text.get(qn("w:val"), "") if text is not None else "",
            int(start.get(qn("w:val"), "1")) if start is not None else 1,
        )
    return levels


def _num_pr(paragraph: Paragraph) -> tuple[str, int] | None:
    """(numId, ilvl) from the paragraph's own properties, else from its style chain."""
    candidates = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        candidates.append(style.element.pPr)
        style = style.base_style
    for ppr in candidates:
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if num_pr is None:
            continue
        num_id = num_pr.find(qn("w:numId"))
        ilvl = num_pr.find(qn("w:ilvl"))
        if num_id is None or num_id.get(qn("w:val")) == "0":
            return None
        return num_id.get(qn("w:val")), int(ilvl.get(qn("w:val"), "0")) if ilvl is not None else 0
    return None
