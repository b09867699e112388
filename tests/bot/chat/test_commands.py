"""The shared markdown commands answer within the front end's budget per message (DingTalk's is smaller)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.chat import commands
from bot.chat.render.markdown import byte_len
from retrieval.types import DocumentInfo


class FakeChat:
    def __init__(self, documents: list[DocumentInfo]) -> None:
        self._documents = documents

    async def documents(self, who: object) -> list[DocumentInfo]:
        return self._documents


@dataclass
class FakeContext:
    chat: FakeChat
    part_bytes: int
    who: object = None
    args: str = ""
    mention_name: str = "bot"
    sent: list[list[str]] = field(default_factory=list)

    async def reply(self, parts: list[str] | str) -> None:
        self.sent.append([parts] if isinstance(parts, str) else parts)

    async def notify(self, parts: list[str]) -> None:
        self.sent.append(parts)


async def test_docs_are_cut_to_the_front_ends_budget() -> None:
    documents = [
        DocumentInfo(
            f"d{i}", f"{i:03}_某市工作总结.docx", "某市2023年上半年工作总结" * 3, "/x", "h", 9, 1, ""
        )
        for i in range(120)
    ]
    ctx = FakeContext(FakeChat(documents), part_bytes=6000)
    await commands.docs(ctx)  # type: ignore[arg-type]
    [parts] = ctx.sent
    assert len(parts) > 1
    assert all(byte_len(p) <= 6000 for p in parts)
    assert "".join(parts).count("某市工作总结.docx") == 120
