"""Identical KPIs on every engine: mart_kpi_values and the facts' row counts of a build on
PostgreSQL and on Spark equal those of a DuckDB build, on the demo data and on the dirty
data set (pytests/test_dirty_build.py's), to 1e-9.

Every engine reachable here is compared with DuckDB (pytests/engines.py says which are; a
DuckDB-only machine skips, and JOURNEY_KPIS_ENGINES makes an unreachable engine a failure).
The dirty data is loaded on every engine the same way, as the demo seeds of a copy of the
project. Any difference fails, with the differing rows printed.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import engine_under_test
from dbt_harness import DbtProject
from engines import (
    FACT_TABLES,
    EngineBuild,
    dirty_raw_data,
    engine_unreachable_reason,
    project_copy,
    required_engines,
)

KEY = ["kpi_name", "journey_stage", "channel", "persona", "period_grain", "period_start"]
MEASURES = ["numerator", "denominator", "value"]
# Two numbers agree when |a - b| <= TOLERANCE x max(1, |a|, |b|): 1e-9 absolute on ratios
# (0..1) and on anything below 1, 1e-9 relative on larger totals (a sum of doubles in
# another order differs in its last bits).
TOLERANCE = 1e-9
MAX_SHOWN = 30
OTHER_ENGINES = ["postgres", "spark"]


def kpi_value_differences(left: Path, right: Path, tolerance: float = TOLERANCE) -> list[tuple]:
    """Rows of marts.mart_kpi_values that differ between two DuckDB files.

    One row per differing key: the key, then (numerator, denominator, value) of the left
    and of the right build; a row missing on one side has nulls there.
    """
    with duckdb.connect() as con:
        con.execute(f"attach '{left}' as left_db (read_only)")
        con.execute(f"attach '{right}' as right_db (read_only)")
        join = " and ".join(f"l.{k} is not distinct from r.{k}" for k in KEY)
        differs = " or ".join(
            f"""(l.{m} is null) != (r.{m} is null)
            or abs(l.{m} - r.{m})
                > {tolerance} * greatest(1, abs(l.{m}), abs(r.{m}))"""
            for m in MEASURES
        )
        key_list = ", ".join(f"coalesce(l.{k}, r.{k}) as {k}" for k in KEY)
        return con.execute(
            f"""
            select {key_list},
                {", ".join(f"l.{m} as left_{m}" for m in MEASURES)},
                {", ".join(f"r.{m} as right_{m}" for m in MEASURES)}
            from left_db.marts.mart_kpi_values as l
            full outer join right_db.marts.mart_kpi_values as r on {join}
            where l.kpi_name is null or r.kpi_name is null or {differs}
            order by all
            """
        ).fetchall()


def duplicate_keys(database: Path) -> list[tuple]:
    """Keys of marts.mart_kpi_values held by more than one row (the join needs unique keys)."""
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(
            f"select {', '.join(KEY)}, count(*) from marts.mart_kpi_values "
            f"group by all having count(*) > 1 limit {MAX_SHOWN}"
        ).fetchall()


def row_counts(database: Path) -> dict[str, int]:
    """Rows of mart_kpi_values and of every fact table."""
    with duckdb.connect(str(database), read_only=True) as con:
        return {
            table: con.execute(f"select count(*) from marts.{table}").fetchone()[0]
            for table in ["mart_kpi_values", *FACT_TABLES]
        }


def assert_same_kpis(duckdb_file: Path, other_file: Path, engine: str, data: str) -> None:
    """Fail with the differing rows when two builds' KPIs or fact row counts differ."""
    for database in (duckdb_file, other_file):
        duplicates = duplicate_keys(database)
        assert not duplicates, f"{database}: duplicate mart_kpi_values keys {duplicates}"
    counts = {"duckdb": row_counts(duckdb_file), engine: row_counts(other_file)}
    assert counts["duckdb"]["mart_kpi_values"] > 0, "the DuckDB build has no KPI values"
    differences = kpi_value_differences(duckdb_file, other_file)
    shown = "\n".join(
        f"{row[:6]}: duckdb {row[6:9]} != {engine} {row[9:12]}" for row in differences[:MAX_SHOWN]
    )
    assert not differences, (
        f"{data} data: {len(differences)} mart_kpi_values rows differ between DuckDB and "
        f"{engine} (key: {', '.join(KEY)}; numerator, denominator, value), first "
        f"{MAX_SHOWN}:\n{shown}"
    )
    assert counts["duckdb"] == counts[engine], f"{data} data: row counts differ: {counts}"


@pytest.fixture(scope="module")
def engines() -> list[str]:
    """The engines besides DuckDB to compare (fails when a required one is unreachable)."""
    for engine in required_engines():
        reason = engine_unreachable_reason(engine)
        if reason:
            pytest.fail(f"JOURNEY_KPIS_ENGINES names {engine}, but {reason}")
    reachable = [e for e in OTHER_ENGINES if engine_unreachable_reason(e) is None]
    if not reachable:
        pytest.skip("no engine besides DuckDB reachable (scripts/test_postgres.sh, test_spark.sh)")
    return reachable


@pytest.fixture(scope="module")
def duckdb_demo(tmp_path_factory: pytest.TempPathFactory, demo_db: Path, engines) -> Path:
    """A DuckDB build of the demo data (the session's demo build when that is DuckDB's)."""
    if engine_under_test() == "duckdb":
        return demo_db
    project = DbtProject(tmp_path_factory.mktemp("engines_duckdb_demo"))
    project.build("--exclude-resource-type", "unit_test")
    return project.database


@pytest.fixture(scope="module")
def dirty_project(tmp_path_factory: pytest.TempPathFactory, engines) -> Path:
    """A copy of the project whose demo seeds are the dirty data set."""
    workdir = tmp_path_factory.mktemp("engines_dirty")
    return project_copy(workdir, dirty_raw_data(workdir))


def _dirty_build(engine: str, project_dir: Path, workdir: Path) -> Path:
    build = EngineBuild(engine, workdir, project_dir=project_dir)
    try:
        # Unit tests ran in the demo build; every data test runs on the dirty data too.
        build.build("--exclude-resource-type", "unit_test")
        return build.snapshot(["marts"])
    finally:
        build.drop()


@pytest.fixture(scope="module")
def duckdb_dirty(tmp_path_factory: pytest.TempPathFactory, dirty_project: Path) -> Path:
    return _dirty_build("duckdb", dirty_project, tmp_path_factory.mktemp("dirty_duckdb"))


@pytest.mark.parametrize("engine", OTHER_ENGINES)
def test_demo_kpis_identical_to_duckdb(
    engine: str,
    engines: list[str],
    demo_build,
    duckdb_demo: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    if engine not in engines:
        pytest.skip(f"{engine}: {engine_unreachable_reason(engine)}")
    if demo_build.engine == engine:
        other = demo_build.snapshot(["marts"])
    else:
        build = EngineBuild(engine, tmp_path_factory.mktemp(f"demo_{engine}"))
        try:
            build.build()
            other = build.snapshot(["marts"])
        finally:
            build.drop()
    assert_same_kpis(duckdb_demo, other, engine, "demo")


@pytest.mark.parametrize("engine", OTHER_ENGINES)
def test_dirty_kpis_identical_to_duckdb(
    engine: str,
    engines: list[str],
    dirty_project: Path,
    duckdb_dirty: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    if engine not in engines:
        pytest.skip(f"{engine}: {engine_unreachable_reason(engine)}")
    other = _dirty_build(engine, dirty_project, tmp_path_factory.mktemp(f"dirty_{engine}"))
    assert_same_kpis(duckdb_dirty, other, engine, "dirty")


def _mart(path: Path, rows: list[tuple]) -> Path:
    """A DuckDB file with a marts.mart_kpi_values holding `rows` (key + measures)."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.mart_kpi_values (kpi_name varchar, journey_stage varchar, "
            "channel varchar, persona varchar, period_grain varchar, period_start date, "
            "numerator double, denominator double, value double)"
        )
        con.executemany(f"insert into marts.mart_kpi_values values ({', '.join('?' * 9)})", rows)
    return path


def test_the_comparison_catches_every_kind_of_difference(tmp_path: Path) -> None:
    """The comparison itself: equal within 1e-9 passes; anything else is reported."""
    key = ("nps", "advocacy", "all", "all", "month")
    base = [
        (*key, "2025-01-01", 40.0, 100.0, 0.4),
        (*key, "2025-02-01", 1e6, None, 1e6),
        (*key, "2025-03-01", 3.0, 7.0, 3.0 / 7.0),
        (*key, "2025-04-01", None, None, 12.5),
    ]
    left = _mart(tmp_path / "left.duckdb", base)
    within = [
        (*key, "2025-01-01", 40.0, 100.0, 0.4 + 5e-10),
        (*key, "2025-02-01", 1e6 * (1 + 5e-10), None, 1e6),
        (*key, "2025-03-01", 3.0, 7.0, 3.0 / 7.0),
        (*key, "2025-04-01", None, None, 12.5),
    ]
    assert kpi_value_differences(left, _mart(tmp_path / "within.duckdb", within)) == []
    changed = [
        (*key, "2025-01-01", 40.0, 100.0, 0.4 + 2e-9),  # a ratio off by 2e-9
        (*key, "2025-02-01", 1e6 + 1, None, 1e6),  # a total off by 1
        (*key, "2025-03-01", 3.0, None, 3.0 / 7.0),  # a null on one side only
        (*key, "2025-05-01", None, None, 12.5),  # a row on one side only (and one missing)
    ]
    differences = kpi_value_differences(left, _mart(tmp_path / "changed.duckdb", changed))
    assert [str(row[5]) for row in differences] == [
        "2025-01-01",
        "2025-02-01",
        "2025-03-01",
        "2025-04-01",
        "2025-05-01",
    ]
