"""A glossary entry added from the console counts at the next question, without a restart."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.web.glossary import GlossaryError, add_entry
from retrieval.text import synonyms

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture
def local_glossary(tmp_path: Path) -> Iterator[Path]:
    synonyms.use_local_glossary(tmp_path / "glossary.txt")
    yield tmp_path
    synonyms.use_local_glossary(None)


def test_an_added_entry_expands_the_next_search(local_glossary: Path) -> None:
    assert "狂犬病" not in synonyms.expansions("疯狗病疫苗打了多少人")
    add_entry(local_glossary, "疯狗病", "狂犬病")
    assert "狂犬病" in synonyms.expansions("疯狗病疫苗打了多少人")
    with pytest.raises(GlossaryError):
        add_entry(local_glossary, "疯狗病", "狂犬病")  # already there
    with pytest.raises(GlossaryError):
        add_entry(local_glossary, "a = b\n# x", "狂犬病")  # one line, no syntax of the file
