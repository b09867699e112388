"""The customer's layout keeps the top-level packages ``bot``, ``ingest``, ``retrieval`` and ``prompts``.

Those short names could collide with another installed distribution that ships a package of the same name
(pip would silently overwrite one with the other). This guard fails as soon as anything else in the
environment claims one of them, and checks that the names resolve to this repository.
"""

from __future__ import annotations

import importlib
import importlib.metadata
from pathlib import Path

import pytest

from tests.conftest import REPO_DIR

OUR_PACKAGES = ("bot", "ingest", "retrieval", "prompts")


@pytest.mark.parametrize("name", OUR_PACKAGES)
def test_no_other_installed_distribution_ships_a_package_of_the_same_name(name: str) -> None:
    owners = set(importlib.metadata.packages_distributions().get(name, []))
    assert owners <= {"reportbot"}, f"{name!r} is also installed by {sorted(owners - {'reportbot'})}"


@pytest.mark.parametrize("name", OUR_PACKAGES)
def test_each_name_imports_this_repository(name: str) -> None:
    module = importlib.import_module(name)
    assert Path(module.__file__ or "").resolve().is_relative_to(REPO_DIR)
