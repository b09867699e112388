"""Delivery policy shared by chat front ends: how often a live (streaming) message may change.

This is the seam for the reliability work on delivery (retries with backoff, flood limits per chat and
overall, deadlines, the audit outcome of a delivery): front ends send through the ``deliver`` callbacks
that ``ChatService.ask``/``draft`` await, and take their pacing from a ``DeliveryPolicy``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DeliveryPolicy:
    """Pacing of what a front end sends."""

    edit_interval: float = 1.0
    """At most one edit per this many seconds per message while an answer streams (Telegram's flood limits)."""


DEFAULT_POLICY = DeliveryPolicy()
