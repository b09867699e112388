""".env.example documents every setting and stays in step with bot/settings.py."""

from __future__ import annotations

from bot.env_example import render_env_example
from bot.settings import Settings
from tests.conftest import REPO_DIR

ENV_EXAMPLE = REPO_DIR / ".env.example"


def test_every_setting_is_documented() -> None:
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        assert f"REPORTBOT_{name.upper()}=" in text, f"REPORTBOT_{name.upper()} missing from .env.example"
        assert field.description, f"Settings.{name} has no description to document"
        assert field.description in text


def test_env_example_is_up_to_date() -> None:
    assert ENV_EXAMPLE.read_text(encoding="utf-8") == render_env_example(), (
        ".env.example is out of date: run `python -m bot.env_example > .env.example`"
    )


def test_a_copied_env_example_loads_with_the_defaults() -> None:
    settings = Settings(_env_file=ENV_EXAMPLE)
    assert settings == Settings(_env_file=None)
    assert not settings.token_looks_valid()  # the token is the one thing to fill in
