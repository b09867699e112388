"""The page around a report on a government or template site: its title, and the chrome to drop.

Chrome is found three ways, each safe on its own: blocks that are mostly links (menus, column lists,
breadcrumbs, "上一篇/下一篇", friendly links, footer link rows), blocks whose class or id names a page part
(nav, breadcrumb, share, footer…), and short lines with the wording only page chrome uses (当前位置, 分享到,
打印本页, ICP备, 网站标识码…). A block holding most of the page's text is never dropped, whatever it is called.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

__all__ = ["drop_chrome", "is_chrome_line", "page_title"]

_CONTAINERS = ("div", "ul", "ol", "dl", "td", "tr", "table", "p", "section", "span", "li")
_CHROME_NAME = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|navigation|menu|breadcrumbs?|crumbs?|position|location|dqwz|share|bdshare\w*"
    r"|social|footer|foot|bottom|copyright|banquan|sidebar|friendlink|yqlj|prev|next|prevnext|pages?-nav|pager"
    r"|pagination|print|toolbar|comments?|related|recommend|xgwz|search|login|weather|logo)(?:$|[-_\s])",
    re.IGNORECASE,
)
_LINK_DENSITY = 0.5
_MAX_SHARE = 0.4  # a block with more of the page's text than this is the content (or holds it)
_CHROME_LINE_MAX = 120
_CHROME_WORDS = re.compile(
    r"^(?:当前位置|您现在的位置|你现在的位置|您的位置|所在位置|现在位置)\s*[:：]"
    r"|分享到|分享至|^(?:上一篇|下一篇|上一条|下一条|上篇|下篇)\s*[:：]"
    r"|打印本页|打印此页|关闭窗口|【\s*(?:打印|关闭|收藏)\s*】|加入收藏|设为首页"
    r"|ICP\s*备|公网安备|网站标识码|网站地图|版权所有|主办单位|承办单位|技术支持|^主办\s*[:：]|^承办\s*[:：]"
    r"|建议使用.{0,20}分辨率|^联系我们|无障碍浏览|长者模式|适老化|字[体號号]\s*[:：]?\s*[【\[]?\s*大\s*中\s*小|^扫一扫|微信扫一扫"
)
# "发布时间：… 来源：… 浏览次数：…": a line made of two or more page-metadata labels.
_META_LABEL = re.compile(
    r"(?:发布时间|发布日期|来源|作者|浏览次数|点击数|阅读次数|访问量|字号|字体|信息来源|责任编辑)\s*[:：]"
)
# "<title>示例县…工作总结_工作动态_示例县人民政府</title>": the site and column names after a separator.
_TITLE_SEPARATOR = re.compile(r"\s*(?:_|\||｜|--|—|–|\s-\s|-\s|\s-)\s*")
_TITLE_MIN = 4


def page_title(soup: BeautifulSoup) -> str:
    """The article's title: <meta ArticleTitle/og:title>, else the first <h1>, else <title> without site names."""
    for key, value in (("name", "ArticleTitle"), ("property", "og:title"), ("name", "title")):
        meta = soup.find("meta", attrs={key: value})
        content = meta.get("content") if isinstance(meta, Tag) else None
        if isinstance(content, str) and content.strip():
            return _one_line(content)
    h1 = soup.find("h1")
    if isinstance(h1, Tag) and h1.get_text(strip=True):
        return _one_line(h1.get_text(" "))
    if soup.title and soup.title.string and soup.title.string.strip():
        parts = [p for p in _TITLE_SEPARATOR.split(soup.title.string.strip()) if p]
        first = parts[0] if parts else ""
        return _one_line(first) if len(first) >= _TITLE_MIN else _one_line(soup.title.string)
    return ""


def drop_chrome(root: Tag) -> None:
    """Remove link-heavy blocks and blocks named after page parts, but never the block holding the content."""
    total = len(root.get_text(strip=True)) or 1
    for tag in root.find_all(_CONTAINERS):
        if tag.decomposed:
            continue
        text = len(tag.get_text(strip=True))
        if text > _MAX_SHARE * total:
            continue
        if _named_chrome(tag) or (text and _link_text(tag) / text > _LINK_DENSITY):
            tag.decompose()


def is_chrome_line(line: str) -> bool:
    """True for a short line of page chrome: breadcrumb, share bar, print/close links, footer, metadata row."""
    if len(line) > _CHROME_LINE_MAX:
        return False
    return bool(_CHROME_WORDS.search(line)) or len(_META_LABEL.findall(line)) >= 2


def _named_chrome(tag: Tag) -> bool:
    names = " ".join([*(tag.get("class") or []), str(tag.get("id") or "")])
    return bool(names.strip()) and bool(_CHROME_NAME.search(names))


def _link_text(tag: Tag) -> int:
    return sum(len(a.get_text(strip=True)) for a in tag.find_all("a"))


def _one_line(text: str) -> str:
    return " ".join(text.split())
