"""Admin uploads: checked before download, checked by content after, saved, ingested, reported."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.bot.conftest import ADMIN, bot_settings, running_bot
from tests.bot.fakes import FakeFileResult, FakeIngest, FakeServices
from tests.bot.telegram.sample_reports import docx_bytes

if TYPE_CHECKING:
    from tests.bot.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.asyncio(loop_scope="function")


async def upload_and_read_reply(
    api: FakeBotApi, tmp_path, services: FakeServices, name: str, data: bytes, **kw
) -> str:
    async with running_bot(bot_settings(api, tmp_path), services, api=api):
        api.send_document(ADMIN, name, data, **kw)
        await api.wait_for(
            lambda a: a.bot_messages(ADMIN) and not a.bot_messages(ADMIN)[-1]["text"].endswith("…")
        )
    return api.bot_messages(ADMIN)[-1]["text"]


async def test_a_good_upload_is_saved_and_ingested(fake_api: FakeBotApi, tmp_path) -> None:
    services = FakeServices()
    data = docx_bytes(["总结", "内容。"])
    reply = await upload_and_read_reply(fake_api, tmp_path, services, "../上半年总结.docx", data)
    saved = tmp_path / "uploads" / "上半年总结.docx"
    assert reply == "已导入 上半年总结.docx：1 篇文章，3 个段落。"
    assert services.ingest.ingested == [saved]
    assert saved.read_bytes() == data
    assert list((tmp_path / "uploads" / ".incoming").iterdir()) == []


async def test_unsupported_type_is_refused_before_download(fake_api: FakeBotApi, tmp_path) -> None:
    services = FakeServices()
    reply = await upload_and_read_reply(fake_api, tmp_path, services, "表格.xlsx", b"PK\x03\x04")
    assert (
        reply
        == "不支持的文件类型（.xlsx）。可以上传 txt、md、docx、doc、wps、pdf、ofd、html 文件，或扫描件图片（png、jpg、tif）。"
    )
    assert fake_api.calls_of("getFile") == []
    assert services.ingest.ingested == []


async def test_too_big_is_refused_before_download(fake_api: FakeBotApi, tmp_path) -> None:
    services = FakeServices()
    reply = await upload_and_read_reply(
        fake_api, tmp_path, services, "大文件.pdf", b"%PDF-1.4", declared_size=25 * 1024 * 1024
    )
    assert reply == "文件太大（25.0 MB）：机器人最多只能下载 20 MB 的文件。"
    assert fake_api.calls_of("getFile") == []
    assert not (tmp_path / "uploads").exists()


async def test_content_that_does_not_match_the_extension_is_rejected(fake_api: FakeBotApi, tmp_path) -> None:
    services = FakeServices()
    reply = await upload_and_read_reply(fake_api, tmp_path, services, "伪装.docx", "只是文本".encode())
    assert reply == "未导入 伪装.docx：文件内容不是 Word（.docx）文档。"
    assert services.ingest.ingested == []
    assert not (tmp_path / "uploads" / "伪装.docx").exists()
    assert list((tmp_path / "uploads" / ".incoming").iterdir()) == []


class FailingIngest(FakeIngest):
    def ingest_file(self, path, *, source=None):
        self.ingested.append(path)
        return FakeFileResult(source or path.name, "failed", error="文件中没有可用的文字内容")


async def test_a_failed_ingest_says_why_and_keeps_the_previous_file(fake_api: FakeBotApi, tmp_path) -> None:
    previous = tmp_path / "uploads" / "计划.txt"
    previous.parent.mkdir(parents=True)
    previous.write_text("旧版本。", encoding="utf-8")
    services = FakeServices(ingest=FailingIngest())
    reply = await upload_and_read_reply(fake_api, tmp_path, services, "计划.txt", "   新版本   ".encode())
    assert reply == "未能导入 计划.txt：文件中没有可用的文字内容"
    assert previous.read_text(encoding="utf-8") == "旧版本。"
    audit = (tmp_path / "audit.log").read_text(encoding="utf-8")
    assert f'user={ADMIN} chat={ADMIN} action=upload outcome=failed what="计划.txt"' in audit
