"""Front ends: the CLI (``bot.cli``), the chat core (``bot.chat``) and the chat platforms' glue (``bot.telegram``, ``bot.wecom``)."""
