"""Deny by default: who may use the bot where."""

from __future__ import annotations

import pytest

from bot.telegram.access import AccessPolicy

POLICY = AccessPolicy.from_ids(users=[1], chats=[-100], admins=[9])


@pytest.mark.parametrize(
    ("user", "chat", "chat_type", "allowed"),
    [
        (1, 1, "private", True),
        (9, 9, "private", True),  # admins may ask too
        (2, 2, "private", False),
        (2, -100, "supergroup", True),  # anyone in an allowed group
        (1, -200, "group", False),  # an allowed user cannot open an unapproved group
        (9, -200, "supergroup", False),
        (1, -100, "channel", False),
    ],
)
def test_allows(user: int, chat: int, chat_type: str, allowed: bool) -> None:
    assert POLICY.allows(user, chat, chat_type) is allowed


def test_nobody_is_allowed_or_admin_by_default() -> None:
    empty = AccessPolicy.from_ids([], [], [])
    assert not empty.allows(1, 1, "private")
    assert not empty.is_admin(1)
    assert POLICY.is_admin(9)
    assert not POLICY.is_admin(1)
