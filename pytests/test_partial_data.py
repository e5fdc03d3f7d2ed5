"""End-to-end builds on partial exports: some raw tables empty (a header row only).

Each test writes the five raw tables of the contract (every column VARCHAR, the columns of
the demo seeds) into the DuckDB file's `raw` schema with Python duckdb, copying demo rows
into the tables that are not empty, then runs
`dbt build --exclude-resource-type unit_test --vars '{load_demo_data: false}'`.
The build must pass; every catalog KPI that needs an empty table has no row at all, and the
warn-severity test names it with that table (in the run log and in its stored failures);
every KPI whose tables all have rows is reported.
"""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

import duckdb
from dbt_harness import REPO_ROOT, STAGING, DbtProject, query

RAW_SEEDS = REPO_ROOT / "seeds" / "raw"
KPI_DEFINITIONS = REPO_ROOT / "seeds" / "reference" / "kpi_definitions.csv"
WARN_TEST = "warn_kpis_missing_for_lack_of_data"
ERROR_TEST = "assert_every_catalog_kpi_has_values"


def kpi_source_tables() -> dict[str, set[str]]:
    """Catalog KPI -> the raw tables it needs (seed kpi_definitions.source_tables)."""
    with KPI_DEFINITIONS.open(newline="", encoding="utf-8") as handle:
        return {
            row["kpi_name"]: {table.strip() for table in row["source_tables"].split("|")}
            for row in csv.DictReader(handle)
        }


def write_raw_tables(database: Path, filled: dict[str, str]) -> None:
    """Create the five raw tables, all VARCHAR; fill those in `filled` with a select.

    `filled` maps a raw table to a select over `demo` (the demo seed read as text), e.g.
    `select * from demo`. The other tables stay empty.
    """
    database.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(database)) as con:
        con.execute("create schema if not exists raw")
        for table in STAGING:
            seed = RAW_SEEDS / f"{table}.csv"
            with seed.open(newline="", encoding="utf-8") as handle:
                columns = next(csv.reader(handle))
            column_list = ", ".join(f'"{column}" varchar' for column in columns)
            con.execute(f"create table raw.{table} ({column_list})")
            if table in filled:
                con.execute(
                    f"insert into raw.{table} "
                    f"with demo as (select * from read_csv('{seed}', header = true, "
                    f"all_varchar = true)) {filled[table]}"
                )


def build_partial(project: DbtProject) -> tuple[str, dict[str, dict]]:
    """Build without unit tests and demo seeds; returns dbt's stdout and results by name."""
    result = project.build("--exclude-resource-type", "unit_test", vars_={"load_demo_data": False})
    run_results = json.loads((project.workdir / "target" / "run_results.json").read_text())
    results = {
        item["unique_id"].split(".")[2]: item
        for item in run_results["results"]
        if item["unique_id"].startswith(("test.", "model."))
    }
    return result.stdout, results


def check_kpis(project: DbtProject, stdout: str, results: dict, filled: set[str]) -> None:
    """The KPIs of empty tables are absent and named with their empty tables; the rest are there."""
    sources = kpi_source_tables()
    empty = set(STAGING) - filled
    expected_missing = {
        kpi: ", ".join(sorted(tables & empty)) for kpi, tables in sources.items() if tables & empty
    }
    expected_present = set(sources) - set(expected_missing)

    assert results[ERROR_TEST]["status"] == "pass"
    warn = results[WARN_TEST]
    assert warn["status"] == ("warn" if expected_missing else "pass")
    assert warn["failures"] == len(expected_missing)
    for kpi, tables in expected_missing.items():
        assert f"KPI without values: {kpi} (source_empty; empty source tables: {tables};" in stdout
    stored = dict(
        query(
            project.database,
            f"select kpi_name, empty_source_tables from dbt_test__audit.{WARN_TEST}"
            " where coverage_status = 'source_empty'",
        )
    )
    assert stored == expected_missing

    reported = {
        kpi
        for (kpi,) in query(
            project.database,
            "select distinct kpi_name from marts.mart_kpi_values where period_grain = 'month'"
            " and channel = 'all' and persona = 'all' and value is not null",
        )
    }
    any_row = {
        kpi
        for (kpi,) in query(project.database, "select distinct kpi_name from marts.mart_kpi_values")
    }
    assert reported == expected_present
    assert any_row == expected_present, "a KPI of an empty table has rows"
    coverage = dict(
        query(project.database, "select kpi_name, coverage_status from marts.mart_kpi_coverage")
    )
    assert {kpi for kpi, status in coverage.items() if status == "reported"} == expected_present


def test_all_tables_empty(tmp_path: Path) -> None:
    """No data at all: the build passes, nothing is reported, the calendar still exists."""
    project = DbtProject(tmp_path / "build")
    write_raw_tables(project.database, {})
    stdout, results = build_partial(project)
    check_kpis(project, stdout, results, filled=set())

    assert query(project.database, "select count(*) from marts.mart_kpi_values") == [(0,)]
    (as_of, latest), *_ = query(
        project.database, "select as_of_date, latest_data_date from intermediate.int_as_of_date"
    )
    assert latest is None
    first_day, last_day, days = query(
        project.database, "select min(date_day), max(date_day), count(*) from marts.dim_date"
    )[0]
    # From the Monday of the ISO week holding January 1 of the as-of year to the end of the next.
    january_first = date(as_of.year, 1, 1)
    assert first_day == january_first - timedelta(days=january_first.weekday())
    assert last_day == date(as_of.year + 1, 12, 31)
    assert days == (last_day - first_day).days + 1


def test_web_shop_events_and_orders_only(tmp_path: Path) -> None:
    """A web shop: events and orders, no leads, answers or spend; purchase events carry no
    order id (the shop's tracking sends none), so each one converts on its own evidence."""
    project = DbtProject(tmp_path / "build")
    strip_order_id = """
        select * replace (
            case
                when event_type = 'purchase'
                    then regexp_replace(properties, '"order_id":"[^"]*",?', '')
                else properties
            end as properties
        )
        from demo
    """
    write_raw_tables(project.database, {"events": strip_order_id, "orders": "select * from demo"})
    stdout, results = build_partial(project)
    check_kpis(project, stdout, results, filled={"events", "orders"})

    assert query(
        project.database,
        "select count(*) from staging.stg_tracking__events"
        " where event_type = 'purchase' and order_id is not null",
    ) == [(0,)]
    (purchase_sessions,) = query(
        project.database,
        "select count(distinct session_id) from marts.fct_events"
        " where event_type = 'purchase' and session_id is not null",
    )[0]
    (purchase_visitors,) = query(
        project.database,
        "select count(distinct sessions.person_id) from marts.fct_sessions as sessions"
        " where sessions.has_purchase",
    )[0]
    assert purchase_sessions > 0
    # Monthly `all` x `all` rows: every session lies in exactly one month.
    (converting_sessions,) = query(
        project.database,
        "select sum(numerator) from marts.mart_kpi_values where kpi_name = 'conversion_rate'"
        " and period_grain = 'month' and channel = 'all' and persona = 'all'",
    )[0]
    assert converting_sessions == purchase_sessions
    (converting_visitors,) = query(
        project.database,
        "select count(distinct person_id) from marts.fct_sessions where is_converting",
    )[0]
    assert converting_visitors == purchase_visitors


def test_orders_only_from_1997(tmp_path: Path) -> None:
    """Orders only, dated 1997-1998 (the demo orders moved back 28 years, so weekdays stay):
    the calendar follows the data and every date relationship to dim_date passes."""
    project = DbtProject(tmp_path / "build")
    moved_back = """
        select * replace (
            strftime(try_cast(ordered_at as timestamp) - interval 28 years, '%Y-%m-%d %H:%M:%S')
                as ordered_at,
            strftime(try_cast(_loaded_at as timestamp) - interval 28 years, '%Y-%m-%d %H:%M:%S')
                as _loaded_at
        )
        from demo
    """
    write_raw_tables(project.database, {"orders": moved_back})
    stdout, results = build_partial(project)
    check_kpis(project, stdout, results, filled={"orders"})

    first_order, last_order = query(
        project.database, "select min(ordered_date), max(ordered_date) from marts.fct_orders"
    )[0]
    assert (first_order.year, last_order.year) == (1997, 1998)
    first_day, last_day = query(
        project.database, "select min(date_day), max(date_day) from marts.dim_date"
    )[0]
    # 1997-01-01 is a Wednesday: the calendar starts on the Monday of its ISO week.
    assert (str(first_day), str(last_day)) == ("1996-12-30", "1999-12-31")
    date_tests = {
        name: item["status"]
        for name, item in results.items()
        if name.startswith("relationships_") and "dim_date" in name
    }
    assert "relationships_fct_orders_ordered_date__date_day__ref_dim_date_" in date_tests
    assert set(date_tests.values()) == {"pass"}
    assert results["assert_dim_date_covers_the_data"]["status"] == "pass"
    (revenue,) = query(
        project.database,
        "select sum(numerator) from marts.mart_kpi_values where kpi_name = 'revenue'"
        " and period_grain = 'month' and channel = 'all' and persona = 'all'",
    )[0]
    (completed,) = query(
        project.database, "select sum(amount) from marts.fct_orders where is_completed"
    )[0]
    assert abs(revenue - float(completed)) < 0.005
