"""The WeCom front end end to end: real services over two small reports, the real client and glue, the strict
fake WeCom server on 127.0.0.1, checked from the server's side (what a user would see)."""

from __future__ import annotations

import io
import itertools
import logging
from typing import TYPE_CHECKING

import pytest

from bot.services import Services, build_services
from bot.settings import Settings
from retrieval.answers.service import AnswerService
from retrieval.llm import build_chat_model
from tests.bot.telegram.sample_reports import DOCX_NAME, docx_bytes, write_reports
from tests.bot.wecom.e2e import (
    ADMIN,
    GROUP,
    STRANGER,
    USER,
    final_text,
    markdown_sent,
    replies_to,
    running_wecom,
    wait_card,
    wait_final,
    wecom_settings,
)

if TYPE_CHECKING:
    from pathlib import Path

    from tests.bot.wecom.fake_server import FakeWeCom
    from tests.fakes.openai_server import FakeOpenAIServer

pytestmark = pytest.mark.asyncio(loop_scope="function")

QUESTION = "上半年手足口病防控培训开展了几次？"


@pytest.fixture(scope="module")
def real_services(tmp_path_factory: pytest.TempPathFactory) -> tuple[Services, Path]:
    """Services built by ``build_services`` over the two sample reports; shared by this module's tests."""
    data_dir = tmp_path_factory.mktemp("wecom-e2e")
    services = build_services(Settings(data_dir=data_dir, _env_file=None))  # type: ignore[call-arg]
    report = services.ingest.ingest(write_reports(tmp_path_factory.mktemp("reports")))
    assert [r.status for r in report.results] == ["added", "added"]
    return services, data_dir


async def test_question_gets_streamed_cited_answer_card_and_passage_on_tap(
    fake: FakeWeCom, real_services: tuple[Services, Path]
) -> None:
    services, data_dir = real_services
    async with running_wecom(wecom_settings(fake, data_dir), services):
        req_id = await fake.push_text(USER, QUESTION)
        card = await wait_card(fake, req_id)
        answer = final_text(fake, req_id)
        button = card["button_list"][0]
        await fake.push_click(USER, card["task_id"], button["key"])
        [update] = await fake.wait_for(lambda f: f.frames("aibot_respond_update_msg"))

    streams = [r.body["stream"] for r in replies_to(fake, req_id) if r.body["msgtype"] == "stream"]
    assert streams[0] == {"id": streams[0]["id"], "finish": False, "content": "正在查找资料……"}
    assert [s["finish"] for s in streams][-1] is True
    assert len({s["id"] for s in streams}) == 1  # one stream, refreshed with the whole text each time
    assert answer is not None
    assert "上半年开展手足口病防控培训6次，覆盖托幼机构85所[1]。" in answer
    assert (
        "**来源**\n[1] 青禾县卫生健康局2025年上半年工作总结 · 一、主要工作完成情况 › （一）传染病防控"
        in answer
    )
    assert card["card_type"] == "button_interaction"
    assert button["text"].startswith("[1] （一）传染病防控")
    assert update.errcode == 0  # on the click's req_id, within 5 s, same task id
    shown = update.body["template_card"]
    assert shown["task_id"] == card["task_id"]
    assert shown["main_title"]["title"] == "[1] 青禾县卫生健康局2025年上半年工作总结"
    assert "累计报告手足口病病例132例，无重症病例。" in shown["sub_title_text"]
    assert shown["button_list"] == card["button_list"]  # the other citations stay one tap away
    assert not fake.frames(ok=False), [(r.cmd, r.errmsg) for r in fake.frames(ok=False)]


async def test_stranger_is_told_their_userid_and_nothing_else(
    fake: FakeWeCom, real_services: tuple[Services, Path]
) -> None:
    services, data_dir = real_services
    async with running_wecom(wecom_settings(fake, data_dir), services):
        req_id = await fake.push_text(STRANGER, QUESTION)
        text = await wait_final(fake, req_id)
        file_req = await fake.push_file(STRANGER, docx_bytes(), DOCX_NAME)
        await wait_final(fake, await fake.push_text(USER, QUESTION))  # the file's turn has passed by then

    assert text == "抱歉，您还没有使用权限。您的用户 ID 是 `lisi`，请把它发给管理员开通。"
    assert len(replies_to(fake, req_id)) == 1  # no answer, no card
    assert "手足口病" not in text
    assert replies_to(fake, file_req) == []  # told once; the file is neither answered nor downloaded
    assert fake.downloads == []


async def test_non_admin_file_is_refused_without_downloading_it(
    fake: FakeWeCom, real_services: tuple[Services, Path]
) -> None:
    services, data_dir = real_services
    async with running_wecom(wecom_settings(fake, data_dir), services):
        req_id = await fake.push_file(USER, docx_bytes(), DOCX_NAME)
        text = await wait_final(fake, req_id)
        docs_req = await fake.push_text(USER, "/docs")
        docs_text = await wait_final(fake, docs_req)

    assert text == "该操作仅限管理员。"
    assert docs_text == "该操作仅限管理员。"
    assert fake.downloads == []


async def test_admin_file_is_ingested_and_then_answerable(
    fake: FakeWeCom, real_services: tuple[Services, Path]
) -> None:
    services, data_dir = real_services
    async with running_wecom(wecom_settings(fake, data_dir), services):
        req_id = await fake.push_file(ADMIN, docx_bytes(), DOCX_NAME)
        confirmed = await wait_final(fake, req_id)
        ask_req = await fake.push_text(ADMIN, "全县为家养犬只接种兽用狂犬病疫苗多少只？")
        answer = await wait_final(fake, ask_req)
        docs_req = await fake.push_text(ADMIN, "/docs")
        docs_text = await wait_final(fake, docs_req)

    assert fake.downloads == [DOCX_NAME]
    assert confirmed.startswith(f"已导入 {DOCX_NAME}：1 篇文章")
    assert "9300只" in answer
    assert "青禾县2025年狂犬病防控工作总结" in answer
    assert f"`{DOCX_NAME}`" in docs_text


async def test_draft_text_then_docx_through_the_chunked_upload(
    fake: FakeWeCom, real_services: tuple[Services, Path]
) -> None:
    from docx import Document

    services, data_dir = real_services
    async with running_wecom(wecom_settings(fake, data_dir), services):
        req_id = await fake.push_text(USER, "/draft 下半年传染病防控工作计划")
        [file_reply] = await fake.wait_for(
            lambda f: [r for r in replies_to(f, req_id) if r.body["msgtype"] == "file"], timeout=90
        )
    text = final_text(fake, req_id)
    name, data = fake.media[file_reply.body["file"]["media_id"]]
    assert file_reply.errcode == 0
    assert text is not None
    assert "计划" in text.splitlines()[0]
    assert name.endswith(".docx")
    assert fake.frames("aibot_upload_media_chunk", ok=True)
    assert fake.frames("aibot_upload_media_finish", ok=True)
    document = Document(io.BytesIO(data))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "计划" in body


async def test_group_answers_only_when_mentioned_and_other_types_get_a_note(
    fake: FakeWeCom, real_services: tuple[Services, Path]
) -> None:
    services, data_dir = real_services
    async with running_wecom(wecom_settings(fake, data_dir), services):
        silent = await fake.push_text(
            USER, "家庭医生签约率要提高到多少？", chattype="group", chatid=GROUP, mention=False
        )
        asked = await fake.push_text(USER, "家庭医生签约率要提高到多少？", chattype="group", chatid=GROUP)
        answer = await wait_final(fake, asked)
        image = await fake._push_msg(
            USER, "image", {"image": {"url": "http://x", "aeskey": "k"}}, "single", None
        )
        note = await wait_final(fake, image)
        other_group = await fake.push_text(USER, "你好", chattype="group", chatid="wrgroup-unknown")
        group_refusal = await wait_final(fake, other_group)

    assert "45%" in answer
    assert replies_to(fake, silent) == []
    assert note.startswith("暂时只能处理文字消息")
    assert "`wrgroup-unknown`" in group_refusal


async def test_reconnects_after_a_drop_and_still_answers(
    fake: FakeWeCom, real_services: tuple[Services, Path]
) -> None:
    services, data_dir = real_services
    async with running_wecom(wecom_settings(fake, data_dir), services) as client:
        await fake.drop()
        await fake.wait_for(lambda f: f.subscriptions >= 2 and f.live_connections == 1, timeout=10)
        req_id = await fake.push_text(USER, "家庭医生签约率要提高到多少？")
        answer = await wait_final(fake, req_id)
    assert client.connections >= 2
    assert "45%" in answer


async def test_secret_never_in_logs(
    fake: FakeWeCom, real_services: tuple[Services, Path], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    services, data_dir = real_services
    async with running_wecom(wecom_settings(fake, data_dir), services):
        await wait_final(fake, await fake.push_text(USER, QUESTION))
        await fake.drop()
        await fake.wait_for(lambda f: f.subscriptions >= 2 and f.live_connections == 1, timeout=10)
    logs = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    assert "aibot_subscribe" in logs  # the frames were logged at DEBUG …
    assert fake.secret not in logs  # … with the secret masked
    assert markdown_sent(fake, USER) == []


async def test_llm_answer_streams_the_whole_text_so_far_paced(
    fake: FakeWeCom, real_services: tuple[Services, Path], openai_server: FakeOpenAIServer
) -> None:
    services, data_dir = real_services
    llm = build_chat_model(openai_server.base_url, "test-key", "fake-model", timeout=20)
    streaming = services.replace(answers=AnswerService(services.searcher, llm, top_k=5))
    reply = "上半年开展手足口病防控培训6次[1]。" + "全县累计报告手足口病病例132例，均为轻症[1]。" * 3
    openai_server.script(reply, chunk_chars=4, chunk_delay=0.1)
    async with running_wecom(wecom_settings(fake, data_dir), streaming):
        req_id = await fake.push_text(USER, QUESTION)
        await wait_card(fake, req_id)
    frames = [r for r in replies_to(fake, req_id) if r.body["msgtype"] == "stream"]
    partial = [r.body["stream"]["content"].removesuffix(" ▍") for r in frames[1:-1]]
    assert len(partial) >= 2
    assert all(b.startswith(a) for a, b in itertools.pairwise(partial))  # whole text, growing
    assert "上半年开展手足口病防控培训6次".startswith(partial[0][:4])
    assert len(frames) <= 6  # ~20 pieces over ~2 s, refreshed at most once a second
    final = frames[-1].body["stream"]
    assert final["finish"] is True
    assert final["content"].startswith("上半年开展手足口病防控培训6次[1]。全县累计报告手足口病病例132例")
    assert "**来源**\n[1] 青禾县卫生健康局2025年上半年工作总结" in final["content"]


class _BrokenAnswers:
    """An answer service that fails the way a bug would (not a core error)."""

    def answer(self, *args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")


async def test_a_failing_answer_ends_the_stream_with_one_apology(
    fake: FakeWeCom, real_services: tuple[Services, Path]
) -> None:
    services, data_dir = real_services
    broken = services.replace(answers=_BrokenAnswers())
    async with running_wecom(wecom_settings(fake, data_dir), broken):
        req_id = await fake.push_text(USER, QUESTION)
        text = await wait_final(fake, req_id)
        await wait_final(fake, await fake.push_text(USER, "/help"))
    assert text == "抱歉，处理您的请求时出错了，请稍后再试。"
    assert markdown_sent(fake, USER) == []  # said once, in the stream
    assert [r.body["msgtype"] for r in replies_to(fake, req_id)] == ["stream", "stream"]


async def test_admin_commands(fake: FakeWeCom, real_services: tuple[Services, Path]) -> None:
    services, data_dir = real_services
    async with running_wecom(wecom_settings(fake, data_dir), services):
        help_admin = await wait_final(fake, await fake.push_text(ADMIN, "/help"))
        help_user = await wait_final(fake, await fake.push_text(USER, "/help"))
        stats = await wait_final(fake, await fake.push_text(ADMIN, "/stats"))
        missing = await wait_final(fake, await fake.push_text(ADMIN, "/delete no_such_report.txt"))
        started = await wait_final(fake, await fake.push_text(ADMIN, "/reindex"))
        [done] = await fake.wait_for(lambda f: markdown_sent(f, ADMIN), timeout=120)
        unknown = await wait_final(fake, await fake.push_text(USER, "/frobnicate"))
    assert "**管理员**" in help_admin
    assert "/reindex" in help_admin
    assert "**管理员**" not in help_user
    assert stats.startswith("**统计**\n文档：")
    assert missing == "没有找到文档“no_such_report.txt”。发送 /docs 查看文档列表。"
    assert started == "开始重建索引，完成后会通知您。"
    assert done.startswith("**重建索引完成**")
    assert unknown == "没有这个命令。发送 /help 查看可用的命令。"
