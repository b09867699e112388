"""Typed bot state: what every handler can reach (the chat core, services, settings)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from telegram.ext import CallbackContext, ExtBot

if TYPE_CHECKING:
    from bot.chat.access import AccessPolicy
    from bot.chat.audit import AuditLog
    from bot.chat.ratelimit import RateLimiter
    from bot.chat.service import ChatService
    from bot.services import Services
    from bot.settings import Settings


class BotData:
    """Application-wide state (``context.bot_data``); ``build_application`` fills it in once."""

    services: Services
    settings: Settings
    chat: ChatService

    @property
    def access(self) -> AccessPolicy:
        """The Telegram allow-lists."""
        return self.chat.policy

    @property
    def audit(self) -> AuditLog:
        """The audit log (lines stamped ``frontend=telegram``)."""
        return self.chat.audit

    @property
    def limiter(self) -> RateLimiter:
        """The per-user rate limiter."""
        return self.chat.limiter


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """The context every handler receives, with typed shortcuts."""

    @property
    def services(self) -> Services:
        """The core services."""
        return self.bot_data.services

    @property
    def settings(self) -> Settings:
        """The settings the bot was built with."""
        return self.bot_data.settings

    @property
    def chat(self) -> ChatService:
        """The chat core's session API for Telegram."""
        return self.bot_data.chat
