"""Outline of one article: which lines are headings, and which paragraphs sit under which heading path.

Numbering levels nest 第一部分 > 一、 > （一） > 1、/1. > （1） > ①; an unnumbered short line naming a report
part ("下半年工作计划") counts as 第一部分 does; unnumbered Markdown ``#`` headings sit above them all
("## 一、…" nests by its numbering). A numbered line is one of three things, decided from how report
writers use them in the corpus:

* a heading line: "（一）公共卫生保障有力", "3、完善基层医疗卫生机构能力建设" — short, no body on the line;
* a numbered paragraph: "1、加强食品安全综合监管。继续深化…" — its first sentence is a title
  (≤ 40 characters) and becomes the heading, while the whole line stays body text;
* a numbered item: "2、婦幼保健院門診病房樓,總建築面積2萬平方米,…。" — one long sentence, body only.

A heading line that turns out to have neither body nor children ("（二）药品采购改革方案需在实施在不断完善。"
followed by "（三）…") is demoted to an item, so its text is never lost. Three or more paragraphs in a
row that each open with a short title sentence ("加快卫生工程建设。加强基建管理…") are unnumbered items,
one section each, below every numbered level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

LineKind = Literal["heading", "para_heading", "item", "body"]

_CN_NUM = "一二三四五六七八九十"
_NUMBERING: tuple[tuple[int, re.Pattern[str]], ...] = (
    (0, re.compile(rf"^第[{_CN_NUM}]{{1,3}}(?:部分|章|节|節)\s*[、：:．.]?\s*")),
    (1, re.compile(rf"^[{_CN_NUM}]{{1,3}}\s*[、．.]\s*")),
    (2, re.compile(rf"^[（(]\s*[{_CN_NUM}]{{1,3}}\s*[)）]\s*[、．.]?\s*")),
    (3, re.compile(r"^\d{1,2}\s*(?:[、．]|\.(?!\d)|[)）](?![\d%]))\s*")),
    (4, re.compile(r"^[（(]\s*\d{1,2}\s*[)）]\s*[、．.]?\s*")),
    (5, re.compile(r"^[①-⑳]\s*")),
)
_MARKDOWN = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_MARKDOWN_BASE = -10  # "#" → level -9, "##" → -8, … all above 一、
# An unnumbered short line that names a report part ("上半年工作总结", "存在的问题") is a top-level heading.
_BARE_HEADING = re.compile(
    r"^[^，,。；;：:！!？?、“”\"（）()|]{2,24}?"
    r"(?:总结|總結|计划|計劃|打算|要点|要點|情况|情況|问题|問題|思路|措施|目标|目標|安排|成效|回顾|回顧|不足)$"
)
# "加快卫生工程建设。出台…": an unnumbered paragraph led by a short title sentence (no comma in it).
_TITLE_SENTENCE = re.compile(r"^([^，,：:；;。！？!?“”()（）]{4,20})[。！](?=.)")
TITLE_RUN_MIN = 3
UNNUMBERED_LEVEL = 6  # below every numbering level
_EMPHASIS = re.compile(r"^(\*\*|__)(.+)\1$")
_SENTENCE_END = re.compile(r"[。！？；!?;]")
_TITLE_COLON = re.compile(r"[：:]")
_COMMA = re.compile(r"[，,]")
# A closing remark ("总之，…") belongs to the top-level section, not to the last numbered item.
_CLOSING_REMARK = re.compile(r"^(?:总之|總之|综上|綜上|总的来看|總的來看|总体来看|總體來看|总体上|總體上)")
_TERMINAL = tuple('。！？!?；;：:”"’』」）)》…—.')
_OPEN_ENDED = tuple("，,、")
PARA_TITLE_MAX = 40
COLON_TITLE_MAX = 20
HEADING_LINE_MAX = 64


@dataclass(frozen=True)
class Line:
    """One line of the cleaned text with its offsets."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Classified:
    """What a line is in the outline; ``label`` is the heading text shown in heading paths."""

    kind: LineKind
    level: int = 0
    label: str = ""


@dataclass
class Section:
    """A run of body paragraphs under one heading path; chunks never cross a section."""

    path: tuple[str, ...]
    spans: list[tuple[int, int]] = field(default_factory=list)


def split_lines(text: str, offset: int = 0) -> list[Line]:
    """Non-empty lines of ``text`` with offsets (``offset`` is added, for slices of a larger text)."""
    lines: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        if raw.strip():
            lines.append(Line(offset + pos, offset + pos + len(raw), raw))
        pos += len(raw) + 1
    return lines


def numbering(line: str) -> tuple[int, str, str] | None:
    """``(level, prefix, rest)`` when the line starts with outline numbering, else None."""
    for level, pattern in _NUMBERING:
        m = pattern.match(line)
        if m and m.end() < len(line):
            return level, line[: m.end()], line[m.end() :]
    return None


def classify(line: str) -> Classified:
    """Classify one cleaned line (see the module docstring)."""
    md = _MARKDOWN.match(line)
    if md:
        # "## 一、上半年工作" keeps the level of its numbering, so it nests like a plain "一、" line would.
        found = numbering(md.group(2))
        level = found[0] if found else _MARKDOWN_BASE + len(md.group(1))
        return Classified("heading", level, md.group(2))
    emphasis = _EMPHASIS.match(line)
    if emphasis:
        line = emphasis.group(2).strip()
    found = numbering(line)
    if found is None:
        return Classified("heading", 0, line) if _BARE_HEADING.match(line) else Classified("body")
    level, prefix, rest = found
    end = _SENTENCE_END.search(rest)
    if end and rest[end.end() :].strip(" ”’」』)）"):
        title = rest[: end.start()]
        colon = _TITLE_COLON.search(title)
        if colon and colon.start() <= COLON_TITLE_MAX:
            title = title[: colon.start()]
        if 0 < len(title) <= PARA_TITLE_MAX:
            return Classified("para_heading", level, (prefix + title).strip())
        return Classified("item", level)
    colon = _TITLE_COLON.search(rest)
    if colon and 0 < colon.start() <= COLON_TITLE_MAX and rest[colon.end() :].strip():
        return Classified("para_heading", level, (prefix + rest[: colon.start()]).strip())
    limit = PARA_TITLE_MAX if end else HEADING_LINE_MAX
    if len(rest) <= limit and not rest.endswith(_OPEN_ENDED):
        return Classified("heading", level, (prefix + rest.rstrip("。.：:；;")).strip())
    return Classified("item", level)


def build_sections(lines: list[Line]) -> list[Section]:
    """Group an article's lines into sections with heading paths (headings themselves are not body)."""
    paras = _title_sentence_runs(_demote_empty_headings(_merge_continuations(lines)))
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    current: Section | None = None
    for para in paras:
        cls = para.cls
        if cls.kind == "body":
            if _CLOSING_REMARK.match(para.first) and len(stack) > 1:
                del stack[1:]
                current = None
            if current is None:
                current = Section(tuple(label for _, label in stack))
                sections.append(current)
            current.spans.append((para.start, para.end))
            continue
        while stack and stack[-1][0] >= cls.level:
            stack.pop()
        if cls.kind in ("heading", "para_heading"):
            stack.append((cls.level, cls.label))
        path = tuple(label for _, label in stack)
        if cls.kind != "item" or current is None or current.path != path:
            current = Section(path)
            sections.append(current)
        if cls.kind != "heading":
            current.spans.append((para.start, para.end))
    return [s for s in sections if s.spans]


@dataclass
class _Para:
    """One or more lines forming a paragraph: its span, first and last line, and classification."""

    start: int
    end: int
    first: str
    last: str
    cls: Classified


def _ends_open(text: str) -> bool:
    """A line that stops mid-sentence (scrapers break lines inside sentences)."""
    return not text.rstrip().endswith(_TERMINAL)


def _broken_sentence(heading: str, nxt: str) -> bool:
    """A sentence-like "heading" (it has commas) cut before a number: "…佔地" + "9.28公頃,…"."""
    return bool(_COMMA.search(heading)) and _ends_open(heading) and nxt[:1].isdigit()


def _merge_continuations(lines: list[Line]) -> list[_Para]:
    """Classify lines and join a body line onto the previous paragraph when that one stopped mid-sentence."""
    paras: list[_Para] = []
    for line in lines:
        cls = classify(line.text)
        if paras and cls.kind == "body":
            prev = paras[-1]
            if prev.cls.kind == "heading" and _broken_sentence(prev.last, line.text):
                prev.cls = Classified("item", prev.cls.level)
            if prev.cls.kind != "heading" and _ends_open(prev.last):
                prev.end, prev.last = line.end, line.text
                continue
        paras.append(_Para(line.start, line.end, line.text, line.text, cls))
    return paras


def _demote_empty_headings(paras: list[_Para]) -> list[_Para]:
    """A numbered heading line followed by a sibling (or nothing) has no content of its own: make it an item."""
    for i, para in enumerate(paras):
        if para.cls.kind == "heading" and para.cls.level >= 0:
            nxt = paras[i + 1].cls if i + 1 < len(paras) else None
            if nxt is None or (nxt.kind != "body" and nxt.level <= para.cls.level):
                para.cls = Classified("item", para.cls.level)
    return paras


def _title_sentence_runs(paras: list[_Para]) -> list[_Para]:
    """Three or more consecutive body paragraphs each led by a short title sentence are unnumbered items.

    Corpus 004 lists its work as "全面实施公立医院改革。市政府…" / "加快卫生工程建设。加强…" without numbers;
    each such paragraph then gets its own section instead of being packed with its neighbours.
    """
    run: list[_Para] = []
    for para in [*paras, None]:
        match = _TITLE_SENTENCE.match(para.first) if para is not None and para.cls.kind == "body" else None
        if match and para is not None:
            run.append(para)
            continue
        if len(run) >= TITLE_RUN_MIN:
            for item in run:
                label = _TITLE_SENTENCE.match(item.first).group(1)  # type: ignore[union-attr]
                item.cls = Classified("para_heading", UNNUMBERED_LEVEL, label)
        run = []
    return paras
