"""公文 read for real: a .docx with a 文号 header, a site's .html page, a GB18030 工作要点 and a speech, ingested
through the CLI (real Chroma in a tmp dir, the bundled embedder), then listed, searched and asked as users do.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import docx
import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.cli.support import open_services

if TYPE_CHECKING:
    from pathlib import Path

runner = CliRunner()

NOTICE_LINES = (
    "江卫健〔2024〕3号",
    "江澜市卫生健康委员会关于印发",
    "2024年全市卫生健康工作要点的通知",
    "各区县卫生健康局，委机关各处室：",
    "现将《2024年全市卫生健康工作要点》印发给你们，请结合实际认真贯彻落实。",
    "一、主要目标",
    "（一）健康水平。全市人均预期寿命达到80.5岁，婴儿死亡率控制在3‰以下。",
    "（二）服务体系。每千人口执业（助理）医师数达到3.4人，每万人口全科医生数达到4.2人。",
    "二、重点任务",
    "（一）推进紧密型医共体建设。年内建成县域医共体6个，基层就诊率达到65%。",
    "（二）加强疾病预防控制。适龄儿童免疫规划疫苗接种率保持在95%以上。",
    "附件：1. 2024年重点任务分工",
    "2. 重点项目清单",
    "江澜市卫生健康委员会",
    "2024年2月20日",
    "抄送：市委办公室，市政府办公室。",
    "江澜市卫生健康委员会办公室 2024年2月21日印发",
)
SITE_PAGE = """<html><head><title>梧桐县疾病预防控制中心2025年上半年工作总结_通知公告_梧桐县人民政府</title></head>
<body><div class="nav"><a href="/">首页</a> <a href="/zwgk">政务公开</a></div>
<div class="xxgk"><table>
<tr><td>索引号：</td><td>11330782/2025-00012</td><td>发布机构：</td><td>梧桐县疾病预防控制中心</td></tr>
<tr><td>成文日期：</td><td>2025-07-05</td><td>文号：</td><td>梧疾控〔2025〕7号</td></tr>
<tr><td>主题分类：</td><td>卫生、体育</td></tr></table></div>
<h1>梧桐县疾病预防控制中心2025年上半年工作总结</h1>
<div class="content">
<p>今年以来，在县卫生健康局的领导下，中心围绕传染病防控和免疫规划开展工作，现总结如下。</p>
<p>一、主要工作</p>
<p>（一）传染病防控。上半年报告法定传染病412例，处置聚集性疫情9起，流感样病例监测哨点7个。</p>
<p>（二）免疫规划。完成适龄儿童疫苗接种3.6万剂次，接种率98.2%。</p>
<p>二、下半年工作计划</p>
<p>（一）做好秋冬季流感防控，开展学校晨午检督导。</p>
<p>梧桐县疾病预防控制中心</p><p>2025年7月5日</p>
</div></body></html>"""
POINTS = """宁溪区2025年卫生健康工作要点
2025年，全区卫生健康工作坚持以人民健康为中心，推进健康宁溪建设。
一、主要目标
全区人均预期寿命达到81.2岁，孕产妇死亡率控制在10/10万以下，婴儿死亡率控制在4‰以下。
二、重点工作
（一）深化医药卫生体制改革。推进区域医疗中心建设，新增家庭医生团队15个。
（二）提升公共卫生服务能力。完成65岁以上老年人健康体检2.1万人。
宁溪区卫生健康局
2025年2月20日
"""
SPEECH = """在2026年全市卫生健康工作会议上的讲话
——2026年1月26日在全市卫生健康工作会议上
江澜市卫生健康委员会党组书记、主任 张三
同志们：
这次会议的主要任务是总结2025年全市卫生健康工作，部署2026年重点任务。
一、2025年工作回顾
全市建成紧密型医共体12个，县域就诊率达到91.3%。
二、2026年重点任务
年内新建社区医院5家，二级以上公立医院全部接入互认平台。
"""
EXPECTED = {
    "notice.docx": (
        "江澜市卫生健康委员会关于印发2024年全市卫生健康工作要点的通知",
        "江澜市卫生健康委员会",
        "2024-02-20",
        "江卫健〔2024〕3号",
    ),
    "wutong-cdc.html": (
        "梧桐县疾病预防控制中心2025年上半年工作总结",
        "梧桐县疾病预防控制中心",
        "2025-07-05",
        "梧疾控〔2025〕7号",
    ),
    "ningxi-points.txt": ("宁溪区2025年卫生健康工作要点", "宁溪区卫生健康局", "2025-02-20", ""),
    "speech.txt": ("在2026年全市卫生健康工作会议上的讲话", "江澜市卫生健康委员会", "2026-01-26", ""),
}
# Lines that are a document's parts, never its body: none may be (part of) a passage.
PART_LINES = (
    "江卫健〔2024〕3号",
    "2024年2月20日",
    "抄送：",
    "2024年2月21日印发",
    "附件：",
    "梧疾控〔2025〕7号",
    "索引号",
    "2025年7月5日",
    "2025年2月20日",
    "——2026年1月26日",
    "主任 张三",
)


def _write_docx(path: Path) -> None:
    document = docx.Document()
    for line in NOTICE_LINES:
        document.add_paragraph(line)
    document.save(str(path))


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A knowledge base of the four documents, ingested once through the CLI."""
    folder = tmp_path_factory.mktemp("gongwen-docs")
    _write_docx(folder / "notice.docx")
    (folder / "wutong-cdc.html").write_text(SITE_PAGE, encoding="utf-8")
    (folder / "ningxi-points.txt").write_bytes(POINTS.encode("gb18030"))
    (folder / "speech.txt").write_text(SPEECH, encoding="utf-8")
    data = tmp_path_factory.mktemp("gongwen-kb")
    result = runner.invoke(app, ["ingest", str(folder), "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    return data


def _cli(*args: str, data: Path) -> str:
    result = runner.invoke(app, [*args, "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    return result.stdout


def _ask(question: str, data: Path) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(_cli("ask", question, "--json", data=data))
    return answer


def test_docs_shows_each_documents_real_title_unit_date_and_doc_number(kb: Path) -> None:
    listed = {d["source"]: d for d in json.loads(_cli("docs", "--json", data=kb))}
    assert {s: (d["title"], d["unit"], d["date"], d["doc_number"]) for s, d in listed.items()} == EXPECTED
    assert {s: d["year"] for s, d in listed.items()} == {s: int(e[2][:4]) for s, e in EXPECTED.items()}


def test_piped_docs_adds_unit_date_and_doc_number_after_the_existing_columns(kb: Path) -> None:
    rows = [line.split("\t") for line in _cli("docs", data=kb).splitlines()]
    notice = next(row for row in rows if row[1] == "notice.docx")
    assert notice[2] == EXPECTED["notice.docx"][0]
    # …then 来源, empty for a document that was not read from a scan
    assert notice[7:] == ["江澜市卫生健康委员会", "2024年2月20日", "江卫健〔2024〕3号", ""]


def test_no_passage_holds_a_doc_number_signature_site_table_or_speech_line(kb: Path) -> None:
    chunks = list(open_services(kb).store.iter_chunks())
    assert chunks
    for chunk in chunks:
        assert not [line for line in PART_LINES if line in chunk.text], chunk.text


def test_every_passage_reports_for_the_issuing_unit_not_a_bureau_its_text_mentions(kb: Path) -> None:
    units = {(c.source, c.unit) for c in open_services(kb).store.iter_chunks()}
    assert units == {(source, expected[1]) for source, expected in EXPECTED.items()}


def test_a_goals_question_is_never_answered_with_the_signature(kb: Path) -> None:
    # The 落款 "宁溪区卫生健康局 / 2025年2月20日" names both the district and the year the question asks about:
    # glued to the last passage it used to be the whole answer.
    answer = _ask("宁溪区2025年卫生健康工作的主要目标是什么", kb)
    assert answer["state"] == "found", answer
    assert "2月20日" not in answer["answer"]
    assert not any(line.startswith("宁溪区卫生健康局") for line in answer["answer"].splitlines())
    assert not any("2025年2月20日" in c["text"] for c in answer["citations"])


def test_a_question_naming_the_city_finds_the_notice_whose_first_line_is_its_doc_number(kb: Path) -> None:
    answer = _ask("江澜市2024年人均预期寿命目标是多少", kb)
    assert "80.5岁" in answer["answer"], answer
    cited = answer["citations"][0]
    assert (cited["title"], cited["unit"], cited["date"], cited["doc_number"]) == EXPECTED["notice.docx"]


def test_the_sources_list_names_the_issuing_unit_and_date(kb: Path) -> None:
    out = _cli("ask", "梧桐县疾病预防控制中心上半年报告了多少例法定传染病", data=kb)
    assert "412例" in out
    source_line = next(line for line in out.splitlines() if line.startswith("[1] "))
    assert "梧桐县疾病预防控制中心2025年上半年工作总结" in source_line
    assert "2025年7月5日" in source_line


def test_search_json_gives_each_passage_its_documents_unit_date_and_doc_number(kb: Path) -> None:
    hits = json.loads(_cli("search", "江澜市人均预期寿命", "--json", data=kb))
    notice = next(h for h in hits if h["source"] == "notice.docx")
    assert (notice["doc_title"], notice["unit"], notice["date"], notice["doc_number"]) == EXPECTED[
        "notice.docx"
    ]
