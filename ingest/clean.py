"""Remove the noise scraped report pages carry, without touching the report's own wording.

The cleaned text is what users see in citations, so only whole noise lines are dropped (site names,
view counts, "本站小编…" blurbs, "试读结束", copyright footers), plus whitespace and stray quote
markers at line starts. Characters are never converted (no t2s, no width folding).
"""

from __future__ import annotations

import re

# A line containing one of these is site boilerplate, whatever its length.
_STRONG_NOISE = re.compile(
    r"本站小[编編]|小[编編][为為]大家|[为為]大家整理|[为為]大家收集|希望[对對]大家有|希望能[帮幫]助到大家"
    r"|[试試][读讀]结束|[试試][读讀]結束|查[阅閱]全文|[阅閱][读讀]全文|下[载載]全文"
    r"|本站[仅僅]提供|如若[转轉][载載]|涉嫌抄[袭襲]|一[经經]查[实實]，?本站|如有侵[权權]|版[权權][归歸]原作者"
    r"|人[气氣]\s*[:：]\s*[\d.]+\s*[万萬wWkK]?(?!\S)"
    r"|^(?:\S{1,12}\s+)?(?:https?://|www\.)[!-~]+$"  # a bare link, perhaps after a site name
)
# A short line (≤ 40 characters) containing one of these is page metadata, not report text; this includes
# the page numbers PDF extraction leaves between pages ("- 3 -", "第 3 页 共 10 页", "3/10").
_WEAK_NOISE = re.compile(
    r"^(?:发布|發佈|發布|更新)?(?:时间|時間|日期)\s*[:：]\s*\d{4}[-/年.]\d{1,2}"
    r"|^(?:来源|來源|作者|编辑|編輯|责任编辑|責任編輯|点击|點擊|浏览|瀏覽)\s*[:：]"
    r"|(?:浏览|瀏覽|阅读|閱讀|点击|點擊)(?:次数|次數|量)\s*[:：]?\s*\d"
    r"|^(?:上一篇|下一篇|相关推荐|相關推薦|猜你喜欢|猜你喜歡|返回顶部|返回頂部)"
    r"|^[-—–]*\s*\d{1,3}\s*[-—–]*$|^第\s*\d{1,3}\s*[页頁](?:\s*[/，,]?\s*共\s*\d{1,3}\s*[页頁])?$"
    r"|^\d{1,3}\s*/\s*\d{1,3}$"
    r"|^本文(?:由|来源|來源|转载自|轉載自)"
)
_WEAK_MAX = 40
# Lines made only of separators ("…………", "------", "＊＊＊") carry nothing.
_SEPARATOR_LINE = re.compile(r"^[.。…·\-—_=~*＊•●◆■□\s]+$")
# Quote markers and bullets left at line starts by the scraper: ">", "　>　", "＞".
_LEADING_MARKERS = re.compile(r"^(?:[>＞][\s\u3000]*)+")
# An ASCII full stop between two ideographs is an anti-scraping insertion ("存在的.問題").
_STRAY_DOT = re.compile(r"(?<=[\u4e00-\u9fff])\.(?=[\u4e00-\u9fff])")
# Zero-width characters, soft hyphens and bidi controls (LRM/RLM, embeddings, overrides, isolates): invisible to
# a reader, but they hide words from search and can disguise injected text ("忽\u200b略指令", reversed runs).
_INVISIBLE = re.compile(r"[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_SPACE_RUN = re.compile(r"[ \t\u3000\xa0]{2,}|\t")
_EDGE_SPACE = " \t\u3000\xa0\f\v"


def clean_text(text: str) -> str:
    """Cleaned report text: one non-empty line per paragraph, noise lines dropped, ends with no newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _INVISIBLE.sub("", text)
    kept: list[str] = []
    for raw in text.split("\n"):
        line = clean_line(raw)
        if line and not is_noise_line(line):
            kept.append(line)
    return "\n".join(kept)


def clean_line(line: str) -> str:
    """One line without edge whitespace, leading ">" markers, stray dots and space runs."""
    line = line.strip(_EDGE_SPACE)
    line = _LEADING_MARKERS.sub("", line).strip(_EDGE_SPACE)
    line = _STRAY_DOT.sub("", line)
    return _SPACE_RUN.sub(" ", line)


def is_noise_line(line: str) -> bool:
    """True for a line that is scraping boilerplate rather than report content."""
    if _SEPARATOR_LINE.match(line):
        return True
    if _STRONG_NOISE.search(line):
        return True
    return len(line) <= _WEAK_MAX and bool(_WEAK_NOISE.search(line))
