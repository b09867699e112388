"""The long-connection lifecycle every WebSocket front end inherits: reconnect after drops, stop, fatal errors."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.chat.connection import LongConnection, decode, encode


class Scripted(LongConnection):
    """A client whose connections end as scripted: an error to raise, or True to renew at once."""

    def __init__(self, outcomes: list[BaseException | bool]) -> None:
        super().__init__(
            "test", "s3cr3t-value", logging.getLogger("test.connection"), backoff_base=0.01, backoff_max=0.02
        )
        self.outcomes = outcomes
        self.closed = 0
        self.settled = asyncio.Event()
        """Set once every scripted outcome was played and a connection stays open."""

    async def _connection(self) -> bool:
        self.ready.set()
        if not self.outcomes:
            self.settled.set()
            await self._stop.wait()
            return False
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def _closed(self) -> None:
        self.closed += 1


async def test_drops_are_reconnected_and_stop_ends_the_run() -> None:
    client = Scripted([OSError("reset"), ConnectionError("gone"), True])
    task = asyncio.create_task(client.run())
    async with asyncio.timeout(5):
        await client.settled.wait()
    await client.stop()
    async with asyncio.timeout(5):
        await task
    assert client.closed == 4  # three ended connections and the one stop closed
    assert not client.ready.is_set()


async def test_a_fatal_error_ends_the_run() -> None:
    class Refused(Exception):
        pass

    client = Scripted([OSError("reset"), Refused("bad secret")])
    client.FATAL = (Refused,)  # type: ignore[misc]
    with pytest.raises(Refused):
        async with asyncio.timeout(5):
            await client.run()


def test_frames_are_compact_json_text_and_only_objects_are_frames() -> None:
    assert encode({"text": "上半年"}) == '{"text":"上半年"}'
    assert decode('{"cmd": "ping"}') == {"cmd": "ping"}
    with pytest.raises(TypeError):
        decode("[1, 2]")
    with pytest.raises(ValueError, match="Expecting value"):
        decode("not json")
