"""HTML pages as government and template sites publish them: the article's title first, the page chrome gone."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from ingest.html_chrome import is_chrome_line
from ingest.html_text import html_to_text
from ingest.load import load_text
from ingest.parse import parse_document

if TYPE_CHECKING:
    from pathlib import Path

TRS_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>示例县卫生健康局2024年上半年工作总结_工作动态_示例县人民政府</title>
<meta name="ArticleTitle" content="示例县卫生健康局2024年上半年工作总结">
</head><body>
<div class="top-bar">无障碍浏览 | 长者模式 | English</div>
<div class="header"><img src="logo.png" alt="示例县人民政府"><div class="search">搜索</div></div>
<div class="menu"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li><a href="/zwdt">工作动态</a></li><li><a href="/hdjl">互动交流</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 工作动态</div>
<div class="article">
 <h1 class="title">示例县卫生健康局2024年上半年工作总结</h1>
 <div class="info">发布时间：2024-07-15 来源：县卫生健康局 浏览次数：1234 字号：[大 中 小]</div>
 <div class="TRS_Editor">
 <p>2024年上半年，县卫生健康局在县委、县政府的正确领导下，扎实推进各项工作，现将上半年工作总结如下：</p>
 <p>一、上半年主要工作开展情况</p>
 <p><span style="font-size:16px">（一）传染病防控<b>扎实有效</b>。</span>全县共报告法定传染病12种、486例，无甲类传染病报告。</p>
 <p>（二）家庭医生签约服务提质扩面。组建家庭医生团队64个，重点人群签约率达到76.5%。</p>
 <p>二、下半年工作计划</p>
 <p>（一）持续做好传染病防控。加强发热门诊规范化建设。</p>
 </div>
 <div class="share">分享到：<a>微信</a><a>微博</a><a>QQ空间</a></div>
 <div class="prev-next"><p>上一篇：示例县召开2024年卫生健康工作会议</p><p>下一篇：示例县开展爱国卫生月活动</p></div>
 <div class="print">【打印本页】【关闭窗口】</div>
</div>
<div class="links">相关链接：<a>国家卫生健康委员会</a><a>省卫生健康委员会</a></div>
<div class="footer"><p>主办单位：示例县人民政府办公室　承办单位：示例县大数据中心</p>
<p>网站标识码：1234567890　<a>皖ICP备12345678号</a>　<a>皖公网安备 34000002000001号</a></p>
<p>版权所有：示例县人民政府　联系电话：0551-1234567</p></div>
</body></html>"""

TABLE_LAYOUT_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>清远市卫生局2013年上半年工作总结--清远市卫生和计划生育局</title></head>
<body topmargin="0">
<table width="1000" align="center"><tr><td><img src="/images/banner.jpg"></td></tr>
<tr><td class="nav"><a href="/">网站首页</a> | <a href="/xxgk/">信息公开</a> | <a href="/gzdt/">工作动态</a> | <a href="/bsfw/">办事服务</a></td></tr></table>
<table width="1000" align="center"><tr>
<td width="220" valign="top" class="left"><div class="lm">栏目导航</div><ul><li><a>通知公告</a></li><li><a>工作动态</a></li><li><a>规划计划</a></li></ul></td>
<td valign="top">
<table width="100%"><tr><td class="dqwz">您现在的位置：<a href="/">首页</a> &gt;&gt; <a href="/ghjh/">规划计划</a> &gt;&gt; 正文</td></tr></table>
<table width="100%"><tr><td align="center" class="biaoti"><strong>清远市卫生局2013年上半年工作总结</strong></td></tr>
<tr><td align="center" class="sj">发布日期：2013-07-10　　来源：市卫生局　　【字体：<a>大</a> <a>中</a> <a>小</a>】</td></tr>
<tr><td class="zw">
<p>　　2013年，市卫生局在市委、市政府的正确领导下，深入推进转型升级，现将上半年工作总结如下：</p>
<p>　　一、加强学习，推动党建工作。</p>
<p>　　组织全系统党员干部认真学习党的十八大精神，举办专题培训班<font color="#000000">3期</font>，培训党员干部420人次。</p>
<p>　　二、狠抓作风，实施“正风”行动。</p>
<p>　　开展医德医风专项检查，查处违规行为5宗。</p>
</td></tr></table>
<table width="100%"><tr><td align="right">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</td></tr></table>
</td></tr></table>
<table width="1000" align="center" class="bottom"><tr><td align="center">
版权所有：清远市卫生和计划生育局　地址：清远市新城　邮编：511515<br>
粤ICP备05012345号　网站标识码：4418000012<br>技术支持：清远市信息中心</td></tr></table>
</body></html>"""

COUNTY_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>县卫健委2023年上半年工作总结和下半年工作计划 - 工作总结 - 某某县人民政府门户网站</title>
<meta property="og:title" content="县卫健委2023年上半年工作总结和下半年工作计划"></head>
<body>
<div id="header"><div class="logo">某某县人民政府门户网站</div><div class="weather">今天 晴 25℃</div></div>
<div id="nav"><a>首页</a><a>走进某某</a><a>政务公开</a><a>政务服务</a><a>互动交流</a></div>
<div class="breadcrumb"><span>当前位置：</span><a>首页</a> » <a>政务公开</a> » <a>工作总结</a></div>
<div class="main-content">
<div class="detail-title"><h2>县卫健委2023年上半年工作总结和下半年工作计划</h2></div>
<div class="detail-info"><span>来源：县卫健委</span><span>发布时间：2023-07-20 16:30</span><span>浏览次数：356</span></div>
<div class="detail-body" id="zoom">
2023年上半年，县卫健委在省、市卫健委和县委、县政府正确领导和关心指导下，坚持以人民健康为中心，统筹协调做好新冠“乙类乙管”常态化防控工作。<br><br>
一、上半年主要工作开展情况<br>
（一）扎实开展党的建设工作<br>
认真落实全面从严治党主体责任，开展主题教育专题学习12次。<br>
（二）全面提升基本公共卫生服务能力<br>
规范开展手足口病、霍乱监测，其中手足口病采样监测12份。<br>
<table border="1"><tr><td>指标</td><td>目标</td><td>完成</td></tr><tr><td>重点人群签约率</td><td>75%</td><td>76.5%</td></tr></table>
二、下半年工作计划<br>
（一）持续做好传染病防控。加强发热门诊规范化建设。
</div>
<div class="bdsharebuttonbox"><span>分享到：</span><a class="bds_weixin">微信</a><a class="bds_tsina">微博</a></div>
<div class="pages-nav"><a>上一篇：县卫健委召开2023年第二季度安全生产工作会议</a><a>下一篇：县卫健委开展“世界无烟日”宣传活动</a></div>
</div>
<div id="footer"><p><a>网站地图</a> | <a>联系我们</a> | <a>隐私声明</a></p>
<p>主办：某某县人民政府办公室 备案号：皖ICP备2021001234号-1 <img src="gongan.png">皖公网安备 34122502000123号</p>
<p>网站标识码：3412250001 建议使用1920×1080分辨率</p></div>
</body></html>"""


@pytest.mark.parametrize(
    ("page", "encoding", "title", "body"),
    [
        # A TRS-style county page: top bar, menu, breadcrumb, info row, share bar, 上一篇/下一篇, print links, footer.
        (
            TRS_PAGE,
            "utf-8",
            "示例县卫生健康局2024年上半年工作总结",
            [
                "2024年上半年，县卫生健康局在县委、县政府的正确领导下，扎实推进各项工作，现将上半年工作总结如下：",
                "一、上半年主要工作开展情况",
                "（一）传染病防控扎实有效。全县共报告法定传染病12种、486例，无甲类传染病报告。",
                "（二）家庭医生签约服务提质扩面。组建家庭医生团队64个，重点人群签约率达到76.5%。",
                "二、下半年工作计划",
                "（一）持续做好传染病防控。加强发热门诊规范化建设。",
            ],
        ),
        # An old table-layout city site in GB2312: the title is a <strong> in a cell, the <title> carries the site name.
        (
            TABLE_LAYOUT_PAGE,
            "gb18030",
            "清远市卫生局2013年上半年工作总结",
            [
                "2013年，市卫生局在市委、市政府的正确领导下，深入推进转型升级，现将上半年工作总结如下：",
                "一、加强学习，推动党建工作。",
                "组织全系统党员干部认真学习党的十八大精神，举办专题培训班3期，培训党员干部420人次。",
                "二、狠抓作风，实施“正风”行动。",
                "开展医德医风专项检查，查处违规行为5宗。",
            ],
        ),
        # A county portal: og:title, <br> paragraphs, a data table, a Baidu share box, 备案号 in the footer.
        (
            COUNTY_PAGE,
            "utf-8",
            "县卫健委2023年上半年工作总结和下半年工作计划",
            [
                "2023年上半年，县卫健委在省、市卫健委和县委、县政府正确领导和关心指导下，坚持以人民健康为中心，"
                "统筹协调做好新冠“乙类乙管”常态化防控工作。",
                "一、上半年主要工作开展情况",
                "（一）扎实开展党的建设工作",
                "认真落实全面从严治党主体责任，开展主题教育专题学习12次。",
                "（二）全面提升基本公共卫生服务能力",
                "规范开展手足口病、霍乱监测，其中手足口病采样监测12份。",
                "指标 目标 完成",
                "重点人群签约率 75% 76.5%",
                "二、下半年工作计划",
                "（一）持续做好传染病防控。加强发热门诊规范化建设。",
            ],
        ),
    ],
    ids=["trs", "table-layout", "county-portal"],
)
def test_government_pages_keep_title_and_report_and_drop_the_chrome(
    tmp_path: Path, page: str, encoding: str, title: str, body: list[str]
) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(page.encode(encoding))
    text = load_text(path)
    assert text.splitlines() == [title, *body]
    for chrome in (
        "首页",
        "当前位置",
        "您现在的位置",
        "分享到",
        "上一篇",
        "打印本页",
        "ICP备",
        "网站标识码",
        "浏览次数",
    ):
        assert chrome not in text
    doc = parse_document(text, source=path.name, doc_id="h", doc_hash="h", fallback_title="page")
    assert doc.title == title
    assert all(c.heading_path for c in doc.chunks[1:])


@pytest.mark.parametrize(
    ("head", "title"),
    [
        (
            '<meta name="ArticleTitle" content="区卫生局工作计划"><title>区卫生局工作计划_规划计划_某区政府</title>',
            "区卫生局工作计划",
        ),
        ("<title>县卫健委2023年工作要点 - 工作计划 - 某某县人民政府</title>", "县卫健委2023年工作要点"),
        (
            "<title>清远市卫生局2013年上半年工作总结--清远市卫生和计划生育局</title>",
            "清远市卫生局2013年上半年工作总结",
        ),
        ("<title>卫生院工作总结｜范文网</title>", "卫生院工作总结"),
    ],
)
def test_title_comes_from_meta_or_title_without_site_names(head: str, title: str) -> None:
    page = f"<html><head>{head}</head><body><div><p>一、工作目标</p><p>全年签约率达到80%。</p></div></body></html>"
    assert html_to_text(page).splitlines() == [title, "一、工作目标", "全年签约率达到80%。"]


def test_h1_is_the_title_even_after_a_breadcrumb() -> None:
    page = """<html><head><title>门户网站</title></head><body>
    <div class="crumb">您的位置：<a>首页</a> &gt; <a>通知公告</a></div>
    <h1>县卫健委2024年下半年工作计划</h1><p>一、工作目标。全年签约率达到80%。</p></body></html>"""
    assert html_to_text(page).splitlines() == [
        "县卫健委2024年下半年工作计划",
        "一、工作目标。全年签约率达到80%。",
    ]


def test_a_wrapper_named_like_chrome_that_holds_the_report_is_kept() -> None:
    report = "".join(
        f"<p>（{n}）开展健康教育讲座，覆盖群众{n}00余人次，发放宣传资料{n}000份。</p>" for n in "一二三四"
    )
    page = f'<html><body><div class="main nav-page"><h1>卫生院工作总结</h1>{report}</div></body></html>'
    lines = html_to_text(page).splitlines()
    assert lines[0] == "卫生院工作总结"
    assert len(lines) == 5


@pytest.mark.parametrize(
    "line",
    [
        "当前位置：首页 > 政务公开 > 工作动态",
        "您现在的位置：首页 >> 规划计划 >> 正文",
        "分享到：微信 微博 QQ空间",
        "上一篇：示例县召开2024年卫生健康工作会议",
        "【打印本页】【关闭窗口】",
        "主办：某某县人民政府办公室 备案号：皖ICP备2021001234号-1 皖公网安备 34122502000123号",
        "网站标识码：3412250001 建议使用1920×1080分辨率",
        "发布时间：2024-07-15 来源：县卫生健康局 浏览次数：1234 字号：[大 中 小]",
    ],
)
def test_chrome_lines(line: str) -> None:
    assert is_chrome_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "一、上半年主要工作开展情况",
        "（二）扎实推进健康教育，发放宣传资料2000余份，开展“世界卫生日”宣传活动。",
        "来源于群众的意见建议12条已全部办结。",
        "积极配合做好上一年度医疗服务价格调整工作。",
        "指标 目标 完成",
    ],
)
def test_report_lines_are_not_chrome(line: str) -> None:
    assert not is_chrome_line(line)
