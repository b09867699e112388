"""Files from users: the URL kept whole (query string, http://), AES-decrypted, named by Content-Disposition."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest

from bot.wecom import WeComDownloadError, download_media, filename_from_disposition
from tests.bot.wecom.conftest import Recorder, running_client

if TYPE_CHECKING:
    from tests.bot.wecom.fake_server import FakeWeCom

NAME = "2025年上半年工作总结（终稿）.docx"
DATA = "上半年共报告手足口病病例 1,234 例。".encode() * 50


async def received_file(fake: FakeWeCom, disposition: str = "both") -> tuple[str, str]:
    recorder = Recorder()
    async with running_client(fake, recorder):
        await fake.push_file("admin01", DATA, NAME, disposition=disposition)
        message = await asyncio.wait_for(recorder.messages.get(), 5)
    assert message.msgtype == "file"
    assert message.chattype == "single"
    assert message.file_url
    assert message.aeskey
    assert len(message.aeskey) == 43
    return message.file_url, message.aeskey


@pytest.mark.parametrize("disposition", ["both", "extended", "plain"])
async def test_a_users_file_is_downloaded_decrypted_and_named(fake: FakeWeCom, disposition: str) -> None:
    url, aeskey = await received_file(fake, disposition)
    assert url.startswith("http://127.0.0.1:")
    downloaded = await download_media(url, aeskey)
    assert downloaded.data == DATA
    assert downloaded.filename == NAME


async def test_the_query_string_is_part_of_the_url(fake: FakeWeCom) -> None:
    url, aeskey = await received_file(fake)
    with pytest.raises(WeComDownloadError, match="403"):
        await download_media(url.split("?")[0], aeskey)
    assert fake.downloads == []


async def test_an_expired_link_is_a_clear_error(fake: FakeWeCom) -> None:
    url, aeskey = await received_file(fake)
    fake.advance(301)
    with pytest.raises(WeComDownloadError, match="5 minutes"):
        await download_media(url, aeskey)


async def test_a_file_over_the_size_cap_is_not_kept(fake: FakeWeCom) -> None:
    url, aeskey = await received_file(fake)
    with pytest.raises(WeComDownloadError, match="larger"):
        await download_media(url, aeskey, max_bytes=100)


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("attachment; filename=\"report.pdf\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf", "报告.pdf"),
        ("attachment; filename*=utf-8''%E6%8A%A5%E5%91%8A%201.docx", "报告 1.docx"),
        ('attachment; filename="plain name.txt"', "plain name.txt"),
        ("attachment; filename=bare.txt", "bare.txt"),
        ("attachment", None),
        (None, None),
    ],
)
def test_file_names_from_content_disposition(header: str | None, name: str | None) -> None:
    assert filename_from_disposition(header) == name
