"""What WeCom's errors mean to the chat core's delivery policy: retry, or give up at once."""

from __future__ import annotations

from bot.chat.delivery import Transient
from bot.wecom.delivery import RATE_LIMIT_WAIT, classify
from bot.wecom.errors import (
    WeComAckTimeout,
    WeComAuthError,
    WeComNotConnected,
    WeComRequestError,
    WeComStreamClosed,
)


def test_busy_timeouts_and_dropped_connections_are_retried() -> None:
    assert classify(WeComRequestError("aibot_respond_msg", -1, "system busy")) == Transient()
    assert classify(WeComRequestError("aibot_send_msg", 45009, "api freq out of limit")) == Transient(
        RATE_LIMIT_WAIT
    )
    assert classify(WeComAckTimeout("no ack")) == Transient()
    assert classify(WeComNotConnected("connection closed")) == Transient()


def test_auth_unknown_req_id_and_closed_streams_give_up_at_once() -> None:
    assert classify(WeComAuthError("invalid secret")) is None
    assert classify(WeComRequestError("aibot_respond_msg", 40053, "unknown req_id")) is None
    assert classify(WeComRequestError("aibot_respond_msg", 40071, "stream expired")) is None
    assert classify(WeComStreamClosed("finished")) is None
    assert classify(ValueError("a bug")) is None
