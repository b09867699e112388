"""The Telegram front end: ``build_application(settings, services)`` builds the bot."""

from __future__ import annotations

from bot.telegram.app import build_application

__all__ = ["build_application"]
