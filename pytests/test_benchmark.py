"""scripts/benchmark_build.py: its pieces on a tiny scale, so the benchmark cannot rot.

No dbt build here (the benchmark's builds are the slow part, measured by hand); the
argument parsing, the data cache, the row counts, both baseline queries, the process-tree
RSS sampler and the run_results.json summary all run.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

import pytest
from dbt_harness import REPO_ROOT

_spec = importlib.util.spec_from_file_location(
    "benchmark_build", REPO_ROOT / "scripts" / "benchmark_build.py"
)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


@pytest.mark.parametrize(
    ("text", "events"),
    [("1m", 1_000_000), ("10M", 10_000_000), ("500k", 500_000), ("2000000", 2_000_000),
     ("2.5m", 2_500_000), ("1_000_000", 1_000_000)],
)  # fmt: skip
def test_parse_events(text: str, events: int) -> None:
    assert bench.parse_events(text) == events


@pytest.mark.parametrize("text", ["ten", "1g", "", "12"])
def test_parse_events_rejects(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        bench.parse_events(text)


def test_people_for_scales() -> None:
    assert bench.people_for(1_000_000) == 55_000
    assert bench.people_for(10_000_000) == 550_000
    assert bench.people_for(2_000_000) == 110_000


def test_baselines_only_run(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    args = ["--events", "4k", "--baselines-only", "--data-root", str(tmp_path), "--json", str(out)]
    result = bench.main(args)
    assert result == json.loads(out.read_text())
    people = bench.people_for(4_000)
    assert (tmp_path / f"people{people}_seed42" / "events.parquet").exists()
    # Counted from the Parquet, close to the scale asked for.
    assert 2_000 < result["rows"]["events"] < 8_000
    assert result["rows"]["orders"] > 0
    (baselines,) = [repeat["baselines"] for repeat in result["repeats"]]
    assert 0 < baselines["scan_s"] < 30
    assert 0 < baselines["sessionization_s"] < 30
    # The second run reuses the cached files.
    stamp = (tmp_path / f"people{people}_seed42" / "events.parquet").stat().st_mtime_ns
    bench.main(args)
    assert (tmp_path / f"people{people}_seed42" / "events.parquet").stat().st_mtime_ns == stamp


def test_process_tree_rss_sees_grandchildren(tmp_path: Path) -> None:
    # A child that starts a grandchild holding ~200 MB: the tree's peak must include it.
    grandchild = "x = bytearray(200 * 2**20); import time; time.sleep(1.5)"
    child = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {grandchild!r}])"
    result = bench.run_sampled([sys.executable, "-c", child], {}, tmp_path / "log", 0.1)
    assert result["returncode"] == 0
    assert result["peak_rss_bytes"] > 200 * 2**20


def test_node_times(tmp_path: Path) -> None:
    results = [
        {"unique_id": "model.journey_kpis.fct_events", "execution_time": 3.0, "status": "success"},
        {"unique_id": "model.journey_kpis.dim_date", "execution_time": 0.5, "status": "success"},
        {"unique_id": "test.journey_kpis.not_null_x.ab12", "execution_time": 0.2, "status": "fail"},
    ]
    path = tmp_path / "run_results.json"
    path.write_text(json.dumps({"results": results}))
    models, phases, failed = bench.node_times(path)
    assert models == [("fct_events", 3.0), ("dim_date", 0.5)]
    assert phases == {"model": [3.0, 0.5], "test": [0.2]}
    assert failed == 1


def test_split_before_last_day(tmp_path: Path) -> None:
    """The incremental run's first part: every row that arrived before the last day."""
    import duckdb

    raw = tmp_path / "raw"
    raw.mkdir()
    rows = {
        "events": ("occurred_at", ["2024-01-01 10:00:00", "2024-01-02 09:00:00", None]),
        "leads": ("created_at", ["2024-01-01 08:00:00", "2024-01-02 08:00:00", None]),
        "orders": ("ordered_at", ["2024-01-01 12:00:00", "2024-01-02 12:00:00", None]),
        "survey_responses": ("submitted_at", ["2024-01-01 12:00:00", None, None]),
        "marketing_spend": ("spend_date", ["2024-01-01", "2024-01-02", None]),
    }
    for table, (column, loaded) in rows.items():
        literals = [f"'{at}'" if at else "null" for at in loaded]
        values = ", ".join(
            f"({index}, '2024-01-01 00:00:00', {literal})" for index, literal in enumerate(literals)
        )
        duckdb.sql(
            f"copy (select * from (values {values}) as t(id, {column}, _loaded_at)) "
            f"to '{raw / table}.parquet' (format parquet)"
        )
    before, last_day = bench.split_before_last_day(raw)
    assert last_day == "2024-01-02"
    kept = {
        table: sorted(
            row[0] for row in duckdb.sql(f"select id from '{before / table}.parquet'").fetchall()
        )
        for table in rows
    }
    # Arrived on the last day: gone; no _loaded_at: the row's own timestamp (day 1) decides.
    assert kept == {
        "events": [0, 2],
        "leads": [0, 2],
        "orders": [0, 2],
        "survey_responses": [0, 1, 2],
        "marketing_spend": [0, 2],
    }
