"""The environment of a child process a test starts (the real CLI, ``serve``, ``health``).

A developer's own ``REPORTBOT_*`` settings never reach a test; the session's shared ones do: the embedding cache
(``REPORTBOT_EMBEDDING_CACHE_DIR``, set for every test by ``tests/conftest.py``), so a text is embedded once per
run whichever process embeds it.
"""

from __future__ import annotations

import os
from pathlib import Path

EMBEDDING_CACHE_VARIABLE = "REPORTBOT_EMBEDDING_CACHE_DIR"


def child_env(**values: str) -> dict[str, str]:
    """``os.environ`` without ``REPORTBOT_*`` settings but the session's embedding cache, plus ``values``."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("REPORTBOT_") or k == EMBEDDING_CACHE_VARIABLE
    }
    env.update(values)
    return env


def shared_embedding_cache(default: Path) -> Path:
    """The session's embedding cache directory, or ``default`` outside a test session."""
    return Path(os.environ.get(EMBEDDING_CACHE_VARIABLE) or default)
