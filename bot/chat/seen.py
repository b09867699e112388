"""Messages already handled, by the platform's message id: a platform may deliver a message again after a
reconnect (WeCom's callbacks, DingTalk's unacknowledged Stream frames), and a user must get one answer.
"""

from __future__ import annotations

from collections import OrderedDict

REMEMBERED_MESSAGES = 10_000


class SeenMessages:
    """The ids of the last ``size`` messages handled; ``repeated(id)`` remembers an id and says if it was known."""

    def __init__(self, size: int = REMEMBERED_MESSAGES) -> None:
        self.size = size
        self._seen: OrderedDict[str, None] = OrderedDict()

    def repeated(self, message_id: str) -> bool:
        """True for a message already handled; an empty id is never a repeat (nothing to compare)."""
        if not message_id:
            return False
        if message_id in self._seen:
            return True
        self._seen[message_id] = None
        while len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return False
