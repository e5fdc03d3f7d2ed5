"""profiles.yml.example: a DuckDB default and working, secret-free warehouse examples."""

from __future__ import annotations

import re

import yaml
from dbt_harness import REPO_ROOT

EXAMPLE = (REPO_ROOT / "profiles.yml.example").read_text()


def _uncommented() -> dict:
    """The example with its commented warehouse blocks switched on.

    A commented YAML line is `    # <indent><lower_case_key>:`; prose comments start with a
    capital or do not have a key followed by a colon.
    """
    key_line = re.compile(r"^    # ( *[a-z][a-zA-Z_.]*:(?: .*)?)$")
    lines = [
        ("    " + match.group(1)) if (match := key_line.match(line)) else line
        for line in EXAMPLE.splitlines()
    ]
    return yaml.safe_load("\n".join(lines))


def test_duckdb_is_the_default_target() -> None:
    profile = yaml.safe_load(EXAMPLE)["journey_kpis"]
    assert "'dev'" in profile["target"]
    assert profile["outputs"]["dev"]["type"] == "duckdb"
    assert set(profile["outputs"]) == {"dev"}


def test_warehouse_examples_parse_and_read_secrets_from_env() -> None:
    outputs = _uncommented()["journey_kpis"]["outputs"]
    assert {"dev", "postgres", "spark"} <= set(outputs)
    assert outputs["postgres"]["type"] == "postgres"
    assert outputs["spark"]["type"] == "spark"
    for name, output in outputs.items():
        for key, value in output.items():
            if key in {"password", "token", "user", "host"}:
                assert "env_var(" in str(value), f"{name}.{key} must use env_var()"
