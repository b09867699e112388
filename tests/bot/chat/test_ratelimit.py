"""Per-user rate limit: N questions a minute, one notice per burst."""

from __future__ import annotations

from bot.chat.ratelimit import RateDecision, RateLimiter


def test_limit_then_one_notice_then_silence_then_allowed_again() -> None:
    limiter = RateLimiter(per_minute=2)
    assert [limiter.check(1, now=t) for t in (0.0, 1.0)] == [RateDecision.ALLOW, RateDecision.ALLOW]
    assert limiter.check(1, now=2.0) is RateDecision.NOTIFY
    assert limiter.retry_in(1, now=2.0) == 58
    assert limiter.check(1, now=3.0) is RateDecision.DROP
    assert limiter.check(1, now=60.5) is RateDecision.ALLOW
    assert limiter.check(1, now=60.6) is RateDecision.NOTIFY


def test_users_are_limited_separately() -> None:
    limiter = RateLimiter(per_minute=1)
    assert limiter.check(1, now=0.0) is RateDecision.ALLOW
    assert limiter.check(2, now=0.0) is RateDecision.ALLOW
    assert limiter.check(1, now=0.5) is RateDecision.NOTIFY
    assert limiter.retry_in(2, now=0.5) == 60
    assert limiter.retry_in(3, now=0.5) == 0
