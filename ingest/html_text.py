"""HTML → plain text that keeps block structure as lines (paragraphs, headings, list items, table rows).

The article's title comes first (from <meta ArticleTitle>, <h1> or <title>, see ``ingest/html_chrome.py``);
navigation, breadcrumbs, share bars, "上一篇/下一篇" and footers are dropped. Hand-written rules on purpose:
trafilatura and readability-lxml were tried offline on Chinese government pages; trafilatura kept the menus and
footer of table-layout pages and flattened data tables into one line, readability-lxml dropped data tables
(the figures) and kept share bars and print links.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from ingest.html_chrome import drop_chrome, is_chrome_line, page_title

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
_TITLE_SEARCH = 5  # lines searched for the title before it is added as the first line


def html_to_text(markup: str) -> str:
    """Visible text of an HTML page, one line per block element, the article's title first; scripts,
    styles, navigation, breadcrumbs, forms, sidebars, share bars and the page's header and footer dropped.
    """
    soup = BeautifulSoup(markup, "html.parser")
    title = page_title(soup)
    for tag in soup.find_all(DROPPED_TAGS):
        tag.decompose()
    for tag in soup.find_all(_CHROME_TAGS):
        if tag.find_parent(("article", "main")) is None:
            tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    root = soup.body or soup
    drop_chrome(root)
    parts: list[str] = []
    _walk(root, parts)
    lines = [line.strip() for line in "".join(parts).split("\n")]
    lines = [line for line in lines if line and not is_chrome_line(line)]
    if title and lines and lines[0] != title:
        # The heading shown on the page (perhaps after a dropped breadcrumb) or the <title> goes first, once.
        lines = [title, *(line for n, line in enumerate(lines) if not (n < _TITLE_SEARCH and line == title))]
    return "\n".join(lines)


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
