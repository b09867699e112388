"""Reading a document as a 公文: table-driven cases on snippets written in the GB/T 9704-2012 structure."""

from __future__ import annotations

import pytest

from ingest.gongwen import read_gongwen
from ingest.gongwen_parts import parse_date
from ingest.parse import parse_document
from retrieval.types import DocumentInfo

NOTICE = """\
000123
机密★1年
特急
江澜市卫生健康委员会文件
江卫健〔2024〕3号
江澜市卫生健康委员会关于印发
2024年全市卫生健康工作要点的通知
各区县卫生健康局，委机关各处室：
现将《2024年全市卫生健康工作要点》印发给你们，请结合实际认真贯彻落实。
一、总体要求
（一）坚持人民至上。人均预期寿命达到80.5岁。
附件：1. 2024年重点任务分工
2. 重点项目清单
江澜市卫生健康委员会
2024年2月20日
（此件公开发布）
抄送：市委办公室，市政府办公室，
市人大常委会办公室。
江澜市卫生健康委员会办公室 2024年2月21日印发"""

REQUEST = """\
X卫发[2023]12号  签发人：李四
关于申请2023年基本公共卫生服务补助资金的请示
县财政局：
今年以来，我局全面推进基本公共卫生服务项目。
一、资金缺口
全年缺口资金412万元。
特此请示。
（盖章）
二〇二三年三月五日
宁溪县卫生健康局"""

SITE_PAGE = """\
梧桐县疾病预防控制中心2025年上半年工作总结
索引号： 11330782/2025-00012 发布机构： 梧桐县疾病预防控制中心
成文日期： 2025-07-05 文号： 梧疾控〔2025〕7号
主题分类：
卫生、体育
梧桐县疾病预防控制中心2025年上半年工作总结
今年以来，在县卫生健康局的领导下，中心完成各项工作。
一、主要工作
（一）传染病防控。报告法定传染病412例。"""

SPEECH = """\
在2026年全市卫生健康工作会议上的讲话
——2026年1月26日在全市卫生健康工作会议上
江澜市卫生健康委员会党组书记、主任 张三
同志们：
这次会议的主要任务是总结2025年工作，部署2026年任务。
一、2025年工作回顾
全市建成紧密型医共体12个。"""

TRADITIONAL = """\
江衛健〔2024〕3號
江瀾市衛生健康委員會關於印發
2024年全市衛生健康工作要點的通知
各區縣衛生健康局：
現將《2024年全市衛生健康工作要點》印發給你們，請認真貫徹落實。
一、總體要求
全市人均預期壽命達到80.5歲。
江瀾市衛生健康委員會
2024年2月20日"""

POINTS = """\
宁溪区2025年卫生健康工作要点
为推进健康宁溪建设，制定本要点。
一、主要目标
人均预期寿命达到81岁，孕产妇死亡率控制在10/10万以下。
宁溪区卫生健康局 2025年2月20日"""

PLAIN = """\
县卫健委2023年上半年工作总结和下半年工作计划
2023年上半年,县卫健委在省、市卫健委的领导下开展工作。
一、工作开展情况
全县完成新冠疫苗接种12万剂次。
二、下半年工作计划
继续做好疫苗接种工作。"""

BUNDLE = """\
区卫生局工作计划(共3篇)
第一篇
一、指导思想
以人民健康为中心。
第二篇
一、工作目标
全区建成社区卫生服务中心8个。"""


@pytest.mark.parametrize(
    ("text", "title", "issuer", "date", "number", "first", "last"),
    [
        (
            NOTICE,
            "江澜市卫生健康委员会关于印发2024年全市卫生健康工作要点的通知",
            "江澜市卫生健康委员会",
            "2024-02-20",
            "江卫健〔2024〕3号",
            "现将《2024年全市卫生健康工作要点》印发给你们，请结合实际认真贯彻落实。",
            "（一）坚持人民至上。人均预期寿命达到80.5岁。",
        ),
        (
            REQUEST,
            "关于申请2023年基本公共卫生服务补助资金的请示",
            "宁溪县卫生健康局",
            "2023-03-05",
            "X卫发[2023]12号",
            "今年以来，我局全面推进基本公共卫生服务项目。",
            "特此请示。",
        ),
        (
            SITE_PAGE,
            "梧桐县疾病预防控制中心2025年上半年工作总结",
            "梧桐县疾病预防控制中心",
            "2025-07-05",
            "梧疾控〔2025〕7号",
            "今年以来，在县卫生健康局的领导下，中心完成各项工作。",
            "（一）传染病防控。报告法定传染病412例。",
        ),
        (
            SPEECH,
            "在2026年全市卫生健康工作会议上的讲话",
            "江澜市卫生健康委员会",
            "2026-01-26",
            "",
            "同志们：",
            "全市建成紧密型医共体12个。",
        ),
        (
            POINTS,
            "",  # no 版头: the first line is the title, read by the usual rule (articles.document_title)
            "宁溪区卫生健康局",
            "2025-02-20",
            "",
            "宁溪区2025年卫生健康工作要点",
            "人均预期寿命达到81岁，孕产妇死亡率控制在10/10万以下。",
        ),
        (
            TRADITIONAL,
            "江瀾市衛生健康委員會關於印發2024年全市衛生健康工作要點的通知",  # the title as written
            "江澜市卫生健康委员会",  # the unit in Simplified, as every unit is matched
            "2024-02-20",
            "江卫健〔2024〕3号",
            "現將《2024年全市衛生健康工作要點》印發給你們，請認真貫徹落實。",
            "全市人均預期壽命達到80.5歲。",
        ),
    ],
    ids=[
        "notice-docx",
        "request-chinese-date",
        "site-page",
        "speech",
        "points-one-line-signature",
        "traditional",
    ],
)
def test_parts_of_a_gongwen_become_metadata_and_the_body_is_what_is_left(
    text: str, title: str, issuer: str, date: str, number: str, first: str, last: str
) -> None:
    lines = text.split("\n")
    doc = read_gongwen(lines)
    body = lines[doc.body[0] : doc.body[1]]
    assert (doc.title, doc.issuer, doc.date, doc.doc_number) == (title, issuer, date, number)
    assert (body[0], body[-1]) == (first, last)
    assert doc.found


def test_header_marks_addressee_attachments_and_imprint_are_read_and_kept_out_of_the_body() -> None:
    lines = NOTICE.split("\n")
    doc = read_gongwen(lines)
    body = "\n".join(lines[doc.body[0] : doc.body[1]])
    assert (doc.copy_number, doc.secrecy, doc.urgency) == ("000123", "机密★1年", "特急")
    assert doc.addressee == "各区县卫生健康局，委机关各处室"
    assert doc.attachments == ("1. 2024年重点任务分工", "2. 重点项目清单")
    for part in (
        "江卫健〔2024〕3号",
        "附件",
        "2024年2月20日",
        "抄送",
        "日印发",
        "此件公开发布",
        "卫生健康委员会文件",
    ):
        assert part not in body


def test_a_speech_keeps_its_occasion_and_speaker_as_metadata() -> None:
    doc = read_gongwen(SPEECH.split("\n"))
    assert doc.occasion == "——2026年1月26日在全市卫生健康工作会议上"
    assert doc.speaker == "江澜市卫生健康委员会党组书记、主任 张三"


def test_a_site_table_label_whose_value_is_on_the_next_line_is_read_with_it() -> None:
    doc = read_gongwen(SITE_PAGE.split("\n"))
    assert ("主题分类", "卫生、体育") in doc.site


def test_the_site_table_names_the_unit_before_any_other_evidence() -> None:
    page = SITE_PAGE + "\n梧桐县卫生健康局\n2025年7月6日"  # a 落款 of another unit: 发布机构 still decides
    doc = read_gongwen(page.split("\n"))
    assert (doc.issuer, doc.date) == ("梧桐县疾病预防控制中心", "2025-07-05")


@pytest.mark.parametrize(
    "text", [PLAIN, BUNDLE, "", "只有一行正文，没有任何公文要素。"], ids=["plain", "bundle", "empty", "one"]
)
def test_a_report_without_gongwen_parts_is_all_body(text: str) -> None:
    lines = text.split("\n") if text else []
    doc = read_gongwen(lines)
    assert not doc.found
    assert doc.body == (0, len(lines))
    assert (doc.title, doc.issuer, doc.date, doc.doc_number) == ("", "", "", "")


def test_a_doc_number_first_line_is_never_the_title() -> None:
    lines = ["江卫健〔2024〕3号", "2024年全市卫生健康工作要点", "一、总体要求", "全面推进健康江澜建设。"]
    doc = read_gongwen(lines)
    assert doc.title == "2024年全市卫生健康工作要点"
    assert lines[doc.body[0]] == "一、总体要求"


@pytest.mark.parametrize(
    ("lines", "title"),
    [
        (["海川省卫生健康委员会", "海卫健〔2024〕5号", "海川省卫生健康委员会", "关于2023年全省卫生健康工作情况的报告",
          "省人民政府：", "一、主要指标", "人均预期寿命达到78.8岁。"], "海川省卫生健康委员会关于2023年全省卫生健康工作情况的报告"),
        (["临江区疾病预防控制中心", "临疾控〔2026〕2号", "临江区疾病预防控制中心2026年工作要点",
          "各社区卫生服务中心：", "一、传染病防控", "新增哨点医院3家。"], "临江区疾病预防控制中心2026年工作要点"),
    ],
)  # fmt: skip
def test_a_unit_name_alone_above_the_doc_number_is_the_issuer_mark_not_the_title(
    lines: list[str], title: str
) -> None:
    doc = read_gongwen(lines)
    assert doc.title == title
    assert lines[doc.body[0]].startswith("一、")


def test_a_last_body_line_naming_a_bureau_is_not_taken_for_a_signature_without_a_date() -> None:
    lines = ["县卫生局工作计划", "一、工作目标", "加强乡镇卫生院建设。", "县卫生局"]
    assert not read_gongwen(lines).found


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2025年2月20日", "2025-02-20"),
        ("二〇二五年二月二十日", "2025-02-20"),
        ("二○二四年十二月三十一日", "2024-12-31"),
        ("2025-02-20", "2025-02-20"),
        ("2025.2.5", "2025-02-05"),
        ("2025年13月1日", ""),
        ("××年××月××日", ""),
    ],
)
def test_dates_are_read_in_every_form_a_signature_uses(text: str, iso: str) -> None:
    assert parse_date(text) == iso


BUNDLE_SIGNED = """\
区卫生局工作总结(共2篇)
第一篇
一、主要工作
甲县全年完成接种3.2万剂次。
甲县卫生健康局
2024年12月30日
第二篇
一、主要工作
乙县全年完成接种1.8万剂次。
乙县卫生健康局
2024年12月31日"""


def test_each_article_of_a_bundle_keeps_its_own_signature_out_of_its_passages() -> None:
    parsed = parse_document(BUNDLE_SIGNED, source="b.txt", doc_id="b", doc_hash="h", fallback_title="b")
    assert not [c.text for c in parsed.chunks if "卫生健康局" in c.text or "2024年12月" in c.text]
    assert [(c.unit, c.doc_date) for c in parsed.chunks] == [
        ("甲县卫生健康局", "2024-12-30"),
        ("乙县卫生健康局", "2024-12-31"),
    ]


NOTICE_WITH_ATTACHMENT = """\
江卫健〔2024〕3号
江澜市卫生健康委员会关于印发2024年全市卫生健康工作要点的通知
各区县卫生健康局：
现将《2024年全市卫生健康工作要点》印发给你们，请认真贯彻落实。
附件：2024年全市卫生健康工作要点
江澜市卫生健康委员会
2024年2月20日
附件
2024年全市卫生健康工作要点
一、主要目标
全市人均预期寿命达到80.5岁。
二、重点任务
年内建成县域医共体6个。
抄送：市委办公室，市政府办公室。
江澜市卫生健康委员会办公室 2024年2月21日印发"""


def test_an_attachment_after_the_signature_is_its_own_article_and_the_signature_is_no_passage() -> None:
    parsed = parse_document(
        NOTICE_WITH_ATTACHMENT, source="n.txt", doc_id="n", doc_hash="h", fallback_title="n"
    )
    texts = [c.text for c in parsed.chunks]
    assert not [t for t in texts if "2024年2月20日" in t or "附件" in t or "印发" in t.replace("印发给", "")]
    assert [(c.article_title, c.text) for c in parsed.chunks] == [
        (parsed.title, "现将《2024年全市卫生健康工作要点》印发给你们，请认真贯彻落实。"),
        ("2024年全市卫生健康工作要点", "全市人均预期寿命达到80.5岁。"),
        ("2024年全市卫生健康工作要点", "年内建成县域医共体6个。"),
    ]
    assert {(c.unit, c.doc_date, c.doc_number) for c in parsed.chunks} == {
        ("江澜市卫生健康委员会", "2024-02-20", "江卫健〔2024〕3号")
    }


@pytest.mark.parametrize(
    ("lines", "title"),
    [
        (
            ["江澜市卫生健康委员会", "关于做好2024年流感防控工作的通知", "各区县卫生健康局："],
            "江澜市卫生健康委员会关于做好2024年流感防控工作的通知",
        ),
        (
            [
                "江卫健〔2024〕5号",
                "2024年全市卫生健康工作总结",
                "梧桐县疾病预防控制中心",
                "今年以来，全市完成接种。",
            ],
            "2024年全市卫生健康工作总结",
        ),
    ],
    ids=["unit-then-subject", "complete-title-then-author-line"],
)
def test_a_title_block_grows_until_its_title_names_a_document_kind(lines: list[str], title: str) -> None:
    assert read_gongwen([*lines, "一、主要工作", "完成各项任务。"]).title == title


@pytest.mark.parametrize(
    ("date", "number", "year"),
    [
        ("2024-02-20", "", 2024),
        ("", "X卫发[2023]12号", 2023),
        ("2025-01-10", "江卫健〔2024〕3号", 2025),
        ("", "", None),
    ],
)
def test_a_documents_year_is_its_dates_else_its_doc_numbers(date: str, number: str, year: int | None) -> None:
    info = DocumentInfo("d", "a.docx", "标题", "/x/a.docx", "h", 1, 1, date=date, doc_number=number)
    assert info.year == year


@pytest.mark.parametrize(
    "last",
    ["宁溪区卫生健康局 2025年2月20日", "2025年2月20日 宁溪区卫生健康局", "宁溪区卫生健康局 | 2025年2月20日"],
    ids=["unit-date", "date-unit", "table-row"],
)
def test_a_one_line_signature_is_read_in_either_order_and_from_a_table_row(last: str) -> None:
    doc = read_gongwen(["宁溪区2025年卫生健康工作要点", "一、主要目标", "人均预期寿命达到81岁。", last])
    assert (doc.issuer, doc.date, doc.body) == ("宁溪区卫生健康局", "2025-02-20", (0, 3))


GOVERNMENT_REPORT = """\
政府工作报告
——2024年1月15日在江澜市第十七届人民代表大会第三次会议上
江澜市市长 李四
各位代表：
现在，我代表市人民政府，向大会报告工作，请予审议。
一、2023年工作回顾
全市地区生产总值增长6.1%。"""


def test_a_government_work_report_speaks_for_the_place_its_speaker_heads() -> None:
    lines = GOVERNMENT_REPORT.split("\n")
    doc = read_gongwen(lines)
    assert (doc.title, doc.issuer, doc.date) == ("政府工作报告", "江澜市", "2024-01-15")
    assert lines[doc.body[0]] == "现在，我代表市人民政府，向大会报告工作，请予审议。"


def test_a_site_table_under_the_text_is_metadata_too() -> None:
    lines = [
        "梧桐县卫生健康局2025年工作计划",
        "一、工作目标",
        "全县家庭医生签约率达到45%。",
        "梧桐县卫生健康局",
        "2025年1月5日",
        "索引号：11330782/2025-00003 发布机构：梧桐县卫生健康局",
        "成文日期：2025-01-05 主题分类：卫生、体育",
    ]
    doc = read_gongwen(lines)
    assert (doc.issuer, doc.date, doc.body) == ("梧桐县卫生健康局", "2025-01-05", (0, 3))
    assert ("索引号", "11330782/2025-00003") in doc.site
