"""profiles.yml.example: a DuckDB default and working, secret-free warehouse targets."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from dbt_harness import REPO_ROOT, DbtProject

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


def test_duckdb_memory_is_bounded_by_default() -> None:
    dev = yaml.safe_load(EXAMPLE)["journey_kpis"]["outputs"]["dev"]
    config = dev["config_options"]
    assert "env_var('JOURNEY_KPIS_DUCKDB_MEMORY_LIMIT', '3.5GB')" in config["memory_limit"]
    assert "env_var('JOURNEY_KPIS_DUCKDB_TEMP_DIR'" in config["temp_directory"]
    # Connect-time only: dbt-duckdb re-applies `settings` on every new cursor, and DuckDB
    # refuses to set temp_directory again once it has spilled (a 10M-event build failed so).
    assert not {"memory_limit", "temp_directory"} & set(dev.get("settings", {}))


def test_memory_settings_reach_duckdb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Through dbt, as a build sees them: the env vars override the defaults.
    monkeypatch.setenv("JOURNEY_KPIS_DUCKDB_MEMORY_LIMIT", "2GiB")
    monkeypatch.setenv("JOURNEY_KPIS_DUCKDB_TEMP_DIR", str(tmp_path / "spill"))
    project = DbtProject(tmp_path)
    shown = project.dbt(
        "show", "--inline",
        "select current_setting('memory_limit') || '|' || current_setting('temp_directory') as s",
        "--output", "json",
    )  # fmt: skip
    assert shown.returncode == 0, shown.stdout[-3000:]
    assert "2.0 GiB|" + str(tmp_path / "spill") in shown.stdout
