"""Heading detection and heading paths, on lines taken from the corpus."""

from __future__ import annotations

import pytest

from ingest.clean import clean_text
from ingest.outline import Classified, build_sections, classify, numbering, split_lines


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # Heading lines: short, nothing else on the line.
        ("一、xx年上半年工作總結", Classified("heading", 1, "一、xx年上半年工作總結")),
        ("二、存在的問題", Classified("heading", 1, "二、存在的問題")),
        ("九、存在的主要问题。", Classified("heading", 1, "九、存在的主要问题")),
        ("十、下半年工作重点：", Classified("heading", 1, "十、下半年工作重点")),
        ("(一)公共衛生保障有力", Classified("heading", 2, "(一)公共衛生保障有力")),
        ("（二）扎实开展健康扶贫工作。", Classified("heading", 2, "（二）扎实开展健康扶贫工作")),
        ("(五）深入推进计生服务工作", Classified("heading", 2, "(五）深入推进计生服务工作")),
        ("3、完善基层医疗卫生机构能力建设", Classified("heading", 3, "3、完善基层医疗卫生机构能力建设")),
        ("（1）强化源头防控", Classified("heading", 4, "（1）强化源头防控")),
        ("## 三、下半年工作打算", Classified("heading", 1, "三、下半年工作打算")),
        ("## 工作目标", Classified("heading", -8, "工作目标")),
        ("**二、存在的问题**", Classified("heading", 1, "二、存在的问题")),
        ("第一部分 上半年工作回顾", Classified("heading", 0, "第一部分 上半年工作回顾")),
        ("下半年工作计划", Classified("heading", 0, "下半年工作计划")),
        ("存在的主要問題", Classified("heading", 0, "存在的主要問題")),
        # Numbered paragraphs: the first sentence is the heading, the line is body too.
        (
            "1、继续推行“健康、幸福居民”促进计划。依托惠民工程、疑难病会诊中心。",
            Classified("para_heading", 3, "1、继续推行“健康、幸福居民”促进计划"),
        ),
        (
            "1.基层医疗机构基础设施建设有序推进。一是县级龙头医院建设加速推进。",
            Classified("para_heading", 3, "1.基层医疗机构基础设施建设有序推进"),
        ),
        (
            "4．继续做好家庭医生签约服务工作。截至5月10日。",
            Classified("para_heading", 3, "4．继续做好家庭医生签约服务工作"),
        ),
        (
            "(七)加強了手足口病等傳染病的防控。召開了xx年春季傳染病防控工作會議。",
            Classified("para_heading", 2, "(七)加強了手足口病等傳染病的防控"),
        ),
        (
            "(一)卫生院建设：xx年规划建设的的7间卫生院中，已经动工建设的有3间。",
            Classified("para_heading", 2, "(一)卫生院建设"),
        ),
        # Numbered items: one long sentence, body only.
        (
            "2、婦幼保健院門診病房樓,總建築面積2萬平方米,總投資1.21億元,xx年9月18日正式開工建設,目前已完成地下兩層基礎施工。",
            Classified("item", 3),
        ),
        (
            "3、區疾病預防控制中心及衛生監督所業務用房工程投資主體由區財政投資變更為市政府直接投資,工程專案建議書已報市發改委。目前正在設計。",
            Classified("item", 3),
        ),
        (
            "4、中醫適宜技術全面推廣,區中醫醫院順利通過全市“中醫醫院管理年活動和績效考核評估”檢查。",
            Classified("item", 3),
        ),
        (
            "(三)医疗安全仍存在隐患，医疗纠纷时有发生，平安医院的创建需各相关部门的能力合作，",
            Classified("item", 2),
        ),
        # Body: not numbering at all.
        ("一是加强党性学习教育，卫健工委严格落实每月理论中心组学习制度。", Classified("body")),
        ("9.28公頃,總投資8.87億元,新院區選址城關辦事處東街村。", Classified("body")),
        ("1.7億元、鄉鎮財政0.26億元。", Classified("body")),
        ("A、B級單位佔49.38%。", Classified("body")),
        ("2023年上半年,县卫健委在省、市卫健委正确领导下。", Classified("body")),
        ("12320卫生热线全年受理咨询。", Classified("body")),
        ("全面完成年初确定的目标任务", Classified("body")),
        ("对照问题清单逐项整改，确保整改到位的情况", Classified("body")),
        ("第一季度全县报告传染病120例。", Classified("body")),
    ],
)
def test_classify(line: str, expected: Classified) -> None:
    assert classify(line) == expected


def test_numbering_needs_text_after_the_number() -> None:
    assert numbering("一、") is None
    assert numbering("(二)") is None
    assert numbering("一、工作目标") == (1, "一、", "工作目标")


def _paths(text: str) -> list[tuple[tuple[str, ...], list[str]]]:
    cleaned = clean_text(text)
    return [(s.path, [cleaned[a:b] for a, b in s.spans]) for s in build_sections(split_lines(cleaned))]


def test_levels_nest_and_siblings_pop_deeper_levels() -> None:
    # Corpus 000, second article (shortened bodies).
    text = """一、上半年重點工作完成情況及存在的問題
(一)公共衛生保障有力
1、衛生監督執法力度不斷加大。監督檢查3986戶次。
2、衛生防病全面增強。傳染病保持低發水平。
(二)衛生基本建設按計劃實施
1、良鄉醫院門急診綜合樓5月18日竣工交付使用,總建築面積4萬平方米,總投資2.1億元,新增病區6個,新增病床400張。
二、下半年工作要點
(一)落實醫改重點工作任務
1、繼續完善新型農村合作醫療制度。保證資金執行安全。"""
    top, top2 = "一、上半年重點工作完成情況及存在的問題", "二、下半年工作要點"
    assert _paths(text) == [
        (
            (top, "(一)公共衛生保障有力", "1、衛生監督執法力度不斷加大"),
            ["1、衛生監督執法力度不斷加大。監督檢查3986戶次。"],
        ),
        ((top, "(一)公共衛生保障有力", "2、衛生防病全面增強"), ["2、衛生防病全面增強。傳染病保持低發水平。"]),
        (
            (top, "(二)衛生基本建設按計劃實施"),
            [
                "1、良鄉醫院門急診綜合樓5月18日竣工交付使用,總建築面積4萬平方米,總投資2.1億元,新增病區6個,新增病床400張。"
            ],
        ),
        (
            (top2, "(一)落實醫改重點工作任務", "1、繼續完善新型農村合作醫療制度"),
            ["1、繼續完善新型農村合作醫療制度。保證資金執行安全。"],
        ),
    ]


def test_heading_line_with_body_paragraphs_below_it() -> None:
    # Corpus 003, first article: "3、…" alone on a line, then two unnumbered paragraphs.
    text = """2、加强食品安全综合监管。继续深化乳制品、食用油综合治理。
3、完善基层医疗卫生机构能力建设
做好南岗镇卫生院新院内部装饰，科室设备招标工作。
做好新划入两所卫生院的能力建设工作。
4、继续开展各项卫生执法工作。积极开展专项检查。"""
    assert [p for p, _ in _paths(text)] == [
        ("2、加强食品安全综合监管",),
        ("3、完善基层医疗卫生机构能力建设",),
        ("4、继续开展各项卫生执法工作",),
    ]
    assert _paths(text)[1][1] == [
        "做好南岗镇卫生院新院内部装饰，科室设备招标工作。",
        "做好新划入两所卫生院的能力建设工作。",
    ]


def test_heading_lines_without_content_become_body_of_their_parent() -> None:
    # Corpus 004, third article: short "(n)…" lines under "九、" have no body of their own.
    text = """九、存在的主要问题。
(一)市卫生局目前只有编制20名，近年来，工作量日益增加，局机关工作人员超负荷工作。
(二)药品采购改革方案需在实施在不断完善。
(三)县级公立医院改革的瓶颈仍未突破，进展缓慢。
十、下半年工作重点：
(一)推进廉洁诚信医院建设，制定创建平安医院实施方案。"""
    sections = _paths(text)
    assert [p for p, _ in sections] == [("九、存在的主要问题",), ("十、下半年工作重点",)]
    assert sections[0][1][1] == "(二)药品采购改革方案需在实施在不断完善。"


def test_lines_broken_mid_sentence_are_one_paragraph() -> None:
    # Corpus 000: a scraper broke "佔地" / "9.28公頃" and "市區財政" / "1.7億元" across lines.
    text = """(二)衛生基本建設按計劃實施
4、房山醫院遷址新建是xx年區政府的工作報告提出的重點工程,規劃建築面積10萬平方米、設定床位800張、佔地
9.28公頃,總投資8.87億元。
(三)新型農村合作醫療制度進一步完善
1、參合率繼續保持100%。籌資總額2.145億元,其中市區財政
1.7億元、鄉鎮財政0.26億元。"""
    sections = _paths(text)
    assert [p for p, _ in sections] == [
        ("(二)衛生基本建設按計劃實施",),
        ("(三)新型農村合作醫療制度進一步完善", "1、參合率繼續保持100%"),
    ]
    assert sections[0][1] == [
        "4、房山醫院遷址新建是xx年區政府的工作報告提出的重點工程,規劃建築面積10萬平方米、設定床位800張、佔地\n9.28公頃,總投資8.87億元。"
    ]
    assert sections[1][1] == [
        "1、參合率繼續保持100%。籌資總額2.145億元,其中市區財政\n1.7億元、鄉鎮財政0.26億元。"
    ]


def test_closing_remark_returns_to_the_top_level_section() -> None:
    text = """一、上半年重點工作完成情況及存在的問題
(五)其它各項工作同步推進
1、加快人才結構調整。引進外地大學生33人。
總之,上半年衛生工作進度總體達到預期目標。"""
    assert [p for p, _ in _paths(text)] == [
        ("一、上半年重點工作完成情況及存在的問題", "(五)其它各項工作同步推進", "1、加快人才結構調整"),
        ("一、上半年重點工作完成情況及存在的問題",),
    ]


def test_markdown_headings_sit_above_numbering_unless_numbered_themselves() -> None:
    text = """# 示例县卫生健康局2024年上半年工作总结
## 一、上半年主要工作开展情况
（一）传染病防控扎实有效。全县报告法定传染病12种。
二、存在的问题
一是基层公共卫生人员不足。
## 附：主要指标完成情况
重点人群签约率76.5%。"""
    assert [p for p, _ in _paths(text)] == [
        ("示例县卫生健康局2024年上半年工作总结", "一、上半年主要工作开展情况", "（一）传染病防控扎实有效"),
        ("示例县卫生健康局2024年上半年工作总结", "二、存在的问题"),
        ("示例县卫生健康局2024年上半年工作总结", "附：主要指标完成情况"),
    ]


def test_unnumbered_part_headings_open_top_level_sections() -> None:
    text = """上半年工作总结
一、传染病防控
全县报告法定传染病12种。
下半年工作计划
一、传染病防控
做好秋冬季流感防控。"""
    assert [p for p, _ in _paths(text)] == [
        ("上半年工作总结", "一、传染病防控"),
        ("下半年工作计划", "一、传染病防控"),
    ]


def test_runs_of_paragraphs_led_by_a_title_sentence_are_unnumbered_items() -> None:
    # Corpus 004, first article (bodies shortened).
    text = """一、上半年主要工作
全面实施公立医院改革。市政府组织召开推进公立医院改革协调会。
加快卫生工程建设。加强基建管理，出台卫生系统工程
管理办法和小额工程管理办法。
加大卫生监督执法力度。截至6月底，共作出行政处罚150件。
二、工作中存在的主要问题
半年来，卫生工作取得了一定成绩。
一是公共卫生任务极其繁重。随着我市经济社会的快速发展。"""
    sections = _paths(text)
    assert [p for p, _ in sections] == [
        ("一、上半年主要工作", "全面实施公立医院改革"),
        ("一、上半年主要工作", "加快卫生工程建设"),
        ("一、上半年主要工作", "加大卫生监督执法力度"),
        ("二、工作中存在的主要问题",),
    ]
    assert sections[1][1] == [
        "加快卫生工程建设。加强基建管理，出台卫生系统工程\n管理办法和小额工程管理办法。"
    ]
    # Fewer than three such paragraphs stay plain body.
    assert sections[3][1] == [
        "半年来，卫生工作取得了一定成绩。",
        "一是公共卫生任务极其繁重。随着我市经济社会的快速发展。",
    ]
