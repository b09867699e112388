"""Markdown rendering (WeCom): every part under the 20,480-byte stream limit, in order, report text inert."""

from __future__ import annotations

from dataclasses import replace

from bot.chat.render.markdown import (
    MARKDOWN_LIMIT,
    byte_len,
    render_answer,
    render_documents,
    render_draft,
    render_passage,
    render_sources,
    render_stream,
)
from retrieval.answers.types import Answer, Citation
from retrieval.drafting.types import Draft, DraftFlag, DraftParagraph, DraftSection
from retrieval.types import DocumentInfo
from tests.bot.fakes import citation, cited_answer


def test_found_answer_has_text_then_bold_sources() -> None:
    [part] = render_answer(cited_answer("开展了培训[1]，检查了托幼机构[2]。", n=2))
    assert part == (
        "开展了培训[1]，检查了托幼机构[2]。\n\n**来源**"
        "\n[1] 某市2023年上半年工作总结 · 二、主要工作 › （三）传染病防控"
        "\n[2] 某市2023年上半年工作总结 · 二、主要工作 › （三）传染病防控"
    )


def test_markdown_characters_of_a_report_cannot_format() -> None:
    answer = Answer("完成*重点*企业_检测_46家`x`[1]。", [citation(1, title="# 标题")], "extractive", True)
    [part] = render_answer(answer)
    assert part.startswith("完成\\*重点\\*企业\\_检测\\_46家\\`x\\`[1]。")
    assert "[1] \\# 标题 · " in part


def test_long_chinese_answer_splits_under_the_byte_limit_in_order() -> None:
    sentence = "全县开展手足口病防控培训并检查托幼机构[1]。"
    text = sentence * (60_000 // byte_len(sentence) + 1)  # about 60 KB of UTF-8
    parts = render_answer(Answer(text, [citation(1)], "extractive", True))
    assert len(parts) >= 3
    assert all(byte_len(p) <= MARKDOWN_LIMIT for p in parts)
    assert all(p.endswith("[1]。") for p in parts[:-1])
    assert "".join(parts).startswith(text)
    assert parts[-1].endswith("（三）传染病防控")


def test_one_sentence_longer_than_a_part_is_cut_without_breaking_characters() -> None:
    parts = render_answer(Answer("长" * 20_000, [], "extractive", True))
    assert len(parts) >= 3
    assert all(byte_len(p) <= MARKDOWN_LIMIT for p in parts)
    assert "".join(parts) == "长" * 20_000


def test_stream_is_the_whole_text_so_far_marked_unfinished_and_fits() -> None:
    assert render_stream("开展*培训") == "开展\\*培训 ▍"
    long = render_stream("长" * 9000)
    assert byte_len(long) <= MARKDOWN_LIMIT
    assert long.endswith("…（生成中）")


def test_sources_passage_docs_and_draft() -> None:
    c = Citation(2, "d:2", "report.txt", "某市总结", ("一、工作", "（一）防控"), "第一句。第二句*。")
    assert render_sources((c,)) == ["**来源**\n[2] 某市总结 · 一、工作 › （一）防控"]
    assert render_passage(c) == [
        "**[2] 某市总结**\n*一、工作 › （一）防控*\n来源文件：report.txt\n\n第一句。第二句\\*。"
    ]
    doc = DocumentInfo("d", "b.txt", "某市总结", "/x/b.txt", "h", 3, 1, "2026-11-22T14:00:00")
    assert render_documents([doc]) == [
        "**文档（1 个）**\n删除：/delete 文件名\n\n1. **某市总结**\n   `b.txt` · 1 篇 · 3 段 · 2026-11-22 14:00"
    ]
    draft = Draft(
        "下半年工作计划",
        "extractive",
        [DraftSection("一、重点工作", [DraftParagraph("加强流感防控[1]。", [1])])],
        [c],
        [DraftFlag("接种1.5万剂次", "数字需核实")],
    )
    [part] = render_draft(draft)
    assert part.startswith("**下半年工作计划**\n\n**一、重点工作**\n加强流感防控[1]。")
    assert "**待核实**\n- 接种1.5万剂次（数字需核实）" in part
    assert part.endswith("**来源**\n[2] 某市总结 · 一、工作 › （一）防控")


def test_a_gongwen_document_and_its_citations_name_its_issuing_unit_date_and_doc_number() -> None:
    doc = DocumentInfo(
        "d",
        "notice.docx",
        "关于印发2024年全市卫生健康工作要点的通知",
        "/x/notice.docx",
        "h",
        5,
        1,
        "2026-11-22T14:00:00",
        unit="江澜市卫生健康委员会",
        date="2024-02-20",
        doc_number="江卫健〔2024〕3号",
    )
    [part] = render_documents([doc])
    assert part.endswith("2026-11-22 14:00\n   江澜市卫生健康委员会 · 2024年2月20日 · 江卫健〔2024〕3号")
    c = Citation(1, "d-0000", "notice.docx", doc.title, ("一、主要目标",), "人均预期寿命达到80.5岁。")
    dated = replace(c, unit=doc.unit, date=doc.date)
    [plain] = render_sources((c,))
    [with_origin] = render_sources((dated,))
    assert plain.endswith("[1] 关于印发2024年全市卫生健康工作要点的通知 · 一、主要目标")
    assert with_origin.endswith(
        "[1] 关于印发2024年全市卫生健康工作要点的通知 · 一、主要目标（江澜市卫生健康委员会 2024年2月20日）"
    )
