"""``/draft``: the real bot, the real corpus index, the fake Bot API — the draft arrives as text and .docx."""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

import pytest
from docx import Document

from tests.bot.conftest import STRANGER, USER, bot_settings, running_bot
from tests.conftest import TRADITIONAL_REPORT

if TYPE_CHECKING:
    from pathlib import Path

    from tests.bot.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.asyncio(loop_scope="function")

REQUEST = "下半年传染病防控工作计划"


async def test_draft_replies_with_text_and_a_docx(
    fake_api: FakeBotApi, corpus_services, tmp_path: Path
) -> None:
    async with running_bot(bot_settings(fake_api, tmp_path), corpus_services, api=fake_api):
        command = fake_api.send_text(USER, f"/draft {REQUEST}")
        await fake_api.wait_for(lambda api: api.calls_of("sendDocument"), within=120)
    messages = fake_api.bot_messages(USER)
    texts = [m for m in messages if "text" in m]
    document_message = messages[-1]
    text = "\n".join(m["text"] for m in texts)
    assert texts[0]["reply_to_message"]["message_id"] == command["message_id"]
    assert text.startswith(f"{REQUEST}（素材汇编）\n")
    assert "\n一、上半年工作回顾\n" in text
    assert "\n三、下半年重点工作\n（一）" in text
    assert "\n来源\n[1] " in text
    bold = [e for m in texts for e in m.get("entities", []) if e["type"] == "bold"]
    assert len(bold) >= 5  # title, headings and the sources header are bold
    assert document_message["document"]["file_name"] == f"{REQUEST}（素材汇编）.docx"
    assert document_message["reply_to_message"]["message_id"] == command["message_id"]
    (call,) = fake_api.calls_of("sendDocument")
    docx = Document(BytesIO(call.files["document"]))
    headings = [p.text for p in docx.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、上半年工作回顾", "二、存在的主要问题", "三、下半年重点工作", "来源"]
    sources = [p.text for p in docx.paragraphs][[p.text for p in docx.paragraphs].index("来源") + 1 :]
    assert any(TRADITIONAL_REPORT in line for line in sources)
    audit = (tmp_path / "audit.log").read_text(encoding="utf-8")
    assert f"user={USER} chat={USER} action=draft outcome=drafted" in audit


async def test_draft_without_a_topic_explains_usage(
    fake_api: FakeBotApi, corpus_services, tmp_path: Path
) -> None:
    async with running_bot(bot_settings(fake_api, tmp_path), corpus_services, api=fake_api):
        fake_api.send_text(USER, "/draft")
        [reply] = await fake_api.wait_for_messages(USER, 1)
    assert reply["text"].startswith("请在 /draft 后写上要起草的内容")
    assert not fake_api.calls_of("sendDocument")


async def test_draft_on_a_topic_no_report_covers_says_so(
    fake_api: FakeBotApi, corpus_services, tmp_path: Path
) -> None:
    async with running_bot(bot_settings(fake_api, tmp_path), corpus_services, api=fake_api):
        fake_api.send_text(USER, "/draft 无人机巡检工作计划")
        [reply] = await fake_api.wait_for_messages(USER, 1, within=60)
    assert reply["text"].startswith("资料中未找到与“无人机巡检”相关的内容")
    assert not fake_api.calls_of("sendDocument")


async def test_stranger_gets_no_draft(fake_api: FakeBotApi, corpus_services, tmp_path: Path) -> None:
    async with running_bot(bot_settings(fake_api, tmp_path), corpus_services, api=fake_api):
        fake_api.send_text(STRANGER, f"/draft {REQUEST}")
        [refusal] = await fake_api.wait_for_messages(STRANGER, 1)
        await fake_api.settle()
    assert "没有使用权限" in refusal["text"]
    assert not fake_api.calls_of("sendDocument")
