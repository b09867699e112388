"""HTML → plain text that keeps block structure as lines (paragraphs, headings, list items, table rows)."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

DROPPED_TAGS = (
    "script",
    "style",
    "nav",
    "noscript",
    "template",
    "iframe",
    "svg",
    "head",
    "aside",
    "form",
    "button",
    "select",
)
# Page chrome around the article; a <header>/<footer> inside <article>/<main> is the article's own and stays.
_CHROME_TAGS = ("header", "footer")
_BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "dt", "figcaption", "figure"}
    | {"footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre"}
    | {"section", "table", "tbody", "thead", "tfoot", "tr", "ul"}
)
_CELL_TAGS = frozenset({"td", "th"})
_SPACES = re.compile(r"[ \t\r\n\f]+")


def html_to_text(markup: str) -> str:
    """Visible text of an HTML page, one line per block element; scripts, styles, navigation, forms,
    sidebars and the page's own header and footer dropped."""
    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup.find_all(DROPPED_TAGS):
        tag.decompose()
    for tag in soup.find_all(_CHROME_TAGS):
        if tag.find_parent(("article", "main")) is None:
            tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    parts: list[str] = []
    _walk(soup.body or soup, parts)
    lines = (line.strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _walk(node: Tag, parts: list[str]) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            parts.append(_SPACES.sub(" ", str(child)))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name or ""
        if name == "br":
            parts.append("\n")
            continue
        block = name in _BLOCK_TAGS
        if block:
            parts.append("\n")
        _walk(child, parts)
        if block:
            parts.append("\n")
        elif name in _CELL_TAGS:
            parts.append(" ")
