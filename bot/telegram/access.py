"""Who may use the bot: deny by default; admins are listed by numeric id (usernames can change)."""

from __future__ import annotations

from dataclasses import dataclass

from telegram.constants import ChatType


@dataclass(frozen=True)
class AccessPolicy:
    """Allow-lists from the settings.

    In a private chat the user must be allowed (or an admin). In a group the chat itself must be allowed:
    an allowed user in a group nobody approved would otherwise show internal answers to everyone there.
    Admin actions need an admin in a private chat.
    """

    allowed_user_ids: frozenset[int]
    allowed_chat_ids: frozenset[int]
    admin_user_ids: frozenset[int]

    @classmethod
    def from_ids(cls, users: list[int], chats: list[int], admins: list[int]) -> AccessPolicy:
        return cls(frozenset(users), frozenset(chats), frozenset(admins))

    def allows(self, user_id: int, chat_id: int, chat_type: str) -> bool:
        """True when this user may talk to the bot in this chat."""
        if chat_type == ChatType.PRIVATE:
            return user_id in self.allowed_user_ids or user_id in self.admin_user_ids
        if chat_type in (ChatType.GROUP, ChatType.SUPERGROUP):
            return chat_id in self.allowed_chat_ids
        return False

    def is_admin(self, user_id: int) -> bool:
        return user_id in self.admin_user_ids
