"""profiles.yml.example: a DuckDB default and working, secret-free warehouse targets."""

from __future__ import annotations

import yaml
from dbt_harness import REPO_ROOT

EXAMPLE = (REPO_ROOT / "profiles.yml.example").read_text()


def test_duckdb_is_the_default_target() -> None:
    profile = yaml.safe_load(EXAMPLE)["journey_kpis"]
    assert "'dev'" in profile["target"]
    assert profile["outputs"]["dev"]["type"] == "duckdb"


def test_warehouse_targets_read_secrets_from_env() -> None:
    outputs = yaml.safe_load(EXAMPLE)["journey_kpis"]["outputs"]
    assert set(outputs) == {"dev", "postgres", "spark"}
    assert outputs["postgres"]["type"] == "postgres"
    assert outputs["spark"]["type"] == "spark"
    assert outputs["spark"]["method"] == "session"
    assert outputs["spark"]["server_side_parameters"]["spark.sql.session.timeZone"] == "UTC"
    for name, output in outputs.items():
        for key, value in output.items():
            if key in {"password", "token", "user", "host", "port", "dbname"}:
                assert "env_var(" in str(value), f"{name}.{key} must use env_var()"
