"""Deny by default: who may use the bot where."""

from __future__ import annotations

import pytest

from bot.chat.access import AccessPolicy, ChatKind

POLICY = AccessPolicy.from_ids(users=[1], chats=[-100], admins=[9])


@pytest.mark.parametrize(
    ("user", "chat", "kind", "allowed"),
    [
        (1, 1, ChatKind.PRIVATE, True),
        (9, 9, ChatKind.PRIVATE, True),  # admins may ask too
        (2, 2, ChatKind.PRIVATE, False),
        (2, -100, ChatKind.GROUP, True),  # anyone in an allowed group
        (1, -200, ChatKind.GROUP, False),  # an allowed user cannot open an unapproved group
        (9, -200, ChatKind.GROUP, False),
        (1, -100, ChatKind.OTHER, False),
    ],
)
def test_allows(user: int, chat: int, kind: ChatKind, allowed: bool) -> None:
    assert POLICY.allows(user, chat, kind) is allowed


def test_nobody_is_allowed_or_admin_by_default() -> None:
    empty = AccessPolicy.from_ids([], [], [])
    assert not empty.allows(1, 1, ChatKind.PRIVATE)
    assert not empty.is_admin(1)
    assert POLICY.is_admin(9)
    assert not POLICY.is_admin(1)
