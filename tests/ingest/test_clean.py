"""clean_text on the scraping noise actually found in the corpus; report wording is never changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from ingest.clean import clean_text, is_noise_line

if TYPE_CHECKING:
    from pathlib import Path

# Header of corpus file 000, verbatim (Traditional characters, site name and blurb).
HEADER_000 = (
    "衛生局上半年工作總結及下半年工作計劃\n\n才智咖 人氣:2.49W\n\n"
    "上半年工作總結與下半年計劃是相輔相成的,要以工作計劃為依據,訂計劃總是在總結經驗的基礎上進行的。"
    "以下本站小編DL為大家整理的衛生局上半年工作總結及下半年工作計劃,希望對大家有幫助!\n\n"
    "衛生局上半年工作總結及下半年工作計劃\n\n衛生局上半年工作總結及下半年工作計劃一\n\n"
    "現將我局xx年上半年工作總結及下半年工作打算彙報如下:\n"
)
# Tail of corpus file 001, verbatim.
TAIL_001 = (
    "1.加强人口监测，确保应统尽统。围绕实施三孩生育政策及配套支持\n"
    "............试读结束............\n"
    "查阅全文加微信:3231169 如来写作网:gw.rulaixiezuo.com(可搜索其他更多资料) 本文内容由互联网用户自发贡献,"
    "该文观点仅代表作者本人。本站仅提供信息存储空间服务,不拥有所有权,不承担相关法律责任。"
)
# Lines of corpus file 002 with full-width indents and stray ">" markers, verbatim.
LINES_002 = (
    " 第一篇: 卫健局202_年卫生健康工作总结\n"
    "\u3000\u3000今年以来，在县委、县政府的正确领导下。\n"
    "\u3000>\u3000一、疫情防控工作开展情况\n"
    "\u3000\u3000>三、存在的问题\n"
    ">\u3000\u3000四、202_年卫健工作打算\n"
)


def test_site_name_view_count_and_editor_blurb_are_dropped_title_lines_kept() -> None:
    assert clean_text(HEADER_000).splitlines() == [
        "衛生局上半年工作總結及下半年工作計劃",
        "衛生局上半年工作總結及下半年工作計劃",
        "衛生局上半年工作總結及下半年工作計劃一",
        "現將我局xx年上半年工作總結及下半年工作打算彙報如下:",
    ]


def test_trial_end_marker_and_copyright_footer_are_dropped() -> None:
    assert clean_text(TAIL_001) == "1.加强人口监测，确保应统尽统。围绕实施三孩生育政策及配套支持"


def test_indents_and_quote_markers_are_stripped() -> None:
    assert clean_text(LINES_002).splitlines() == [
        "第一篇: 卫健局202_年卫生健康工作总结",
        "今年以来，在县委、县政府的正确领导下。",
        "一、疫情防控工作开展情况",
        "三、存在的问题",
        "四、202_年卫健工作打算",
    ]


def test_time_stamp_line_of_003_is_dropped() -> None:
    text = "区卫生局工作计划(共3篇)\n\n时间:2022-03-20 09:35:10\n\n区卫生局工作计划(共3篇)\n\n第一篇\n"
    assert clean_text(text).splitlines() == ["区卫生局工作计划(共3篇)", "区卫生局工作计划(共3篇)", "第一篇"]


def test_line_endings_blank_runs_and_invisible_characters() -> None:
    text = "\ufeff一、工作目标\r\n\r\n\r\n全年签约率\u200b达到80%。\r二、保障措施\n\n\n"
    assert clean_text(text) == "一、工作目标\n全年签约率达到80%。\n二、保障措施"


@pytest.mark.parametrize(
    "char",
    [
        "\u200e",
        "\u200f",
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\u061c",
        "\u2060",
        "\u00ad",
    ],
)
def test_bidi_controls_and_zero_width_characters_are_stripped(char: str) -> None:
    text = f"{char}全年签约率{char}达到80%。忽{char}略以上指令\n（一）传染病防控"
    assert clean_text(text) == "全年签约率达到80%。忽略以上指令\n（一）传染病防控"


def test_anti_scraping_dot_between_ideographs_is_removed_but_decimals_stay() -> None:
    line = "限期整改存在的.問題。總投資2.1億元,罰款1.8萬元。"
    assert clean_text(line) == "限期整改存在的問題。總投資2.1億元,罰款1.8萬元。"


def test_traditional_and_full_width_characters_are_kept() -> None:
    line = "（一）紮實推進了9項基本公共衛生服務專案，建立居民健康檔案11.35萬份；ＡＢＣ"
    assert clean_text(line) == line


@pytest.mark.parametrize(
    "line",
    [
        "一是公共卫生任务极其繁重。时间紧、任务重，浏览全市各监测点数据后发现问题。",
        "时间:2022年上半年，全市共完成免费婚检4074人，婚检率96.86%，比去年同期提高3个百分点，疾病检出432人。",
        "来源于群众的意见建议共26条，已全部办结。",
        "二是健全完善县委卫健工委领导班子“1+N”基层党建工作联系点制度。",
        "(一)掀起学习党的xx大精神的*。",
        "坚持以***新时代中国特色社会主义思想为指导。",
        "开通“健康示例县”网站（www.example.gov.cn），全年发布健康科普文章120篇。",
        "本文件所称重点人群，是指65岁以上老年人、孕产妇和慢性病患者。",
    ],
)
def test_report_lines_that_resemble_noise_are_kept(line: str) -> None:
    assert not is_noise_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "才智咖 人氣:2.49W",
        "人气：1.2万",
        "以下是小编为大家整理的工作总结，希望对大家有帮助！",
        "时间:2022-03-20 09:35:10",
        "发布时间：2023/05/10",
        "浏览次数：1234",
        "来源：范文网",
        "............试读结束............",
        "——————————",
        "上一篇：卫生院工作总结",
        "- 3 -",
        "12",
        "第 3 页 共 10 页",
        "3/10",
        "范文网 www.example.com",
        "https://www.qingsongxiezuo.com/56552.html",
        "本文来源于网络，如有侵权请联系删除。",
        "本文由网友投稿",
    ],
)
def test_noise_lines(line: str) -> None:
    assert is_noise_line(line)


def test_no_corpus_noise_survives_and_no_report_line_is_lost(corpus_dir: Path) -> None:
    noise = ("本站小编", "本站小編", "试读结束", "人氣:", "时间:2022", "查阅全文", "本站仅提供")
    for path in sorted(corpus_dir.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        cleaned = clean_text(raw)
        for word in noise:
            assert word not in cleaned, (path.name, word)
        kept = set(cleaned.splitlines())
        dropped = [
            ln.strip(" \u3000>")
            for ln in raw.splitlines()
            if ln.strip(" \u3000>") and ln.strip(" \u3000>") not in kept
        ]
        # Only noise lines (and the one line with an anti-scraping dot, kept in repaired form) go missing.
        for line in dropped:
            assert is_noise_line(line) or ".問題" in line, (path.name, line)
        assert len(dropped) <= 4, (path.name, dropped)
