"""docker/compose.yaml and docker/Dockerfile, checked without a Docker engine: the compose file is valid against
the Compose Specification schema (vendored by check-jsonschema) and keeps the deployment rules we rely on."""

from __future__ import annotations

import copy
import importlib.util
import json
import re
import tomllib
from importlib import resources
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from tests.conftest import REPO_DIR

DOCKER_DIR = REPO_DIR / "docker"
COMPOSE = DOCKER_DIR / "compose.yaml"
DOCKERFILE = DOCKER_DIR / "Dockerfile"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema_file = resources.files("check_jsonschema") / "builtin_schemas" / "vendor" / "compose-spec.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _option(command: list[str], flag: str) -> str:
    return command[command.index(flag) + 1]


def test_compose_file_is_valid_against_the_compose_spec(
    compose: dict[str, Any], validator: Draft202012Validator
) -> None:
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(compose)]
    assert errors == []


def test_the_schema_check_catches_a_misspelt_key(
    compose: dict[str, Any], validator: Draft202012Validator
) -> None:
    broken = copy.deepcopy(compose)
    broken["services"]["bot"]["healtcheck"] = broken["services"]["bot"].pop("healthcheck")
    assert list(validator.iter_errors(broken))


def test_chroma_is_reachable_only_on_an_internal_network(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        assert "ports" not in service, f"{name} publishes ports"
        assert service.get("network_mode") is None, f"{name} leaves the compose networks"
    chroma = compose["services"]["chroma"]
    assert chroma["networks"]
    assert all(compose["networks"][net].get("internal") is True for net in chroma["networks"])
    bot_networks = set(compose["services"]["bot"]["networks"])
    assert set(chroma["networks"]) & bot_networks, "the bot cannot reach chroma"
    assert any(not compose["networks"][net].get("internal") for net in bot_networks), (
        "the bot cannot reach Telegram"
    )


def test_bot_talks_to_the_chroma_service_it_depends_on(compose: dict[str, Any]) -> None:
    bot, chroma = compose["services"]["bot"], compose["services"]["chroma"]
    assert bot["command"] == ["reportbot", "serve"]
    assert chroma["command"][:2] == ["chroma", "run"]
    port = _option(chroma["command"], "--port")
    assert _option(chroma["command"], "--host") == "0.0.0.0"
    assert bot["environment"]["REPORTBOT_CHROMA_URL"] == f"http://chroma:{port}"
    assert bot["depends_on"]["chroma"]["condition"] == "service_healthy"
    assert str(port) in " ".join(chroma["healthcheck"]["test"])


def test_data_lives_on_named_volumes_and_services_restart_and_report_health(compose: dict[str, Any]) -> None:
    data_dirs = {
        "bot": compose["services"]["bot"]["environment"]["REPORTBOT_DATA_DIR"],
        "chroma": _option(compose["services"]["chroma"]["command"], "--path"),
    }
    for name, target in data_dirs.items():
        service = compose["services"][name]
        mounts = {v.split(":")[1]: v.split(":")[0] for v in service["volumes"]}  # target -> volume
        assert target in mounts, f"{name}: {target} is not on a volume"
        assert mounts[target] in compose["volumes"], f"{name}: {mounts[target]} is not a named volume"
        assert service["restart"] in ("always", "unless-stopped")
        assert service["healthcheck"]["test"][0] == "CMD"
    volumes = [compose["services"][n]["volumes"][0].split(":")[0] for n in data_dirs]
    assert len(set(volumes)) == 2, "bot and chroma must not share one volume"


def test_settings_come_from_the_env_file_documented_by_env_example(compose: dict[str, Any]) -> None:
    env_file = (DOCKER_DIR / compose["services"]["bot"]["env_file"]).resolve()
    assert env_file == (REPO_DIR / ".env").resolve()
    assert (REPO_DIR / ".env.example").is_file()


def test_health_checks_run_modules_that_exist(compose: dict[str, Any]) -> None:
    test = compose["services"]["bot"]["healthcheck"]["test"]
    assert test[1:3] == ["python", "-m"]
    assert importlib.util.find_spec(test[3]) is not None
    assert f'"-m", "{test[3]}"' in DOCKERFILE.read_text(encoding="utf-8")


def _dockerfile() -> list[str]:
    """Instructions with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text(encoding="utf-8"))
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_dockerfile_copies_every_package_and_runs_unprivileged() -> None:
    lines = _dockerfile()
    pyproject = tomllib.loads((REPO_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    packages = [p.rstrip("*") for p in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]]
    copies = [line.split()[1:] for line in lines if line.startswith("COPY") and "${" not in line]
    sources = {s for args in copies for s in args[:-1] if not s.startswith("--")}
    assert set(packages) <= sources, f"packages not copied into the image: {set(packages) - sources}"
    assert "pyproject.toml" in sources
    assert not any(s in sources for s in (".", "tests", "data", ".env")), (
        "the image copies more than the packages"
    )
    ignore = (DOCKER_DIR / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
    assert all(f"!{p}/" in ignore for p in packages)
    user = [line.split()[1] for line in lines if line.startswith("USER")]
    assert user
    assert user[-1] not in ("root", "0")
    assert any(line.startswith("FROM python:3.11-slim") for line in lines)
    assert any("download.pytorch.org/whl/cpu" in line and "torch" in line for line in lines)
    assert any(line.startswith("HEALTHCHECK") for line in lines)
    assert any(line.startswith("VOLUME") and "/data" in line for line in lines)
    assert any("HF_HUB_OFFLINE=1" in line for line in lines), (
        "a missing model must not be downloaded at run time"
    )
