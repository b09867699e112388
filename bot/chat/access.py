"""Who may use a front end: deny by default, on plain string ids (each front end has its own lists)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

ADMIN_ACTIONS = frozenset({"docs", "delete", "reindex", "stats", "upload"})
"""Actions only an admin may take, and only in a private chat."""

DENIED_NOTICE_SECONDS = 600.0
"""A stranger is told their id at most once in this many seconds (per user, or per group)."""
DENIED_MEMORY = 10_000

UNKNOWN_USER = "抱歉，您还没有使用权限。您的用户 ID 是 {id}，请把它发给管理员开通。"
UNKNOWN_GROUP = "本群尚未开通问答。群 ID 是 {id}，请管理员将其加入允许列表。"
NOT_PERMITTED_BUTTON = "您没有使用权限。"
ADMIN_ONLY = "该操作仅限管理员。"
ADMIN_PRIVATE_ONLY = "请在与机器人的私聊中使用管理功能。"


class ChatKind(Enum):
    """Where a message was written: a one-to-one chat, a group, or anything else (channels)."""

    PRIVATE = "private"
    GROUP = "group"
    OTHER = "other"


def _ids(values: Iterable[int | str]) -> frozenset[str]:
    return frozenset(str(v).strip() for v in values if str(v).strip())


@dataclass(frozen=True)
class AccessPolicy:
    """Allow-lists of one front end.

    In a private chat the user must be allowed (or an admin). In a group the chat itself must be allowed:
    an allowed user in a group nobody approved would otherwise show internal answers to everyone there.
    Admin actions need an admin in a private chat.
    """

    allowed_user_ids: frozenset[str]
    allowed_chat_ids: frozenset[str]
    admin_user_ids: frozenset[str]

    @classmethod
    def from_ids(
        cls, users: Iterable[int | str], chats: Iterable[int | str], admins: Iterable[int | str]
    ) -> AccessPolicy:
        """A policy from id lists (numbers or strings; compared as strings)."""
        return cls(_ids(users), _ids(chats), _ids(admins))

    def allows(self, user_id: int | str, chat_id: int | str, kind: ChatKind) -> bool:
        """True when this user may talk to the bot in this chat."""
        if kind is ChatKind.PRIVATE:
            return str(user_id) in self.allowed_user_ids or str(user_id) in self.admin_user_ids
        if kind is ChatKind.GROUP:
            return str(chat_id) in self.allowed_chat_ids
        return False

    def is_admin(self, user_id: int | str) -> bool:
        """True for a listed admin."""
        return str(user_id) in self.admin_user_ids


class AccessDecision(Enum):
    """What the access check decided for one request."""

    ALLOW = "allow"
    STRANGER = "stranger"  # not allowed here at all
    ADMIN_ONLY = "admin_only"  # an allowed non-admin asked for an admin action
    PRIVATE_ONLY = "private_only"  # an admin action outside a private chat


def check(policy: AccessPolicy, user_id: str, chat_id: str, kind: ChatKind, action: str) -> AccessDecision:
    """Decide whether ``user_id`` may do ``action`` in this chat (deny by default)."""
    if not policy.allows(user_id, chat_id, kind):
        return AccessDecision.STRANGER
    if action not in ADMIN_ACTIONS:
        return AccessDecision.ALLOW
    if kind is not ChatKind.PRIVATE:
        return AccessDecision.PRIVATE_ONLY
    return AccessDecision.ALLOW if policy.is_admin(user_id) else AccessDecision.ADMIN_ONLY


@dataclass
class DeniedNotices:
    """Remembers when each stranger (user, or group) was last told their id, so they are told rarely."""

    interval: float = DENIED_NOTICE_SECONDS
    _told: dict[str, float] = field(default_factory=dict)

    def due(self, key: str, now: float | None = None) -> bool:
        """True (and remembered) when ``key`` has not been told within the interval."""
        now = time.monotonic() if now is None else now
        if now - self._told.get(key, -self.interval) < self.interval:
            return False
        if len(self._told) > DENIED_MEMORY:  # strangers can be many; forget the old ones
            self._told = {k: t for k, t in self._told.items() if now - t < self.interval}
        self._told[key] = now
        return True
