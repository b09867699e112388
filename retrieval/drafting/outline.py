"""Official outline numbering (一、 / （一） / 1.) and the text clean-up drafts need.

Numbering is applied when the draft is assembled, so sections left empty never leave gaps.
"""

from __future__ import annotations

import re

from retrieval.text.normalize import to_simplified

_DIGITS = "零一二三四五六七八九"

# Outline numbering at the start of a heading, point or sentence, in any of the forms reports use.
NUMBERING = re.compile(
    r"^\s*(?:第[一二三四五六七八九十]+[篇部分章节]、?|[（(][一二三四五六七八九十\d]+[）)]、?|"
    r"[一二三四五六七八九十]+[、.．]|\d+[、.．](?!\d)|[①-⑳]|[一二三四五六七八九十]是[，,：:]?)\s*"
)
_ASCII_PUNCT = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_CJK_ASCII_PUNCT = re.compile(r"(?<=[\u4e00-\u9fff\d%）)])([,;:?!])|([()])")
_ANON_X = re.compile(r"(?<![A-Za-z])[xX]+(?:[.．][xX]+)?(?![A-Za-z])")
_TRAILING = re.compile(r"[\s。；;，,、：:]+$")


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (1..99)."""
    if not 1 <= n <= 99:
        msg = f"outline number out of range: {n}"
        raise ValueError(msg)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else _DIGITS[tens] + "十"
    return head + (_DIGITS[ones] if ones else "")


def top_heading(n: int, text: str) -> str:
    """``一、工作回顾``."""
    return f"{chinese_numeral(n)}、{text}"


def sub_heading(n: int, text: str) -> str:
    """``（一）加强疾病预防控制工作``."""
    return f"（{chinese_numeral(n)}）{text}"


def point_prefix(n: int) -> str:
    """``1.``: the third outline level, used for numbered points."""
    return f"{n}."


def heading_level(heading: str) -> int:
    """0 for the untitled lead section, 1 for ``一、…``, 2 for ``（一）…``, 3 for ``1.…``."""
    if not heading:
        return 0
    if re.match(r"^[（(][一二三四五六七八九十]+[）)]", heading):
        return 2
    if re.match(r"^\d+[.．、]", heading):
        return 3
    return 1


def strip_numbering(text: str) -> str:
    """Text without its leading outline numbering (repeatedly: ``（一）1、…`` → ``…``)."""
    while (stripped := NUMBERING.sub("", text, count=1)) != text:
        text = stripped
    return text.strip()


def draft_text(text: str) -> str:
    """Report text as a draft shows it: Simplified, Chinese punctuation, anonymised ``xx`` as ``××``."""
    text = to_simplified(" ".join(text.split()))
    text = _CJK_ASCII_PUNCT.sub(lambda m: _ASCII_PUNCT[m.group(1) or m.group(2)], text)
    return _ANON_X.sub("××", text)


def sentence_body(text: str) -> str:
    """Text without trailing sentence punctuation, so a marker and ``。`` can be appended."""
    return _TRAILING.sub("", text)
