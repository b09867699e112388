"""Files to users: 512 KB chunks through init → chunk × N → finish, reassembled by the fake, sent as ``file``."""

from __future__ import annotations

import io
import os
from typing import TYPE_CHECKING

import docx
import pytest

from bot.wecom import WeComUploadTooLarge, send_file, upload_media
from bot.wecom.upload import CHUNK_SIZE, MAX_CHUNKS
from tests.bot.wecom.conftest import running_client

if TYPE_CHECKING:
    from tests.bot.wecom.fake_server import FakeWeCom


def big_docx() -> bytes:
    """A real .docx over two chunks (random text does not compress much)."""
    document = docx.Document()
    document.add_heading("2025年上半年传染病防控工作总结", level=1)
    for _ in range(300):
        document.add_paragraph(os.urandom(3000).hex())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


async def test_a_docx_goes_up_in_chunks_and_arrives_whole(fake: FakeWeCom) -> None:
    data = big_docx()
    assert len(data) > 2 * CHUNK_SIZE
    async with running_client(fake) as client:
        await fake.push_text("zhangsan", "/draft 手足口病")
        media_id = await send_file(client, "zhangsan", data, "手足口病防控总结.docx")
    init = fake.frames("aibot_upload_media_init")[0].body
    chunks = fake.frames("aibot_upload_media_chunk")
    assert init["total_size"] == len(data)
    assert init["total_chunks"] == len(chunks) == -(-len(data) // CHUNK_SIZE)
    assert [c.body["chunk_index"] for c in chunks] == list(range(len(chunks)))  # from 0
    assert all(c.errcode == 0 for c in chunks)
    name, stored = fake.media[media_id]
    assert name == "手足口病防控总结.docx"
    assert stored == data
    assert docx.Document(io.BytesIO(stored)).paragraphs[0].text == "2025年上半年传染病防控工作总结"
    sent = fake.frames("aibot_send_msg")[0]
    assert sent.errcode == 0
    assert sent.body == {"chatid": "zhangsan", "msgtype": "file", "file": {"media_id": media_id}}


async def test_a_file_over_100_chunks_is_refused_before_sending_anything(fake: FakeWeCom) -> None:
    async with running_client(fake) as client:
        with pytest.raises(WeComUploadTooLarge, match="100"):
            await upload_media(client, b"x" * (MAX_CHUNKS * CHUNK_SIZE + 1), "huge.pdf")
    assert fake.frames("aibot_upload_media_init") == []


async def test_a_single_small_chunk_upload(fake: FakeWeCom) -> None:
    async with running_client(fake) as client:
        media_id = await upload_media(client, "简短".encode(), "a.txt")
    assert fake.media[media_id] == ("a.txt", "简短".encode())
    assert len(fake.frames("aibot_upload_media_chunk")) == 1
