"""The field groups ``bot.settings.Settings`` is composed of, one module per concern.

Each group is a pydantic model holding its fields, their descriptions and their validators; ``Settings``
inherits them all and adds the environment (``REPORTBOT_`` prefix, ``.env``). Import ``Settings`` from
``bot.settings``, never a group: a group alone reads no environment.
"""
