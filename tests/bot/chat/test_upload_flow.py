"""Uploads and admin operations through the chat core, against real services and real files."""

from __future__ import annotations

import asyncio
import io
import zipfile
from typing import TYPE_CHECKING

from tests.bot.chat.conftest import ADMIN, audit_lines, private
from tests.bot.telegram.sample_reports import DOCX_PARAGRAPHS, PLAN_NAME, SUMMARY_NAME, docx_bytes

if TYPE_CHECKING:
    from pathlib import Path

    from bot.chat import AskReply, ChatService
    from bot.chat.admin import ReindexResult


def broken_docx() -> bytes:
    """A zip that looks like a .docx (has word/document.xml) but whose XML is not a Word document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("word/document.xml", "<not-word")
    return buffer.getvalue()


async def upload(chat: ChatService, name: str, data: bytes):
    who = private(chat, ADMIN)
    checked = chat.check_upload(who, name, len(data))
    assert checked.refusal is None
    return await chat.upload(who, checked, data)  # the bytes the front end downloaded


async def answer(chat: ChatService, question: str) -> AskReply:
    replies: list[AskReply] = []

    async def deliver(reply: AskReply) -> None:
        replies.append(reply)

    return await chat.ask(private(chat, ADMIN), question, None, deliver)


def test_refused_before_download_by_type_and_size(chat: ChatService, tmp_path: Path) -> None:
    who = private(chat, ADMIN)
    unsupported = chat.check_upload(who, "../表格.xlsx", 100)
    assert (
        unsupported.refusal
        == "不支持的文件类型（.xlsx）。可以上传 txt、md、docx、doc、wps、pdf、ofd、html 文件，或扫描件图片（png、jpg、tif）。"
    )
    too_big = chat.check_upload(who, "大文件.pdf", 25 * 1024 * 1024)
    assert too_big.refusal == "文件太大（25.0 MB）：机器人最多只能下载 20 MB 的文件。"
    assert chat.check_upload(who, "../../etc/计划.docx", 100).name == "计划.docx"
    assert not (tmp_path / "data" / "uploads").exists()
    outcomes = [line.split(" outcome=")[1].split()[0] for line in audit_lines(tmp_path)]
    assert outcomes == ["unsupported", "too_big"]


async def test_upload_is_ingested_then_answerable_and_deletable(chat: ChatService, tmp_path: Path) -> None:
    data = docx_bytes()
    result = await upload(chat, "qinghe_rabies.docx", data)
    assert result.outcome == "added"
    assert result.text.startswith("已导入 qinghe_rabies.docx：1 篇文章，")
    saved = tmp_path / "data" / "uploads" / "qinghe_rabies.docx"
    assert saved.exists()
    reply = await answer(chat, "狂犬病暴露处置门诊设立了几个？")
    assert reply.answer is not None
    assert "门诊3个" in reply.answer.text
    assert "qinghe_rabies.docx" in [d.source for d in await chat.documents()]
    again = await upload(chat, "qinghe_rabies.docx", data)
    assert again.text == "qinghe_rabies.docx 与已导入的版本相同，无需更新。"
    deleted = await chat.delete(private(chat, ADMIN), "qinghe_rabies.docx")
    assert deleted.outcome == "deleted"
    assert deleted.text.startswith("已删除《")
    assert not saved.exists()  # a file that came in through a chat goes with its document
    unknown = await chat.delete(private(chat, ADMIN), "qinghe_rabies.docx")
    assert unknown.text == "没有找到文档“qinghe_rabies.docx”。发送 /docs 查看文档列表。"


async def test_failed_replacement_rolls_back_to_the_previous_file(chat: ChatService, tmp_path: Path) -> None:
    good = docx_bytes()
    assert (await upload(chat, "rabies.docx", good)).outcome == "added"
    before = {d.source: d.chunks for d in await chat.documents()}
    failed = await upload(chat, "rabies.docx", broken_docx())
    assert failed.outcome == "failed"
    assert failed.text.startswith("未能导入 rabies.docx：")
    saved = tmp_path / "data" / "uploads" / "rabies.docx"
    assert saved.read_bytes() == good
    assert not list(saved.parent.glob(".rabies.docx.previous"))
    assert {d.source: d.chunks for d in await chat.documents()} == before
    reply = await answer(chat, "全县为家养犬只接种了多少只狂犬病疫苗？")
    assert reply.answer is not None
    assert "9300只" in reply.answer.text
    assert any(
        "frontend=wecom user=zhang.admin chat=zhang.admin action=upload outcome=failed what=rabies.docx"
        in line
        for line in audit_lines(tmp_path)
    )


async def test_content_that_does_not_match_the_name_is_rejected(chat: ChatService, tmp_path: Path) -> None:
    result = await upload(chat, "伪装.pdf", "\n".join(DOCX_PARAGRAPHS).encode())
    assert result.text == "未导入 伪装.pdf：文件内容不是 PDF 文档。"
    assert not (tmp_path / "data" / "uploads" / "伪装.pdf").exists()
    assert list((tmp_path / "data" / "uploads" / ".incoming").iterdir()) == []


async def test_stats_and_background_reindex_with_progress(chat: ChatService, tmp_path: Path) -> None:
    stats = await chat.stats()
    assert (stats.library.documents, stats.questions) == (2, 0)
    assert stats.library.chunks > 0
    progress: list[tuple[int, int, str]] = []
    done: asyncio.Future[ReindexResult] = asyncio.get_running_loop().create_future()

    async def report(result: ReindexResult) -> None:
        done.set_result(result)

    started = chat.start_reindex(private(chat, ADMIN), lambda *p: progress.append(p), report)
    assert started
    assert not chat.start_reindex(private(chat, ADMIN), lambda *p: None, report)  # one at a time
    result = await asyncio.wait_for(done, 120)
    assert result.report is not None
    assert sorted(r.source for r in result.report.results) == sorted([PLAN_NAME, SUMMARY_NAME])
    assert not result.report.failed
    assert progress
    assert progress[-1][1] == 2
    assert any(" action=reindex outcome=done " in f" {line} " for line in audit_lines(tmp_path))
