"""The core's delivery policy: transient failures retried with backoff until the deadline, final ones not."""

from __future__ import annotations

import itertools
import time

import pytest

from bot.chat.delivery import DeliveryFailed, DeliveryPolicy, Transient, with_retries

POLICY = DeliveryPolicy(deadline=1.0, backoff_first=0.05, backoff_max=0.2)


class Flaky(Exception):
    pass


class Refused(Exception):
    pass


class Slow(Exception):
    pass


def classify(exc: BaseException) -> Transient | None:
    if isinstance(exc, Slow):
        return Transient(retry_after=0.3)
    return Transient() if isinstance(exc, Flaky) else None


def failing(errors: list[Exception]):
    calls: list[float] = []

    async def attempt() -> str:
        calls.append(time.monotonic())
        if errors:
            raise errors.pop(0)
        return "sent"

    return attempt, calls


async def test_transient_failures_are_retried_until_it_goes_through() -> None:
    attempt, calls = failing([Flaky(), Flaky(), Flaky()])
    assert await with_retries(attempt, classify, POLICY) == "sent"
    assert len(calls) == 4
    assert [round(b - a, 1) for a, b in itertools.pairwise(calls)] == [0.1, 0.1, 0.2]


async def test_retry_after_is_respected() -> None:
    attempt, calls = failing([Slow()])
    assert await with_retries(attempt, classify, POLICY) == "sent"
    assert calls[1] - calls[0] >= 0.3


async def test_a_final_failure_is_not_retried() -> None:
    attempt, calls = failing([Refused()])
    with pytest.raises(Refused):
        await with_retries(attempt, classify, POLICY)
    assert len(calls) == 1


async def test_giving_up_at_the_deadline_says_so() -> None:
    attempt, calls = failing([Flaky()] * 100)
    started = time.monotonic()
    with pytest.raises(DeliveryFailed) as raised:
        await with_retries(attempt, classify, POLICY)
    # no attempt starts after the deadline; the event loop may run a few ms late on a loaded machine
    assert calls[-1] - started <= POLICY.deadline
    assert time.monotonic() - started <= POLICY.deadline + 0.25
    assert raised.value.reason == "Flaky"
    assert raised.value.attempts == len(calls) > 3
