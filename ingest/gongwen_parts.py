"""What one line of a 公文 is: a 文号, a date, a unit name, a 落款, a 主送 line, a site's metadata row, a speech line.

Pure line classifiers for ``ingest/gongwen.py``. The words they use (unit endings, speakers' posts, the labels of
a government site's metadata table) are read from ``gongwen_terms.txt``, which maintainers may extend.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ingest.outline import numbering
from retrieval.text.figures import cn_value

_TERMS = Path(__file__).with_name("gongwen_terms.txt")
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "0": 0, "一": 1, "二": 2, "三": 3, "四": 4}
_CN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "〇○零Ｏ一二三四五六七八九十"
_DATE_ANY = (
    rf"(?:(?:19|20)\d{{2}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日"
    rf"|[一二][〇○零Ｏ一二三四五六七八九]{{3}}年[{_CN}]{{1,2}}月[{_CN}]{{1,3}}日"
    rf"|(?:19|20)\d{{2}}[-./]\d{{1,2}}[-./]\d{{1,2}})"
)
DATE = re.compile(_DATE_ANY)
_DATE_PARTS = re.compile(r"(\S+?)\s*年\s*(\S+?)\s*月\s*(\S+?)\s*日|(\d{4})[-./](\d{1,2})[-./](\d{1,2})")
_BRACKETS = re.escape("〔［[（(【")
_CLOSE = re.escape("〕］]）)】")
# 江卫健〔2024〕3号, X卫发[2023]12号, XX疾控〔2025〕7号 (a 文号 line may carry the 签发人 too).
DOC_NUMBER = re.compile(
    rf"[\u4e00-\u9fffA-Za-z]{{1,12}}[{_BRACKETS}]\s*((?:19|20)\d{{2}})\s*[{_CLOSE}]\s*第?\s*\d{{1,5}}\s*号"
)
_SIGNER = re.compile(r"签\s*发\s*人\s*[:：]\s*(.+)$")
_COPY = re.compile(r"^(?:份号\s*[:：]?\s*)?(\d{6})$")
_SECRECY = re.compile(r"^(绝密|机密|秘密)(?:\s*★\s*[\d一二三四五六七八九十]*\s*年?)?$")
_URGENCY = re.compile(r"^(特急|加急|特提|平急)$")
_SENTENCE = re.compile(r"[。！？!?；;]")
_SPEECH = re.compile(r"^[—–\-－]{1,3}\s*(.*(?:会|会议|大会|座谈会|论坛)上.*)$")
_PAREN_DATE = re.compile(rf"^[（(]\s*({_DATE_ANY})\s*[）)]$")
_PRINTED = re.compile(rf"^(.{{2,40}}?)\s*({_DATE_ANY})\s*印\s*发$")
_CC = re.compile(r"^(?:抄\s*送|主\s*题\s*词)\s*[:：]")
_COPIES = re.compile(r"^[（(]?\s*共印\s*\d+\s*份\s*[）)]?$")
_ATTACHMENT = re.compile(r"^附\s*件\s*[:：]\s*(.*)$")
_LIST_ITEM = re.compile(r"^\s*\d{1,2}\s*[.．、]\s*\S")
ADDRESSEE_MAX = 80
_GROUPS = ("单位", "部门", "处室", "科室", "机构", "同志", "街道", "乡镇")
UNIT_MAX = 40
PLACE_MIN = 2  # "X市": a place name is at least two characters


@lru_cache(maxsize=1)
def terms() -> dict[str, tuple[str, ...]]:
    """The word lists of ``gongwen_terms.txt`` by name (longest word first, so alternations match greedily)."""
    lists: dict[str, tuple[str, ...]] = {}
    for line in _TERMS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, words = line.partition("=")
            lists[name.strip()] = tuple(sorted(words.split(), key=len, reverse=True))
    return lists


def _alternation(name: str) -> str:
    return "|".join(map(re.escape, terms()[name]))


@lru_cache(maxsize=1)
def _unit_line() -> re.Pattern[str]:
    seal = rf"[（(]\s*(?:{_alternation('seal')})\s*[）)]"
    return re.compile(
        rf"^((?:[\u4e00-\u9fff（）()]{{1,{UNIT_MAX}}}?)(?:{_alternation('unit_suffix')}))\s*(?:{seal})?$"
    )


@lru_cache(maxsize=1)
def _seal_line() -> re.Pattern[str]:
    return re.compile(rf"^[（(]\s*(?:{_alternation('seal')})\s*[）)]$")


@lru_cache(maxsize=1)
def _speaker() -> re.Pattern[str]:
    posts = _alternation("position")
    return re.compile(rf"^(.{{0,{UNIT_MAX}}}?)(?:(?:{posts})[、，,\s]*)+\s*([\u4e00-\u9fff]{{2,4}})$")


@lru_cache(maxsize=1)
def _site_label() -> re.Pattern[str]:
    return re.compile(rf"(?<![\u4e00-\u9fff])({_alternation('site_label')})\s*[:：]")


def is_complete_title(title: str) -> bool:
    """Whether a title ends with a document kind (…的通知, …工作要点, …讲话), so no further line continues it."""
    return title.rstrip("）)》 ").endswith(terms()["title_end"])


def parse_date(text: str) -> str:
    """``2025-02-20`` from the first date in ``text`` (2025年2月20日, 二〇二五年二月二十日, 2025-02-20), else ""."""
    found = DATE.search(text)
    if not found:
        return ""
    m = _DATE_PARTS.search(found.group(0))
    if not m:
        return ""
    if m.group(4):
        year, month, day = int(m.group(4)), int(m.group(5)), int(m.group(6))
    else:
        year = _cn_digits(m.group(1))
        month, day = _cn_number(m.group(2)), _cn_number(m.group(3))
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1900 <= year <= 2099):
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}"


def _cn_digits(text: str) -> int:
    """2025 from "2025" or "二〇二五" (digit by digit)."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    return int("".join(str(_CN_DIGITS.get(ch, 0)) for ch in text)) if text else 0


def _cn_number(text: str) -> int:
    """20 from "20" or "二十" (0 when it is no number)."""
    text = text.strip()
    return int(text) if text.isdigit() else (cn_value(text) or 0)


def is_date_line(line: str) -> bool:
    """A line that is only a date, perhaps with a 印章 placeholder ("2025年2月20日（盖章）")."""
    m = DATE.search(line)
    if not m:
        return False
    rest = (line[: m.start()] + line[m.end() :]).strip()
    return not rest or bool(_seal_line().match(rest))


def unit_of_line(line: str) -> str:
    """The unit a line is the name of ("宁溪区卫生健康局（盖章）" → 宁溪区卫生健康局), else ""."""
    if _SENTENCE.search(line) or numbering(line) is not None:
        return ""
    m = _unit_line().match(line.strip())
    return m.group(1) if m else ""


def is_seal_line(line: str) -> bool:
    """A line that is only a 印章 placeholder ("（盖章）")."""
    return bool(_seal_line().match(line.strip()))


def signature(line: str) -> tuple[str, str] | None:
    """``(unit, date)`` of a one-line 落款 ("宁溪区卫生健康局 2025年2月20日", either order, or the two cells of a
    Word table row "宁溪区卫生健康局 | 2025年2月20日"), else None.
    """
    m = DATE.search(line)
    if not m:
        return None
    rest = (line[: m.start()] + " " + line[m.end() :]).strip(" |\t　")
    unit = unit_of_line(rest)
    return (unit, parse_date(m.group(0))) if unit else None


def doc_number_of(line: str) -> tuple[str, str] | None:
    """``(文号, 签发人)`` of a header line that is a 文号 (perhaps with "签发人：张三"), else None."""
    text = re.sub(r"^(?:文\s*号|发文字号)\s*[:：]\s*", "", line.strip())
    m = DOC_NUMBER.match(text)
    if not m:
        return None
    rest = text[m.end() :].strip()
    signer = _SIGNER.match(rest)
    if rest and not signer:
        return None
    return re.sub(r"\s+", "", m.group(0)), (signer.group(1).strip() if signer else "")


def signer_of(line: str) -> str:
    """The 签发人 of a "签发人：张三" line, else ""."""
    m = _SIGNER.match(line.strip())
    return m.group(1).strip() if m else ""


def header_marks(line: str) -> dict[str, str] | None:
    """份号, 密级 and 紧急程度 of a header line made only of them ("000123 机密★1年 特急"), else None."""
    found: dict[str, str] = {}
    for token in line.split():
        for key, pattern in (("copy_number", _COPY), ("secrecy", _SECRECY), ("urgency", _URGENCY)):
            m = pattern.match(token)
            if m:
                found[key] = token if key == "secrecy" else m.group(1)
                break
        else:
            return None
    return found or None


def organ_mark(line: str) -> str:
    """The unit of a 发文机关标志 ("江澜市卫生健康委员会文件" → 江澜市卫生健康委员会), else ""."""
    text = line.strip()
    if not text.endswith("文件") or len(text) > UNIT_MAX + 2:
        return ""
    return unit_of_line(text[:-2])


def site_fields(line: str) -> list[tuple[str, str]]:
    """``(label, value)`` pairs of a metadata-table row ("索引号：1133/2025-01 发布机构：梧桐县疾控中心")."""
    labels = list(_site_label().finditer(line))
    if not labels or labels[0].start() > 1:
        return []
    pairs = []
    for n, m in enumerate(labels):
        end = labels[n + 1].start() if n + 1 < len(labels) else len(line)
        pairs.append((m.group(1), line[m.end() : end].strip(" |\t　")))
    return pairs


def addressee_of(line: str) -> str:
    """The 主送机关 of a line like "各区县卫生健康局，委机关各处室：", else ""."""
    text = line.strip()
    if not text.endswith(("：", ":")) or len(text) > ADDRESSEE_MAX or _SENTENCE.search(text):
        return ""
    if numbering(text) is not None or "如下" in text:
        return ""
    name = text[:-1]
    parts = re.split(r"[，,、]", name)
    return (
        name if all(unit_of_line(p) or p.startswith("各") or p.endswith(_GROUPS) for p in parts if p) else ""
    )


def speech_occasion(line: str) -> tuple[str, str] | None:
    """``(line, date)`` of a speech's "——2026年1月26日在…会议上" or "（2026年1月26日）" line, else None."""
    text = line.strip()
    m = _SPEECH.match(text) or _PAREN_DATE.match(text)
    if not m:
        return None
    return text, parse_date(text)


def speaker_of(line: str) -> tuple[str, str] | None:
    """``(unit, name)`` of a speaker line ("江澜市卫生健康委员会主任 张三"), else None."""
    text = line.strip()
    if _SENTENCE.search(text) or len(text) > UNIT_MAX + 12:
        return None
    m = _speaker().match(text)
    if not m:
        return None
    named = m.group(1).strip("、，, ")
    # "江澜市卫生健康委员会主任" names a unit; "江澜市市长" names a place, which is the unit a 市长 speaks for.
    place = named if len(named) >= PLACE_MIN and named.endswith(terms()["place_suffix"]) else ""
    unit = unit_of_line(named) or place
    return unit, m.group(2)


def is_print_line(line: str) -> bool:
    """A line of the 版记: "抄送：…", "主题词：…", "…办公室 2025年2月21日印发", "（共印50份）"."""
    text = line.strip()
    return bool(_CC.match(text) or _PRINTED.match(text) or _COPIES.match(text))


def printed_by(line: str) -> tuple[str, str] | None:
    """``(unit, date)`` of a "江澜市卫生健康委员会办公室 2025年2月21日印发" line, else None."""
    m = _PRINTED.match(line.strip())
    return (m.group(1).strip(), parse_date(m.group(2))) if m else None


def attachment_of(line: str) -> str | None:
    """The rest of an "附件：1. …" line (maybe ""), else None."""
    m = _ATTACHMENT.match(line.strip())
    return m.group(1).strip() if m else None


def is_list_item(line: str) -> bool:
    """A short numbered item without a full stop ("2. 重点任务分工表"), as an 附件说明 continues."""
    return bool(_LIST_ITEM.match(line)) and not _SENTENCE.search(line) and len(line) <= ADDRESSEE_MAX


def is_note(line: str) -> bool:
    """A 附注 line under the body: "（此件公开发布）", "（联系人：张三，电话：…）"."""
    text = line.strip()
    if not (text.startswith(("（", "(")) and text.endswith(("）", ")"))):
        return False
    return any(text[1:].lstrip().startswith(word) for word in terms()["note"])
