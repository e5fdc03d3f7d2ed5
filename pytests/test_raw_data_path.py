"""The sources can read CSV or Parquet files from a directory (var raw_data_path)."""

from __future__ import annotations

from pathlib import Path

from dbt_harness import STAGING, DbtProject, query, run_datagen


def test_parquet_files_build_like_csv(tmp_path: Path) -> None:
    """The same generated data, as CSV and as Parquet, gives identical staging counts."""
    csv_dir, parquet_dir = tmp_path / "csv", tmp_path / "parquet"
    run_datagen("--people", "300", "--seed", "11", "--out", str(csv_dir))
    run_datagen("--people", "300", "--seed", "11", "--format", "parquet", "--out", str(parquet_dir))
    counts = {}
    for name, raw_dir, file_format in (
        ("csv", csv_dir, "csv"),
        ("parquet", parquet_dir, "parquet"),
    ):
        project = DbtProject(tmp_path / f"build_{name}")
        project.build(
            "--exclude-resource-type",
            "unit_test",
            vars_={"raw_data_path": str(raw_dir), "raw_data_format": file_format},
        )
        relations = {
            name
            for (name,) in query(
                project.database,
                "select table_name from information_schema.tables where table_schema = 'raw'",
            )
        }
        assert relations == set(), "with raw_data_path set, no demo seed may be loaded"
        counts[name] = {
            model: query(project.database, f"select count(*) from staging.{model}")[0][0]
            for clean, rejects, _ in STAGING.values()
            for model in (clean, rejects)
        }
        raw_rows = {
            table: query(
                project.database,
                f"select count(*) from read_{file_format}('{raw_dir}/{table}.{file_format}')",
            )[0][0]
            for table in STAGING
        }
        for table, (clean, rejects, _) in STAGING.items():
            assert counts[name][clean] + counts[name][rejects] == raw_rows[table]
            assert counts[name][clean] > 0
    assert counts["csv"] == counts["parquet"]


def test_demo_seeds_disabled_in_production_mode(tmp_path: Path) -> None:
    """With load_demo_data false, `dbt build` would never overwrite EL-loaded raw tables."""
    project = DbtProject(tmp_path / "build")
    listed = project.dbt(
        "ls", "--resource-type", "seed", "--output", "name", vars_={"load_demo_data": False}
    )
    assert listed.returncode == 0, listed.stdout
    names = set(listed.stdout.split())
    assert "channel_rules" in names
    assert not names & {"events", "leads", "orders", "survey_responses", "marketing_spend"}
