"""The real bot end to end: real services (Chroma in a temp dir, the bundled embedder, BM25), the real
python-telegram-bot Application long-polling a fake Bot API server on 127.0.0.1, checked from outside."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.services import Services, build_services
from bot.settings import Settings
from retrieval.answers.service import AnswerService
from retrieval.llm import build_chat_model
from tests.bot.conftest import ADMIN, STRANGER, USER, bot_settings, running_bot
from tests.bot.fake_bot_api import BotApiError, FakeBotApi
from tests.bot.telegram.sample_reports import (
    DOCX_NAME,
    PLAN_NAME,
    SUMMARY_NAME,
    TOPICS,
    docx_bytes,
    write_reports,
)

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.asyncio(loop_scope="function")

CROWD = list(range(5001, 5021))
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="session")
def real_services(tmp_path_factory: pytest.TempPathFactory) -> tuple[Services, Path]:
    """The core built by ``build_services`` over the two sample reports; shared by the tests of this module."""
    data_dir = tmp_path_factory.mktemp("bot-e2e")
    services = build_services(Settings(data_dir=data_dir, _env_file=None))  # type: ignore[call-arg]
    report = services.ingest.ingest(write_reports(tmp_path_factory.mktemp("reports")))
    assert [r.status for r in report.results] == ["added", "added"]
    return services, data_dir


def settings_for(api: FakeBotApi, data_dir: Path) -> Settings:
    return bot_settings(api, data_dir, allowed_user_ids=[USER, *CROWD])


async def test_question_gets_cited_answer_and_button_shows_passage(
    fake_api: FakeBotApi, real_services
) -> None:
    services, data_dir = real_services
    async with running_bot(settings_for(fake_api, data_dir), services, api=fake_api):
        question = fake_api.send_text(USER, "上半年手足口病防控培训开展了几次？")
        [answer] = await fake_api.wait_for_messages(USER, 1)
        buttons = [row[0] for row in answer["reply_markup"]["inline_keyboard"]]
        fake_api.press_button(USER, answer, buttons[0]["callback_data"])
        _, passage = await fake_api.wait_for_messages(USER, 2)

    assert answer["reply_to_message"]["message_id"] == question["message_id"]
    assert "上半年开展手足口病防控培训6次，覆盖托幼机构85所[1]。" in answer["text"]
    assert (
        "来源\n[1] 青禾县卫生健康局2025年上半年工作总结 · 一、主要工作完成情况 › （一）传染病防控"
        in answer["text"]
    )
    assert buttons[0]["text"].startswith("[1] （一）传染病防控")
    assert passage["reply_to_message"]["message_id"] == answer["message_id"]
    assert passage["text"].startswith(
        "[1] 青禾县卫生健康局2025年上半年工作总结\n一、主要工作完成情况 › （一）传染病防控"
    )
    assert "累计报告手足口病病例132例，无重症病例。" in passage["text"]
    assert [c.error for c in fake_api.calls_of("answerCallbackQuery")] == [None]
    assert fake_api.calls_of("sendChatAction")[0].params == {"chat_id": USER, "action": "typing"}
    assert fake_api.command_menu() == ["start", "help", "sources", "draft"]
    assert fake_api.command_menu({"type": "chat", "chat_id": ADMIN}) == [
        *["start", "help", "sources", "draft"],
        *["docs", "delete", "reindex", "stats"],
    ]


async def test_markup_characters_in_a_report_arrive_intact(fake_api: FakeBotApi, real_services) -> None:
    services, data_dir = real_services
    async with running_bot(settings_for(fake_api, data_dir), services, api=fake_api):
        fake_api.send_text(USER, "职业病危害因素检测了多少家企业？")
        [answer] = await fake_api.wait_for_messages(USER, 1)
        data = next(
            row[0]["callback_data"]
            for row in answer["reply_markup"]["inline_keyboard"]
            if "职业病" in row[0]["text"]
        )
        fake_api.press_button(USER, answer, data)
        _, passage = await fake_api.wait_for_messages(USER, 2)
    assert "完成<b>重点</b>企业&*_[]职业病危害因素检测46家" in answer["text"]
    assert "完成<b>重点</b>企业&*_[]职业病危害因素检测46家。" in passage["text"]
    assert not [c.error for c in fake_api.calls if c.error]


async def test_unknown_user_is_told_their_id_once_and_nothing_else(
    fake_api: FakeBotApi, real_services
) -> None:
    services, data_dir = real_services
    async with running_bot(settings_for(fake_api, data_dir), services, api=fake_api):
        fake_api.send_text(STRANGER, "上半年手足口病防控培训开展了几次？")
        [refusal] = await fake_api.wait_for_messages(STRANGER, 1)
        fake_api.send_text(STRANGER, "/help")
        fake_api.send_text(STRANGER, "高血压患者规范管理了多少人？")
        await fake_api.settle()
    assert refusal["text"] == f"抱歉，您还没有使用权限。您的用户 ID 是 {STRANGER}，请把它发给管理员开通。"
    assert len(fake_api.bot_messages(STRANGER)) == 1
    audit = (data_dir / "audit.log").read_text(encoding="utf-8")
    stranger_lines = [line for line in audit.splitlines() if f"user={STRANGER} " in line]
    assert len(stranger_lines) == 3  # each attempt audited, one notice
    assert all("outcome=denied" in line for line in stranger_lines)
    assert f"user={STRANGER} chat={STRANGER} action=help outcome=denied" in audit


async def test_non_admin_upload_is_refused_and_nothing_is_ingested(
    fake_api: FakeBotApi, real_services
) -> None:
    services, data_dir = real_services
    before = services.store.documents()
    async with running_bot(settings_for(fake_api, data_dir), services, api=fake_api):
        fake_api.send_document(
            USER, "intruder.docx", docx_bytes(["外来文件", "不应被导入。"]), mime_type=DOCX_MIME
        )
        [refusal] = await fake_api.wait_for_messages(USER, 1)
        fake_api.send_text(USER, "/reindex")
        await fake_api.wait_for_messages(USER, 2)
    assert refusal["text"] == "该操作仅限管理员。"
    assert fake_api.bot_messages(USER)[1]["text"] == "该操作仅限管理员。"
    assert fake_api.calls_of("getFile") == []
    assert services.store.documents() == before
    assert not (data_dir / "uploads" / "intruder.docx").exists()


async def test_admin_upload_of_a_docx_is_ingested_then_answerable_then_deleted(
    fake_api: FakeBotApi, real_services
) -> None:
    services, data_dir = real_services
    async with running_bot(settings_for(fake_api, data_dir), services, api=fake_api):
        fake_api.send_document(ADMIN, DOCX_NAME, docx_bytes(), mime_type=DOCX_MIME)
        await fake_api.wait_for(
            lambda api: any(m["text"].startswith("已导入") for m in api.bot_messages(ADMIN))
        )
        [status] = fake_api.bot_messages(ADMIN)
        fake_api.send_text(ADMIN, "犬伤患者处置了多少人次？")
        _, answer = await fake_api.wait_for_messages(ADMIN, 2)
        fake_api.send_text(ADMIN, "/docs")
        *_, listing = await fake_api.wait_for_messages(ADMIN, 3)
        fake_api.send_text(ADMIN, f"/delete {DOCX_NAME}")
        *_, deleted = await fake_api.wait_for_messages(ADMIN, 4)

    documents = services.store.documents()
    assert status["text"].startswith(f"已导入 {DOCX_NAME}：1 篇文章，")
    assert "全年处置犬伤患者2140人次[1]。" in answer["text"]
    assert "[1] 青禾县2025年狂犬病防控工作总结 · " in answer["text"]
    assert listing["text"].startswith("文档（3 个）")
    assert all(name in listing["text"] for name in (DOCX_NAME, SUMMARY_NAME, PLAN_NAME))
    assert deleted["text"].startswith(f"已删除《青禾县2025年狂犬病防控工作总结》（{DOCX_NAME}）")
    assert sorted(d.source for d in documents) == sorted([PLAN_NAME, SUMMARY_NAME])
    assert not (data_dir / "uploads" / DOCX_NAME).exists()
    audit = (data_dir / "audit.log").read_text(encoding="utf-8")
    assert f"user={ADMIN} chat={ADMIN} action=upload outcome=added what={DOCX_NAME}" in audit
    assert f"action=delete outcome=deleted what={DOCX_NAME}" in audit
    assert "2140" not in audit  # questions are logged, document text never


async def test_flood_control_retry_after_is_honoured(fake_api: FakeBotApi, real_services) -> None:
    services, data_dir = real_services
    fake_api.fail_next("sendMessage", BotApiError(429, "Too Many Requests: retry after 1", retry_after=1))
    async with running_bot(settings_for(fake_api, data_dir), services, api=fake_api):
        fake_api.send_text(USER, "高血压患者规范管理了多少人？")
        [answer] = await fake_api.wait_for_messages(USER, 1)
    refused, delivered = fake_api.calls_of("sendMessage")
    assert refused.error == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
    assert delivered.error is None
    assert delivered.at - refused.at >= 1.0
    assert "规范管理高血压患者1.8万人" in answer["text"]


async def test_twenty_users_at_once_each_get_their_own_answer(fake_api: FakeBotApi, real_services) -> None:
    services, data_dir = real_services
    async with running_bot(settings_for(fake_api, data_dir), services, api=fake_api):
        questions = {uid: fake_api.send_text(uid, TOPICS[i % len(TOPICS)][0]) for i, uid in enumerate(CROWD)}
        await fake_api.wait_for(lambda api: all(api.bot_messages(uid) for uid in CROWD), within=60)
    for i, uid in enumerate(CROWD):
        [answer] = fake_api.bot_messages(uid)
        assert answer["reply_to_message"]["message_id"] == questions[uid]["message_id"]
        assert TOPICS[i % len(TOPICS)][1] in answer["text"], (uid, answer["text"])


async def test_streamed_llm_answer_is_edited_at_most_once_a_second(
    fake_api: FakeBotApi, real_services, openai_server
) -> None:
    services, data_dir = real_services
    llm = build_chat_model(openai_server.base_url, "test-key", "fake-model", timeout=20)
    streaming = services.replace(answers=AnswerService(services.searcher, llm, top_k=5))
    reply = "上半年开展手足口病防控培训6次[1]。" + "全县累计报告手足口病病例132例，均为轻症[1]。" * 3
    openai_server.script(reply, chunk_chars=4, chunk_delay=0.1)
    async with running_bot(settings_for(fake_api, data_dir), streaming, api=fake_api):
        fake_api.send_text(USER, "上半年手足口病防控培训开展了几次？")
        await fake_api.wait_for(
            lambda api: any("来源" in m["text"] for m in api.bot_messages(USER)), within=30
        )
    [answer] = fake_api.bot_messages(USER)
    edits = [c for c in fake_api.calls_of("editMessageText") if c.error is None]
    assert len(edits) >= 2
    streaming_edits = [c.at for c in edits[:-1]]
    first_shown = next(c.at for c in fake_api.calls_of("sendMessage") if c.params.get("chat_id") == USER)
    gaps = [b - a for a, b in zip([first_shown, *streaming_edits], streaming_edits, strict=False)]
    assert all(gap >= 0.95 for gap in gaps), gaps
    assert answer["text"].startswith("上半年开展手足口病防控培训6次[1]。全县累计报告手足口病病例132例")
    assert "来源\n[1] 青禾县卫生健康局2025年上半年工作总结" in answer["text"]
    assert answer["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "cite:1:1"
