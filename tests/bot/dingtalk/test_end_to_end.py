"""The DingTalk front end end to end: real services, the real Stream client and glue, the strict fake DingTalk
on 127.0.0.1, checked from the fake's side (what a user would see) and the audit log."""

from __future__ import annotations

import asyncio
import base64
import logging
from typing import TYPE_CHECKING

import pytest

from bot.chat.delivery import DeliveryPolicy
from bot.chat.texts import DELIVERY_FAILED
from bot.services import Services, build_services
from bot.settings import Settings
from tests.bot.dingtalk.e2e import (
    ADMIN,
    GROUP,
    STRANGER,
    USER,
    dingtalk_settings,
    running_dingtalk,
    tap_links,
    wait_texts,
)
from tests.bot.dingtalk.fake_server import FakeDingTalk
from tests.bot.telegram.sample_reports import DOCX_NAME, docx_bytes, write_reports

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.asyncio(loop_scope="function")

QUESTION = "上半年开展了几次手足口病防控培训？"
CORPUS_QUESTION = "上半年手足口病防控做了什么"
REPORT_000 = "衛生局上半年工作總結及下半年工作計劃一"


@pytest.fixture(scope="module")
def small_kb(tmp_path_factory: pytest.TempPathFactory) -> Services:
    """Services over the two short sample reports (this module's uploads change it, not the corpus index)."""
    data_dir = tmp_path_factory.mktemp("dingtalk-e2e")
    services = build_services(Settings(data_dir=data_dir, _env_file=None))  # type: ignore[call-arg]
    services.ingest.ingest(write_reports(tmp_path_factory.mktemp("reports")))
    return services


def audit_lines(data_dir: Path) -> list[str]:
    """The audit log's lines."""
    return (data_dir / "audit.log").read_text(encoding="utf-8").splitlines()


async def test_corpus_question_gets_a_cited_answer_and_the_passage_on_tap(
    dingtalk: FakeDingTalk, corpus_services: Services, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with running_dingtalk(dingtalk_settings(dingtalk, tmp_path), corpus_services):
        await dingtalk.push_text(USER, CORPUS_QUESTION)
        [answer] = await wait_texts(dingtalk, USER, 1)
        links = tap_links(answer)
        await dingtalk.push_text(USER, links[1])  # what tapping "原文 1" sends
        passage = (await wait_texts(dingtalk, USER, 2))[1]
        await dingtalk.push_text(USER, "原文 1")  # typed by hand: the last answer
        typed = (await wait_texts(dingtalk, USER, 3))[2]

    assert "手足口病" in answer
    assert "[1]" in answer
    assert f"**来源**\n[1] {REPORT_000} · " in answer  # report 000, its first article
    assert links[1] == "原文 1（回答 1）"
    assert passage.startswith(f"**[1] {REPORT_000}**")
    assert "手足口病" in passage
    assert typed == passage
    lines = audit_lines(tmp_path)
    assert next(line for line in lines if "action=ask" in line).count("outcome=answered") == 1
    assert sum("action=button" in line and "outcome=shown" in line for line in lines) == 2
    assert all(s.via == "webhook" for s in dingtalk.sent)
    assert dingtalk.violations == []
    for form in (dingtalk.client_secret, base64.b64encode(dingtalk.client_secret.encode()).decode()):
        assert form[:12] not in caplog.text


async def test_stranger_is_told_their_staff_id_and_their_file_is_not_downloaded(
    dingtalk: FakeDingTalk, small_kb: Services, tmp_path: Path
) -> None:
    async with running_dingtalk(dingtalk_settings(dingtalk, tmp_path), small_kb):
        await dingtalk.push_text(STRANGER, QUESTION)
        [text] = await wait_texts(dingtalk, STRANGER, 1)
        await dingtalk.push_file(STRANGER, docx_bytes(), DOCX_NAME)
        await dingtalk.push_text(USER, QUESTION)  # the file's turn has passed once this is answered
        await wait_texts(dingtalk, USER, 1)

    assert text == "抱歉，您还没有使用权限。您的用户 ID 是 `lisi`，请把它发给管理员开通。"
    assert dingtalk.texts_to(STRANGER) == [text]  # told once; no answer, no file handling
    assert dingtalk.downloads == []
    assert sum("outcome=denied" in line for line in audit_lines(tmp_path)) == 2


async def test_non_admin_file_is_refused_without_downloading_it(
    dingtalk: FakeDingTalk, small_kb: Services, tmp_path: Path
) -> None:
    async with running_dingtalk(dingtalk_settings(dingtalk, tmp_path), small_kb):
        await dingtalk.push_file(USER, docx_bytes(), DOCX_NAME)
        await dingtalk.push_text(USER, "/docs")
        texts = await wait_texts(dingtalk, USER, 2)

    assert texts == ["该操作仅限管理员。", "该操作仅限管理员。"]
    assert dingtalk.downloads == []


async def test_admin_file_is_ingested_and_then_answerable(
    dingtalk: FakeDingTalk, small_kb: Services, tmp_path: Path
) -> None:
    async with running_dingtalk(dingtalk_settings(dingtalk, tmp_path), small_kb):
        await dingtalk.push_file(ADMIN, docx_bytes(), DOCX_NAME)
        received, confirmed = await wait_texts(dingtalk, ADMIN, 2)
        await dingtalk.push_text(ADMIN, "全县为家养犬只接种兽用狂犬病疫苗多少只？")
        answer = (await wait_texts(dingtalk, ADMIN, 3))[2]
        await dingtalk.push_text(ADMIN, "/docs")
        docs = (await wait_texts(dingtalk, ADMIN, 4))[3]
        await dingtalk.push_text(ADMIN, "/stats")
        stats = (await wait_texts(dingtalk, ADMIN, 5))[4]

    assert dingtalk.downloads == [DOCX_NAME]
    assert received == f"已收到 {DOCX_NAME}，正在导入…"
    assert confirmed.startswith(f"已导入 {DOCX_NAME}：1 篇文章")
    assert "9300只" in answer
    assert "青禾县2025年狂犬病防控工作总结" in answer
    assert f"`{DOCX_NAME}`" in docs
    assert stats.startswith("**统计**\n文档：3 个")
    lines = audit_lines(tmp_path)
    assert [line.split(" action=")[1].split(" what=")[0] for line in lines] == [
        "upload outcome=added",
        "ask outcome=answered",
        "docs outcome=shown",
        "stats outcome=shown",
    ]
    assert dingtalk.violations == []  # the download link was asked for with a valid token


async def test_unsupported_file_type_is_refused_before_download(
    dingtalk: FakeDingTalk, small_kb: Services, tmp_path: Path
) -> None:
    async with running_dingtalk(dingtalk_settings(dingtalk, tmp_path), small_kb):
        await dingtalk.push_file(ADMIN, b"MZ\x90\x00", "setup.exe")
        [text] = await wait_texts(dingtalk, ADMIN, 1)
    assert text.startswith("不支持的文件类型（.exe）")
    assert dingtalk.downloads == []


async def test_disconnect_and_a_dropped_socket_lose_nothing_and_answer_nothing_twice(
    dingtalk: FakeDingTalk, small_kb: Services, tmp_path: Path
) -> None:
    async with running_dingtalk(dingtalk_settings(dingtalk, tmp_path), small_kb) as client:
        await dingtalk.push_text(USER, QUESTION)
        await dingtalk.disconnect()
        await dingtalk.push_text(USER, "下半年流感防控有什么计划？")
        await dingtalk.wait_for(lambda f: f.connections == 2, timeout=5)
        await client.wait_ready()
        await dingtalk.drop()
        await dingtalk.push_text(USER, "家庭医生签约率要提高到多少？")
        await dingtalk.wait_for(lambda f: f.connections == 3, timeout=5)
        texts = await wait_texts(dingtalk, USER, 3)
        await dingtalk.wait_for(lambda f: not f.pending, timeout=5)
        await asyncio.sleep(1.0)  # nothing more comes

    assert len(dingtalk.texts_to(USER)) == 3
    assert any("6次" in t for t in texts)
    assert any("1.5万剂次" in t for t in texts)
    assert any("45%" in t for t in texts)
    assert sum("action=ask" in line for line in audit_lines(tmp_path)) == 3
    assert dingtalk.violations == []


async def test_a_message_delivered_twice_is_answered_once(
    dingtalk: FakeDingTalk, small_kb: Services, tmp_path: Path
) -> None:
    async with running_dingtalk(dingtalk_settings(dingtalk, tmp_path), small_kb):
        msg_id = await dingtalk.push_text(USER, QUESTION)
        await wait_texts(dingtalk, USER, 1)
        await dingtalk.push_again(msg_id)
        await dingtalk.wait_for(lambda f: not f.pending, timeout=5)  # the repeat was acked …
        await asyncio.sleep(1.0)

    assert dingtalk.delivered[msg_id] == 2
    assert len(dingtalk.texts_to(USER)) == 1  # … and not answered again
    assert sum("action=ask" in line for line in audit_lines(tmp_path)) == 1


async def test_group_answers_only_when_mentioned_and_hints_at_the_typed_citation(
    dingtalk: FakeDingTalk, small_kb: Services, tmp_path: Path
) -> None:
    async with running_dingtalk(dingtalk_settings(dingtalk, tmp_path), small_kb):
        await dingtalk.push_text(USER, "闲聊，不是问机器人的", group=GROUP, at=False)
        await dingtalk.push_text(USER, QUESTION, group=GROUP)
        [answer] = await wait_texts(dingtalk, GROUP, 1)
        await dingtalk.push_text(USER, "原文 1", group=GROUP)
        passage = (await wait_texts(dingtalk, GROUP, 2))[1]

    assert "6次" in answer
    assert "dtmd://" not in answer  # a tap in a group would not reach the robot
    assert "@我 并发送“原文 1”" in answer
    assert passage.startswith("**[1] 青禾县卫生健康局2025年上半年工作总结**")


async def test_an_expired_webhook_is_not_used_the_openapi_is(small_kb: Services, tmp_path: Path) -> None:
    fake = FakeDingTalk(webhook_ttl=30.0)  # inside the client's margin: as good as expired
    await fake.start()
    try:
        async with running_dingtalk(dingtalk_settings(fake, tmp_path), small_kb):
            await fake.push_text(USER, QUESTION)
            await fake.push_text(USER, QUESTION, group=GROUP)
            [answer] = await wait_texts(fake, USER, 1)
            await wait_texts(fake, GROUP, 1)
    finally:
        await fake.close()
    assert "6次" in answer
    assert [s.via for s in fake.sent] == ["openapi", "openapi"]
    assert fake.violations == []


async def test_a_busy_dingtalk_is_retried_and_the_answer_arrives_once(
    dingtalk: FakeDingTalk, small_kb: Services, tmp_path: Path
) -> None:
    dingtalk.webhook_errors = [-1, -1]  # "system busy", twice
    async with running_dingtalk(dingtalk_settings(dingtalk, tmp_path), small_kb):
        await dingtalk.push_text(USER, QUESTION)
        [answer] = await wait_texts(dingtalk, USER, 1)
        await asyncio.sleep(0.5)
    assert "6次" in answer
    assert len(dingtalk.texts_to(USER)) == 1
    assert dingtalk.webhook_errors == []
    assert "outcome=answered" in audit_lines(tmp_path)[-1]


async def test_an_answer_that_cannot_be_delivered_in_time_is_owned_up_to_once(
    dingtalk: FakeDingTalk, small_kb: Services, tmp_path: Path
) -> None:
    dingtalk.webhook_errors = [-1] * 6  # DingTalk busy for a while: longer than the delivery deadline
    policy = DeliveryPolicy(deadline=1.0, notice_deadline=1.0)
    async with running_dingtalk(dingtalk_settings(dingtalk, tmp_path), small_kb, policy):
        await dingtalk.push_text(USER, QUESTION)
        [told] = await wait_texts(dingtalk, USER, 1, timeout=30)
        await asyncio.sleep(2.5)  # one more retry period: nothing else comes
    assert told == DELIVERY_FAILED
    assert dingtalk.texts_to(USER) == [DELIVERY_FAILED]
    assert "action=ask outcome=failed" in audit_lines(tmp_path)[-1]
