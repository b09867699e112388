"""Telegram handlers, one job per module; ``bot.telegram.app`` registers them in one list."""
