"""The generated draft against a local OpenAI-compatible server: outline followed, citations mapped to
the passages the model was shown, an invented figure removed (and listed), the model's own lead replaced by
the house-style lead, failures falling back to the compilation."""

from __future__ import annotations

import re

import pytest

from retrieval.drafting import DraftService
from retrieval.drafting.llm import parse_reply
from retrieval.llm import build_chat_model

REQUEST = "下半年传染病防控工作计划"
INVENTED = "8888"
_REF = re.compile(r"（资料((?:\[\d+\])+)）$")
_FENCED = re.compile(r"<<<资料开始 (\w+)>>>\n(.*)\n<<<资料结束 \1>>>", re.DOTALL)


def prompt_passages(user: str) -> dict[int, str]:
    """Passage number → passage text, as the prompt numbered them (inside the request's random fences)."""
    fenced = _FENCED.search(user).group(2)
    blocks = re.split(r"\n\n(?=\[\d+\] 出处：《)", fenced.strip())
    return {int(re.match(r"\[(\d+)\]", b).group(1)): b.split("\n", 1)[1] for b in blocks}


def writer(req) -> str:
    """A careful model, except for one invented figure: follows the outline, cites the first passage
    offered for each heading, quotes a real figure from it with its report's title, and adds an unknown
    8888 in one place."""
    user = req.message("user")
    passages = prompt_passages(user)
    outline = user.split("提纲")[1].split("资料（编号段落")[0]
    lines = ["为扎实做好下半年传染病防控工作，结合上半年工作实际，制定本计划。"]
    invented = False
    for line in outline.splitlines():
        m = _REF.search(line)
        if not m or not re.match(r"^[一二三四五六七八九十]+、|^（", line):
            continue
        n = int(re.search(r"\d+", m.group(1)).group(0))
        lines.append(line[: m.start()])
        figure = re.search(r"\d+(?:\.\d+)?", passages[n])
        source = re.search(rf"^\[{n}\] 出处：《(.+?)》", user, re.MULTILINE).group(1)
        fact = (
            f"，据《{source}》完成{figure.group(0)}" if figure else ""
        )  # figures of past work name their report
        extra = ""
        if line.startswith("（") and not invented:
            extra, invented = f"，培训医护人员{INVENTED}名", True
        lines.append(f"继续抓好该项工作{fact}{extra}[{n}]。同时做好相关保障[99]。")
    return "\n".join(lines)


@pytest.fixture
def service(corpus_services, openai_server) -> DraftService:
    llm = build_chat_model(openai_server.base_url, "local-key", "fake-model", timeout=3)
    return DraftService(corpus_services.searcher, llm)


def test_llm_draft_follows_the_outline_and_maps_citations(service: DraftService, openai_server) -> None:
    openai_server.script(writer)
    draft = service.draft(REQUEST)
    assert draft.mode == "llm"
    assert draft.title == REQUEST
    (request,) = openai_server.chat_requests
    system, user = request.message("system"), request.message("user")
    assert "不得编造数字" in system
    tag = _FENCED.search(user).group(1)
    assert f"<<<资料开始 {tag}>>>" in system  # the system prompt names this request's fences
    offered = prompt_passages(user)
    headings = [s.heading for s in draft.sections if s.heading]
    assert headings[:3] == ["一、上半年工作回顾", "二、存在的主要问题", "三、下半年重点工作"]
    assert any(h.startswith("（一）") for h in headings)
    # every body paragraph cites, [99] (no such passage) is gone, numbers run 1..n by first use
    body = [p for s in draft.sections if s.heading for p in s.paragraphs]
    assert body
    assert all(p.citations for p in body)
    assert "[99]" not in "".join(p.text for s in draft.sections for p in s.paragraphs)
    assert [c.n for c in draft.citations] == list(range(1, len(draft.citations) + 1))
    # each citation is a passage the model was shown, and the text it cites is that passage
    offered_texts = set(offered.values())
    assert all(c.text.strip() in offered_texts for c in draft.citations)
    by_heading = {s.heading: s for s in draft.sections}
    outline_line = next(line for line in user.splitlines() if line.startswith("（一）"))
    first_ref = int(re.search(r"\[(\d+)\]", outline_line).group(1))
    sub = by_heading[outline_line[: _REF.search(outline_line).start()]]
    cited = draft.citations[sub.paragraphs[0].citations[0] - 1]
    assert cited.text.strip() == offered[first_ref]


def test_invented_figure_is_removed_listed_and_counted(service: DraftService, openai_server) -> None:
    openai_server.script(writer)
    draft = service.draft(REQUEST)
    text = "\n".join(p.text for s in draft.sections for p in s.paragraphs)
    assert INVENTED not in text
    assert [f.text for f in draft.flags] == [f"培训医护人员{INVENTED}名"]
    assert "所引资料" in draft.flags[0].reason
    assert draft.flags[0].reason.endswith("所在句已删去")
    assert re.search(r"完成\d+", text)  # the figures quoted from the cited passages stand
    # the model's own lead is removed too: the draft says two things were removed, and leads in house style
    notice, lead = (p.text for p in draft.sections[0].paragraphs)
    assert notice.startswith("【核实说明】")
    assert "已删去2处" in notice
    assert lead.startswith("为扎实做好××年下半年传染病防控工作")
    assert "结合上半年工作实际" not in text


def test_a_long_generation_streams_past_the_timeout(corpus_services, openai_server) -> None:
    """The timeout bounds each wait for data, not the whole draft: 3 s of steady output, 1 s timeout."""
    openai_server.script(writer, chunk_chars=20, chunk_delay=0.1)
    llm = build_chat_model(openai_server.base_url, "local-key", "fake-model", timeout=1)
    draft = DraftService(corpus_services.searcher, llm).draft(REQUEST)
    assert draft.mode == "llm"
    assert openai_server.chat_requests[0].stream


@pytest.mark.parametrize(
    ("script", "reason"),
    [
        ({"status": 500}, "服务返回错误 HTTP 500"),
        ({"reply": "好的，我明白了。"}, "返回内容无法使用"),  # no citations, no outline
        ({"delay": 5}, "响应超时"),
    ],
)
def test_llm_failure_falls_back_to_the_compilation(
    service: DraftService,
    openai_server,
    script: dict,
    reason: str,
) -> None:
    openai_server.script(**script)
    draft = service.draft(REQUEST)
    assert draft.mode == "extractive"
    assert draft.title.endswith("（素材汇编）")
    notice = draft.sections[0].paragraphs[0].text
    assert notice.startswith(f"大模型暂不可用（{reason}）")
    assert "【素材汇编】" in notice
    assert openai_server.chat_requests


def test_parse_reply_splits_headings_and_paragraphs() -> None:
    reply = """**下半年传染病防控工作计划**
为做好下半年工作，制定本计划。
## 一、上半年工作回顾
1.召开会议[1]。
(一)加強監測預警。完善监测网络[2]。
（二）强化培训[3]
培训人员[3]。"""
    # a model that copies the prompt's outline notes gives the same structure
    copied_outline = """导语（不加标题，可参考）：为做好下半年工作，制定本计划。
一、上半年工作回顾（资料[1]）
1.召开会议[1]。
（一）加强监测预警（资料[2]）。完善监测网络[2]。
（二）强化培训（资料[3]）
培训人员[3]。"""
    assert parse_reply(reply, "下半年传染病防控工作计划") == parse_reply(
        copied_outline, "下半年传染病防控工作计划"
    )
    assert parse_reply(reply, "下半年传染病防控工作计划") == [
        ("", ["为做好下半年工作，制定本计划。"]),
        ("一、上半年工作回顾", ["1.召开会议[1]。"]),
        ("（一）加强监测预警", ["完善监测网络[2]。"]),
        ("（二）强化培训", ["培训人员[3]。"]),
    ]
