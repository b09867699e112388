"""One upload path: the same refused file gets the same sentence on Telegram, WeCom and DingTalk; a file over the
one limit (``REPORTBOT_UPLOAD_MAX_MB``) is refused from the size the platform declares, before its body is read;
a download that fails is said plainly and leaves nothing behind."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.bot import conftest as telegram
from tests.bot.dingtalk import e2e as dingtalk_e2e
from tests.bot.fakes import FakeServices
from tests.bot.wecom import e2e as wecom_e2e

if TYPE_CHECKING:
    from pathlib import Path

    from tests.bot.dingtalk.fake_server import FakeDingTalk
    from tests.bot.fake_bot_api import FakeBotApi
    from tests.bot.wecom.fake_server import FakeWeCom

pytestmark = pytest.mark.asyncio(loop_scope="function")

MB = 1024 * 1024
TOO_BIG = "文件太大（25.0 MB）：机器人最多只能下载 20 MB 的文件。"


async def via_telegram(api: FakeBotApi, tmp_path: Path, name: str, data: bytes, declared: int | None) -> str:
    async with telegram.running_bot(telegram.bot_settings(api, tmp_path), FakeServices(), api=api):
        api.send_document(telegram.ADMIN, name, data, declared_size=declared)
        await api.wait_for(
            lambda a: (
                a.bot_messages(telegram.ADMIN)
                and not a.bot_messages(telegram.ADMIN)[-1]["text"].endswith("…")
            )
        )
    return str(api.bot_messages(telegram.ADMIN)[-1]["text"])


async def via_wecom(fake: FakeWeCom, tmp_path: Path, name: str, data: bytes, declared: int | None) -> str:
    async with wecom_e2e.running_wecom(wecom_e2e.wecom_settings(fake, tmp_path), FakeServices()):
        req_id = await fake.push_file(wecom_e2e.ADMIN, data, name, declared_size=declared)
        return await wecom_e2e.wait_final(fake, req_id, timeout=5)


async def via_dingtalk(
    fake: FakeDingTalk, tmp_path: Path, name: str, data: bytes, declared: int | None
) -> str:
    async with dingtalk_e2e.running_dingtalk(dingtalk_e2e.dingtalk_settings(fake, tmp_path), FakeServices()):
        await fake.push_file(dingtalk_e2e.ADMIN, data, name, declared_size=declared)
        await fake.wait_for(lambda f: any(not t.endswith("…") for t in f.texts_to(dingtalk_e2e.ADMIN)), 5)
    return [t for t in fake.texts_to(dingtalk_e2e.ADMIN) if not t.endswith("…")][-1]


@pytest.mark.parametrize(
    ("name", "data", "declared", "said"),
    [
        ("大文件.pdf", b"%PDF-1.4", 25 * MB, TOO_BIG),
        ("伪装.pdf", "只是文本，不是 PDF。".encode(), None, "未导入 伪装.pdf：文件内容不是 PDF 文档。"),
        ("空白.txt", b" \n\n ", None, "未导入 空白.txt：文件是空的。"),
    ],
    ids=["too-big", "text-named-pdf", "blank"],
)
async def test_the_same_refused_file_gets_the_same_sentence_on_every_chat(
    fake_api: FakeBotApi,
    fake: FakeWeCom,
    dingtalk: FakeDingTalk,
    tmp_path: Path,
    name: str,
    data: bytes,
    declared: int | None,
    said: str,
) -> None:
    texts = [
        await via_telegram(fake_api, tmp_path / "telegram", name, data, declared),
        await via_wecom(fake, tmp_path / "wecom", name, data, declared),
        await via_dingtalk(dingtalk, tmp_path / "dingtalk", name, data, declared),
    ]
    assert texts == [said] * 3
    for front_end in ("telegram", "wecom", "dingtalk"):  # nothing refused is kept
        assert not (tmp_path / front_end / "uploads" / name).exists()
    if declared is not None:
        assert fake_api.calls_of("getFile") == []  # Telegram declares the size in the message


async def test_wecom_and_dingtalk_refuse_a_big_file_from_its_headers_without_reading_the_body(
    fake: FakeWeCom, dingtalk: FakeDingTalk, tmp_path: Path
) -> None:
    # the fakes declare the size and hold the body back: a client that read it would wait for it and time out
    assert await via_wecom(fake, tmp_path / "w", "大文件.pdf", b"%PDF-1.4", 25 * MB) == TOO_BIG
    assert await via_dingtalk(dingtalk, tmp_path / "d", "大文件.pdf", b"%PDF-1.4", 25 * MB) == TOO_BIG
    for data_dir in (tmp_path / "w", tmp_path / "d"):
        audit = (data_dir / "audit.log").read_text(encoding="utf-8")
        assert "action=upload outcome=too_big" in audit
        assert f"size={25 * MB}" in audit
        assert not (data_dir / "uploads").exists()  # nothing was written


async def test_the_one_limit_comes_from_the_settings(fake: FakeWeCom, tmp_path: Path) -> None:
    settings = wecom_e2e.wecom_settings(fake, tmp_path, upload_max_mb=1)
    async with wecom_e2e.running_wecom(settings, FakeServices()):
        req_id = await fake.push_file(wecom_e2e.ADMIN, b"x" * (2 * MB), "两兆.txt")
        text = await wecom_e2e.wait_final(fake, req_id, timeout=10)
        help_id = await fake.push_text(wecom_e2e.ADMIN, "/help")
        help_text = await wecom_e2e.wait_final(fake, help_id, timeout=5)
    assert text == "文件太大（2.0 MB）：机器人最多只能下载 1 MB 的文件。"
    assert "不超过 1 MB" in help_text


async def test_an_expired_wecom_link_is_said_plainly_and_nothing_is_made_up(
    fake: FakeWeCom, tmp_path: Path
) -> None:
    async with wecom_e2e.running_wecom(wecom_e2e.wecom_settings(fake, tmp_path), FakeServices()):
        fake.store.url_ttl = -1  # the link has expired by the time the bot fetches it
        req_id = await fake.push_file(wecom_e2e.ADMIN, b"report", "报告.txt")
        text = await wecom_e2e.wait_final(fake, req_id, timeout=5)
    assert text == "下载文件失败：文件链接已失效或无法访问（链接只在 5 分钟内有效），请重新发送文件"
    audit = (tmp_path / "audit.log").read_text(encoding="utf-8")
    assert "action=upload outcome=download_failed" in audit
    assert "error=WeComDownloadError" in audit
    assert not (tmp_path / "uploads").exists()  # no check result, no path made up for a file that never came
