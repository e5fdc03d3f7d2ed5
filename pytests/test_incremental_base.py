"""The incremental base model of the raw events equals a `--full-refresh` build, row for row.

base_tracking__events_checked re-parses only the raw rows that arrived in the lookback
window (macros/incremental.sql), with every other raw copy of their event_ids. Raw rows
have no unique key: exact re-deliveries are separate rows. This test starts from dirty
generated data (missing ids, unparseable and future timestamps, malformed JSON,
duplicates), builds load 1 (rows that arrived up to day D), then load 2 (all rows, plus the
cases below) incrementally, and compares the base table, stg_tracking__events and
stg_tracking__events_rejects with a `--full-refresh` build of load 2. The build runs the
models' data tests too, so every raw row is still in exactly one of clean / rejects
(row_count_reconciles). Cases of load 2:

- an exact re-delivery of a load-1 event (the old copy, outside the window, becomes a
  `duplicate`), a re-delivery with changed content (the latest copy wins) and a
  re-delivery with a malformed timestamp (rejected: the event leaves staging);
- two identical copies of a new event in the same load;
- rows without event_id, in load 1's window and with no arrival at all (re-parsed by load
  2's run: they must not be doubled), and new ones;
- rows whose arrival cannot be determined (no `_loaded_at`, unparseable `occurred_at`),
  in load 1 and again in load 2: they end up once each in the rejects;
- a row with a future `occurred_at` and no `_loaded_at` (it must not move the window);
- a late event without `_loaded_at` that occurred two days before load 2's first day
  (only the lookback finds it).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest
from dbt_harness import DbtProject, query, run_datagen

TABLES = ["events", "leads", "orders", "survey_responses", "marketing_spend"]
MODELS = [
    "staging.base_tracking__events_checked",
    "staging.stg_tracking__events",
    "staging.stg_tracking__events_rejects",
]
SELECT = (
    "--select",
    "base_tracking__events_checked stg_tracking__events stg_tracking__events_rejects",
    "--exclude-resource-type",
    "unit_test",
)


def write_loads(full_dir: Path, first: Path, second: Path) -> None:
    """Load 1: raw rows that arrived up to day D; load 2: every row, plus the cases."""
    first.mkdir()
    second.mkdir()
    con = duckdb.connect()
    for table in TABLES:
        con.execute(
            f"create table {table} as select * from read_csv("
            f"'{full_dir}/{table}.csv', all_varchar = true, header = true)"
        )
    arrival = "coalesce(try_cast(_loaded_at as timestamp), try_cast(occurred_at as timestamp))"
    last_day = con.execute(
        f"select max(cast({arrival} as date)) from events where {arrival} < '2030-01-01'"
    ).fetchone()[0]
    day_d = last_day - dt.timedelta(days=3)
    midnight = dt.datetime.combine(day_d + dt.timedelta(days=1), dt.time())
    reload_at = (midnight + dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
    # Load 1: rows that arrived up to D, and rows whose arrival this test cannot tell.
    con.execute(
        f"create table events_1 as select * from events "
        f"where {arrival} < '{midnight}' or {arrival} is null"
    )
    columns = [
        row[0] for row in con.execute("select name from pragma_table_info('events')").fetchall()
    ]

    def add(table: str, **values: str | None) -> None:
        row = {name: values.get(name) for name in columns}
        con.execute(
            f"insert into {table} values ({', '.join('?' for _ in columns)})",
            [row[name] for name in columns],
        )

    base = {"event_type": "page_view", "anonymous_id": "a_case", "device": "desktop"}
    old = (midnight - dt.timedelta(days=20)).strftime("%Y-%m-%d %H:%M:%S")
    recent = (midnight - dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    for table in ("events_1", "events"):
        # Events that load 2 re-delivers, loaded long before the window.
        for event_id in ("e_case_exact", "e_case_changed", "e_case_malformed"):
            add(
                table,
                event_id=event_id,
                occurred_at=old,
                _loaded_at=old,
                **base,
                page_url="https://www.journeyco.example/original",
            )
        # No arrival at all, and no event_id with a load time.
        add(table, event_id="e_case_unknown", occurred_at="garbage", **base)
        add(table, event_id=" ", occurred_at=old, _loaded_at=old, **base)
        # Rows without event_id that the next run re-parses: loaded an hour before load 2,
        # and with no arrival at all (both must not be doubled).
        add(table, event_id=None, occurred_at=recent, _loaded_at=recent, **base)
        add(table, event_id=None, occurred_at="garbage", **base)
        # A future occurrence without load time: not an arrival that moves the window.
        add(table, event_id="e_case_future", occurred_at="2099-01-01 00:00:00", **base)
    # Load 2's cases.
    add(
        "events",
        event_id="e_case_exact",
        occurred_at=old,
        _loaded_at=reload_at,
        **base,
        page_url="https://www.journeyco.example/original",
    )
    add(
        "events",
        event_id="e_case_changed",
        occurred_at=old,
        _loaded_at=reload_at,
        **base,
        page_url="https://www.journeyco.example/changed",
    )
    add(
        "events",
        event_id="e_case_malformed",
        occurred_at="not a timestamp",
        _loaded_at=reload_at,
        **base,
        page_url="https://www.journeyco.example/original",
    )
    for _ in range(2):
        add("events", event_id="e_case_twice", occurred_at=reload_at, _loaded_at=reload_at, **base)
    add("events", event_id="e_case_unknown", occurred_at="still garbage", **base)
    add("events", event_id="", occurred_at=reload_at, _loaded_at=reload_at, **base)
    late = (midnight - dt.timedelta(days=2) + dt.timedelta(hours=12)).strftime("%Y-%m-%d %H:%M:%S")
    add("events", event_id="e_case_late", occurred_at=late, **base)
    for table in TABLES:
        for directory, relation in (
            (first, "events_1" if table == "events" else table),
            (second, table),
        ):
            con.execute(
                f"copy (select * from {relation}) to '{directory / table}.parquet' (format parquet)"
            )
    con.close()


def differences(left: Path, right: Path) -> dict[str, int]:
    """Rows of the base table and the two staging views in one build but not the other."""
    con = duckdb.connect()
    con.execute(f"attach '{left}' as l (read_only)")
    con.execute(f"attach '{right}' as r (read_only)")
    found = {}
    for model in MODELS:
        count = sum(
            con.execute(
                f"select count(*) from (select * from {a}.{model} except all "
                f"select * from {b}.{model})"
            ).fetchone()[0]
            for a, b in (("l", "r"), ("r", "l"))
        )
        if count:
            found[model] = count
    con.close()
    return found


@pytest.fixture(scope="module")
def loads(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Parquet directories of load 1 and load 2 (dirty generated data with the cases)."""
    root = tmp_path_factory.mktemp("incremental_base_data")
    run_datagen(
        "--people",
        "60",
        "--seed",
        "7",
        "--start",
        "2026-03-01",
        "--end",
        "2026-04-30",
        "--dirty",
        "--out",
        str(root / "generated"),
    )
    write_loads(root / "generated", root / "load_1", root / "load_2")
    return root / "load_1", root / "load_2"


def build(project: DbtProject, loads: tuple[Path, Path], lookback_days: int) -> tuple[Path, str]:
    """Build load 1, then load 2 incrementally, then a --full-refresh copy of load 2.

    Returns the incremental build's copy and the incremental run's output (it may fail).
    """
    raw_dir = project.workdir / "raw"
    raw_dir.mkdir(parents=True)
    variables = {
        "raw_data_path": str(raw_dir),
        "raw_data_format": "parquet",
        "incremental_lookback_days": lookback_days,
    }
    for table in TABLES:
        shutil.copy(loads[0] / f"{table}.parquet", raw_dir / f"{table}.parquet")
    project.build(*SELECT, vars_=variables)
    for table in TABLES:
        shutil.copy(loads[1] / f"{table}.parquet", raw_dir / f"{table}.parquet")
    output = project.dbt("build", *SELECT, vars_=variables).stdout
    compiled = next(
        (project.workdir / "target" / "compiled").rglob("base_tracking__events_checked.sql")
    )
    # the run was incremental (a full rebuild would prove nothing)
    assert "window_event_ids" in compiled.read_text()
    incremental = project.workdir / "incremental.duckdb"
    shutil.copy(project.database, incremental)
    project.build(*SELECT, "--full-refresh", vars_=variables)
    return incremental, output


def test_incremental_base_equals_full_refresh(tmp_path: Path, loads: tuple[Path, Path]) -> None:
    """Every raw row ends up where a full refresh puts it, re-deliveries included."""
    project = DbtProject(tmp_path / "build")
    incremental, output = build(project, loads, lookback_days=3)
    assert "ERROR=0" in output, output[-3000:]
    assert differences(incremental, project.database) == {}
    kept = dict(
        query(
            incremental,
            "select event_id, page_url from staging.stg_tracking__events "
            "where event_id like 'e_case_%'",
        )
    )
    assert kept == {
        "e_case_exact": "https://www.journeyco.example/original",
        "e_case_changed": "https://www.journeyco.example/changed",
        "e_case_twice": None,
        "e_case_late": None,
    }
    rejected = sorted(
        query(
            incremental,
            "select coalesce(event_id, '(none)'), reject_reason "
            "from staging.stg_tracking__events_rejects "
            "where event_id like 'e_case_%' or (event_id is null and anonymous_id = 'a_case')",
        )
    )
    assert rejected == sorted(
        [
            ("e_case_exact", "duplicate"),
            ("e_case_changed", "duplicate"),
            ("e_case_malformed", "duplicate"),
            ("e_case_malformed", "malformed_occurred_at"),
            ("e_case_twice", "duplicate"),
            ("e_case_unknown", "duplicate"),
            ("e_case_unknown", "malformed_occurred_at"),
            ("e_case_future", "future_occurred_at"),
            ("(none)", "missing_event_id"),
            ("(none)", "missing_event_id"),
            ("(none)", "missing_event_id"),
            ("(none)", "missing_event_id"),
        ]
    )


def test_without_lookback_the_late_event_is_lost(tmp_path: Path, loads: tuple[Path, Path]) -> None:
    """With no lookback the late event (no load time) is missed: the comparison has teeth.

    The reconciliation of raw rows with clean + rejects fails in that run too.
    """
    project = DbtProject(tmp_path / "build")
    incremental, output = build(project, loads, lookback_days=0)
    assert "FAIL 1 row_count_reconciles_stg_tracking__events" in output
    assert "staging.stg_tracking__events" in differences(incremental, project.database)
    assert not query(
        incremental,
        "select 1 from staging.stg_tracking__events where event_id = 'e_case_late'",
    )
