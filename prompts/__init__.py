"""Prompt templates stored as text files beside this module, loaded by name.

Each file starts with a comment line listing its variables, e.g. ``# vars: question, passages``;
the rest is a ``str.format`` template.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["Prompt", "load_prompt", "prompt_names"]


class Prompt:
    """A named template and the variables it takes."""

    def __init__(self, name: str, template: str, variables: tuple[str, ...]) -> None:
        self.name = name
        self.template = template
        self.variables = variables

    def format(self, **values: str) -> str:
        """Fill the template; a missing or unexpected variable is a programming error."""
        missing = set(self.variables) - values.keys()
        extra = values.keys() - set(self.variables)
        if missing or extra:
            msg = f"prompt {self.name!r}: missing {sorted(missing)}, unexpected {sorted(extra)}"
            raise ValueError(msg)
        return self.template.format(**values)


def prompt_names() -> list[str]:
    """Names of every bundled prompt."""
    return sorted(p.name[:-4] for p in resources.files(__package__).iterdir() if p.name.endswith(".txt"))


@cache
def load_prompt(name: str) -> Prompt:
    """Load ``prompts/<name>.txt``; raises ``ValueError`` for an unknown name."""
    if name not in prompt_names():
        msg = f"unknown prompt {name!r}; known: {', '.join(prompt_names())}"
        raise ValueError(msg)
    raw = resources.files(__package__).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    first, _, body = raw.partition("\n")
    if not first.startswith("# vars:"):
        msg = f"prompt {name!r} must start with a '# vars: a, b' line"
        raise ValueError(msg)
    variables = tuple(v.strip() for v in first[len("# vars:") :].split(",") if v.strip())
    return Prompt(name, body, variables)
