"""The 提问 and 起草 pages' parts that need no browser: hostile document text stays text, citations become
footnote buttons only when cited, drafts are kept per user whole, edits keep only real citations, a section
asked for again takes its sources along."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from bot.web.accounts import Role
from bot.web.deps import Viewer
from bot.web.drafts import DraftForm, DraftInputError, DraftStore
from bot.web.routes.ask import Segment, answer_html, segments
from bot.web.sessions import Session
from retrieval.answers.types import Answer, Citation
from retrieval.drafting.types import Draft, DraftParagraph, DraftSection
from retrieval.types import ChunkRecord

if TYPE_CHECKING:
    from pathlib import Path

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _citation(n: int, chunk: str, text: str = "培训医护人员100余名。") -> Citation:
    return Citation(
        n, chunk, "000_x.txt", "卫生局上半年工作总结", ("一、上半年工作",), text, "某县卫生局", "2024-07-01"
    )


def _viewer(role: Role) -> Viewer:
    return Viewer("zhang", role, Session(token="t", csrf="c", user="zhang"))


def test_document_text_in_an_answer_is_shown_as_text_never_as_markup() -> None:
    answer = Answer(
        f"据报告，{HOSTILE}[1]。又见[7]。", [_citation(1, "d1-0001", HOSTILE)], "extractive", True
    )
    html = answer_html(answer, 3, "q1", _viewer(Role.VIEWER))
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html
    assert 'data-cite="src-3-1"' in html
    assert 'data-cite="src-3-7"' not in html  # a marker of no citation stays text
    assert "/docs/" not in html  # a viewer cannot open the document page: the passage in place only
    assert 'href="/docs/d1"' in answer_html(answer, 3, "q1", _viewer(Role.ADMIN))


def test_segments_split_the_text_at_cited_markers() -> None:
    assert segments("甲[1]。乙[2][3]。", {1, 3}) == [
        Segment("甲"),
        Segment("[1]", 1),
        Segment("。乙[2]"),
        Segment("[3]", 3),
        Segment("。"),
    ]


def _draft() -> Draft:
    return Draft(
        "下半年手足口病防控工作计划（素材汇编）",
        "extractive",
        [
            DraftSection("", [DraftParagraph("【素材汇编】说明。")]),
            DraftSection(
                "一、上半年工作回顾",
                [DraftParagraph("1.培训医护人员100余名[1]。", [1]), DraftParagraph("2.印发手册[2]。", [2])],
            ),
        ],
        [_citation(1, "d1-0001"), _citation(2, "d1-0002", "印发手册1000册。")],
    )


def test_drafts_are_kept_per_user_and_written_whole(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    form = DraftForm.checked("计划", "手足口病防控", "", "2024", "下半年")
    assert form.request_text() == "2024年下半年手足口病防控工作计划"
    saved = store.new("writer", form, _draft())
    assert store.get("writer", saved.id) is not None
    assert store.get("other", saved.id) is None  # another user's draft is not found
    assert store.get("writer", "../../accounts") is None
    saved.edit(1, 0, "1.全面培训医护人员[1]，另见[9]。")
    store.save("writer", saved)
    again = store.get("writer", saved.id)
    assert again is not None
    assert again.draft.sections[1].paragraphs[0] == DraftParagraph("1.全面培训医护人员[1]，另见[9]。", [1])
    assert again.edited == [[False], [True, False]]
    files = list((tmp_path / "web" / "drafts" / "u-writer").iterdir())
    assert [f.suffix for f in files] == [".json"]  # no temp file left behind
    json.loads(files[0].read_text("utf-8"))


def test_bad_requests_and_edits_get_one_clear_sentence(tmp_path: Path) -> None:
    with pytest.raises(DraftInputError, match="主题"):
        DraftForm.checked("计划", "  ", "", "", "")
    with pytest.raises(DraftInputError, match="年份"):
        DraftForm.checked("总结", "疫苗接种", "", "24", "")
    saved = DraftStore(tmp_path).new("writer", DraftForm("计划", "手足口病防控"), _draft())
    with pytest.raises(DraftInputError, match="不能为空"):
        saved.edit(1, 0, "   ")
    with pytest.raises(DraftInputError, match="不存在"):
        saved.drop(1, 5)


def test_a_section_asked_for_again_brings_its_sources_renumbered(tmp_path: Path) -> None:
    saved = DraftStore(tmp_path).new("writer", DraftForm("计划", "手足口病防控"), _draft())
    saved.drop(1, 0)
    fresh = Draft(
        "x",
        "llm",
        [DraftSection("一、上半年工作回顾", [DraftParagraph("开展流调[1]，印发手册[2]。", [1, 2])])],
        [_citation(1, "d9-0005", "开展流行病学调查。"), _citation(2, "d1-0002", "印发手册1000册。")],
    )
    assert saved.replace_section(1, fresh)
    assert saved.draft.sections[1].paragraphs == [DraftParagraph("开展流调[3]，印发手册[2]。", [3, 2])]
    assert [c.chunk_id for c in saved.draft.citations] == ["d1-0001", "d1-0002", "d9-0005"]
    assert saved.edited[1] == [False]
    assert not saved.replace_section(0, Draft("x", "llm", [], []))  # no such section in the fresh draft


def test_a_paragraph_whose_source_left_the_knowledge_base_is_flagged() -> None:
    from bot.web.draft_view import sections_view

    draft = _draft()
    edited = [[False], [False, False]]
    still_there = {"d1-0002": _chunk("d1-0002")}
    sections = sections_view(draft, edited, still_there)
    first, second = sections[1].paragraphs
    assert first.flagged
    assert first.sources[0].removed
    assert not second.flagged
    assert second.sources[0].year == "2023年"  # the passage's year, from the knowledge base
    assert second.sources[0].unit == "某县卫生局"


def _chunk(chunk_id: str) -> ChunkRecord:
    return ChunkRecord(chunk_id, "d1", "印发手册1000册。", "000_x.txt", "总结", "总结", ("一、",), year=2023)


def test_a_not_found_answer_offers_the_closest_passages_to_open() -> None:
    from retrieval.types import Passage

    answer = Answer(
        "资料中未找到相关内容。",
        [],
        "extractive",
        False,
        closest=[Passage(_chunk("d1-0003"), 0.1)],
        state="not_found",
    )
    html = answer_html(answer, 4, "q2", _viewer(Role.VIEWER))
    assert "未找到答案" in html
    assert "最接近的段落" in html
    assert 'data-cite="near-4-1"' in html
    assert "印发手册1000册。" in html
    assert "000_x.txt" in html


def test_over_the_rate_limit_the_page_says_so_every_time(tmp_path: Path) -> None:
    from bot.chat.service import ChatCore
    from bot.services import build_services
    from bot.settings import Settings
    from bot.web.app import create_app
    from bot.web.routes.ask import over_rate_limit

    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    services = build_services(settings, lazy=True)
    console = create_app(settings, services, ChatCore(services, tmp_path, 1)).state.console
    who = console.requester("zhang", "c1")
    assert over_rate_limit(console, who, "ask", "第一个问题") is None
    for _ in range(2):  # a chat gets the notice once; a page must say it each time
        notice = over_rate_limit(console, who, "ask", "又一个问题")
        assert notice is not None
        assert "太频繁" in notice
