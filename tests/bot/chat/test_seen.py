"""A message delivered again after a reconnect is recognised; the memory stays bounded."""

from __future__ import annotations

from bot.chat.seen import SeenMessages


def test_repeats_are_recognised_and_the_oldest_forgotten() -> None:
    seen = SeenMessages(size=3)
    assert [seen.repeated(m) for m in ("a", "b", "a", "c", "d")] == [False, False, True, False, False]
    assert seen.repeated("d")
    assert not seen.repeated("a")  # forgotten after three newer ones
    assert not seen.repeated("")  # no id: never a repeat
    assert not seen.repeated("")
