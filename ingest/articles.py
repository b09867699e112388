"""Document title and the articles a file holds.

Scraped pages often bundle several reports: "第一篇: 标题", "第一篇", "【篇一】", "范文一", or the page
title repeated with an ordinal ("衛生局上半年工作總結及下半年工作計劃一" / "…二"). Lines before the first
marker are the page header (title, repeated title); anything else there is kept as uncounted text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.outline import Line, classify, numbering

_NUM = r"[一二三四五六七八九十\d]{1,3}"
_MARKERS = (
    re.compile(rf"^(第\s*{_NUM}\s*篇)(?:\s*[:：.、\s]\s*(.*))?$"),
    re.compile(rf"^[【\[]\s*(篇\s*{_NUM}|第\s*{_NUM}\s*篇|范文\s*{_NUM})\s*[】\]]\s*[:：]?\s*(.*)$"),
    re.compile(rf"^(篇\s*{_NUM}|范文\s*{_NUM})(?:\s*[:：]\s*(.*))?$"),
)
_ORDINAL_SUFFIX = re.compile(r"^(.{4,60}?)\s*[（(]?([一二三四五六七八九十]|[1-9])[)）]?$")
_FIRST_ORDINALS = ("一", "1")
_COUNT_SUFFIX = re.compile(r"\s*[（(]\s*共\s*[\d一二三四五六七八九十]+\s*篇\s*[)）]\s*$")
_MARKDOWN_TITLE = re.compile(r"^#{1,6}\s+")
_NOT_TITLE = re.compile(r"[。！？!?；;，,]")
_TITLE_WORDS = re.compile(r"总结|總結|计划|計劃|报告|報告|要点|要點|打算|汇报|彙報|思路|安排|方案|规划|規劃")
TITLE_MAX = 60
ARTICLE_TITLE_MAX = 40
HEADING_SEARCH = 20  # lines searched for a heading-like title when the file has no title line


@dataclass(frozen=True)
class Article:
    """One article: its own title (if the file gives one), its marker ("第一篇") and its body lines."""

    title: str | None
    marker: str
    lines: list[Line]
    counted: bool = True


def strip_title(text: str) -> str:
    """A title line without Markdown hashes or a "(共3篇)" suffix."""
    return _COUNT_SUFFIX.sub("", _MARKDOWN_TITLE.sub("", text)).strip()


def is_title_like(text: str, max_len: int = TITLE_MAX) -> bool:
    """Short, unnumbered, and not a sentence (titles carry no comma or full stop)."""
    text = strip_title(text)
    return 0 < len(text) <= max_len and not _NOT_TITLE.search(text) and numbering(text) is None


def marker_of(text: str) -> tuple[str, str | None] | None:
    """``(marker, title)`` for an explicit article marker line ("第一篇: 标题", "【篇一】"), else None."""
    for pattern in _MARKERS:
        m = pattern.match(text)
        if m:
            title = strip_title(m.group(2) or "")
            return re.sub(r"\s+", "", m.group(1)), title or None
    return None


def document_title(lines: list[Line], fallback: str) -> str:
    """The first line when it is a title (or an article marker's title), else the first heading-like line
    ("一、上半年主要工作" → 上半年主要工作), else ``fallback`` (the file name).
    """
    if not lines:
        return fallback
    first = lines[0].text
    marker = marker_of(first)
    if marker and marker[1]:
        return marker[1]
    if not marker and is_title_like(first):
        return strip_title(first)
    return _heading_like(lines[:HEADING_SEARCH]) or fallback


def _heading_like(lines: list[Line]) -> str:
    """A titled line ("…工作总结") among ``lines``, else the text of the first outline heading."""
    for line in lines:
        if marker_of(line.text) is None and _is_article_title(line.text):
            return strip_title(line.text)
    for line in lines:
        cls = classify(line.text)
        found = numbering(cls.label) if cls.kind == "heading" and cls.label else None
        if found and 0 < len(found[2].strip()) <= ARTICLE_TITLE_MAX:
            return found[2].strip()
    return ""


def split_articles(lines: list[Line], doc_title: str) -> list[Article]:
    """The file's articles in order; a file without markers is one article."""
    marks = _explicit_markers(lines) or _repeated_title_markers(lines, doc_title)
    if not marks:
        body = lines[1:] if lines and _is_doc_title(lines[0].text, doc_title) else lines
        return [Article(None, "", body)]
    articles: list[Article] = []
    preamble = [ln for ln in lines[: marks[0][0]] if not _is_doc_title(ln.text, doc_title)]
    if preamble:
        articles.append(Article(None, "", preamble, counted=False))
    for n, (index, marker, title) in enumerate(marks):
        end = marks[n + 1][0] if n + 1 < len(marks) else len(lines)
        body = lines[index + 1 : end]
        if title is None and body and _is_article_title(body[0].text):
            title, body = strip_title(body[0].text), body[1:]
        articles.append(Article(title, marker, body))
    return articles


def _is_article_title(text: str) -> bool:
    """The first line after a bare marker is the article's title when it reads like one."""
    return is_title_like(text, ARTICLE_TITLE_MAX) and bool(_TITLE_WORDS.search(text))


def _is_doc_title(text: str, doc_title: str) -> bool:
    marker = marker_of(text)
    return strip_title(text) == doc_title or (marker is not None and marker[1] == doc_title)


def _explicit_markers(lines: list[Line]) -> list[tuple[int, str, str | None]]:
    found = []
    for i, line in enumerate(lines):
        marker = marker_of(line.text)
        if marker:
            found.append((i, marker[0], marker[1]))
    return found


def _repeated_title_markers(lines: list[Line], doc_title: str) -> list[tuple[int, str, str | None]]:
    """Lines "<title>一", "<title>二" …: the same title line followed by consecutive ordinals."""
    by_stem: dict[str, list[tuple[int, str]]] = {}
    for i, line in enumerate(lines):
        text = line.text.strip()
        if not is_title_like(text) or i == 0:
            continue
        m = _ORDINAL_SUFFIX.match(text)
        if m:
            by_stem.setdefault(m.group(1), []).append((i, m.group(2)))
    for stem, hits in by_stem.items():
        if hits[0][1] in _FIRST_ORDINALS and (len(hits) >= 2 or strip_title(stem) == doc_title):
            return [(i, ordinal, lines[i].text.strip()) for i, ordinal in hits]
    return []
