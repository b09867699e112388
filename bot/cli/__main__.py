"""``python -m bot.cli``: the same as the ``reportbot`` command."""

from bot.cli import main

main()
