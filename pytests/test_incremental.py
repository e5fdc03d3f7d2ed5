"""An incremental run gives exactly the rows of a `--full-refresh` build of the same data.

The event and session chain (int_events_stitched, int_events_sessionized, int_sessions_built,
fct_events, fct_sessions) is incremental (macros/incremental.sql). This test builds on the
raw data up to day D, appends days D+1..D+3 with the cases that change history:

- late events: events of day D-1 (existing sessions and anonymous_ids) that arrive only with
  the new load, without a `_loaded_at` (so only the lookback window catches them);
- re-delivered events: exact copies, a copy with changed content (the latest copy wins) and
  a copy with a malformed timestamp (rejected, so the event is gone);
- a session that spans the D/D+1 boundary (23:50 on D, 00:05 on D+1, same anonymous_id);
- a new login that stitches an anonymous_id never identified before (its older events move
  to the user), and a late earlier login by another user on an identified anonymous_id
  (its anonymous events move from the first user, whose sessions change, to the new one);
- an order re-delivered as refunded (its purchase event stops converting);
- a new lead (load 2 only) for a user seen since the first days and without a lead, whose
  persona so changes to enterprise_buyer: the incremental KPI models (kpis_sessions,
  kpis_content) must recompute every period of the user's activity under the new persona;

runs `dbt build` incrementally, and compares every table of the marts and KPI family
schemas, and the incremental chain's intermediate tables, row for row with a
`--full-refresh` build of the same data into another database.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest
from dbt_harness import DbtProject, query, run_datagen

TABLES = ["events", "leads", "orders", "survey_responses", "marketing_spend"]
# The incremental chain's own tables are compared too, without the run stamps (and those of
# the incremental KPI models).
RUN_STAMPS = {"stitched_at", "sessionized_at", "built_at", "computed_at", "assigned_at"}
BUILD_ARGS = ("--exclude-resource-type", "unit_test", "--exclude-resource-type", "test")


def _ts(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


def write_loads(full_dir: Path, first: Path, second: Path) -> None:
    """Split generated data into load 1 (events up to day D) and load 2 (all, plus the cases)."""
    first.mkdir()
    second.mkdir()
    con = duckdb.connect()
    for table in TABLES:
        con.execute(
            f"create table {table} as select * from read_csv("
            f"'{full_dir}/{table}.csv', all_varchar = true, header = true)"
        )
    last_day = con.execute("select max(cast(occurred_at as date)) from events").fetchone()[0]
    day_d = last_day - dt.timedelta(days=3)
    midnight = dt.datetime.combine(day_d + dt.timedelta(days=1), dt.time())
    info = con.execute("select name from pragma_table_info('events')").fetchall()
    columns = [row[0] for row in info]

    def add_event(table: str, **values: str | None) -> None:
        row = {name: values.get(name) for name in columns}
        con.execute(
            f"insert into {table} values ({', '.join('?' for _ in columns)})",
            [row[name] for name in columns],
        )

    # Load 1: events that occurred up to day D, minus the late ones (the last 20 events of
    # day D - 1 with an anonymous_id), which arrive with load 2.
    con.execute(
        f"""
        create table late as
        select event_id from events
        where cast(occurred_at as date) = date '{day_d - dt.timedelta(days=1)}'
            and anonymous_id is not null
        order by occurred_at desc, event_id
        limit 20
        """
    )
    con.execute(
        f"""
        create table events_1 as
        select * from events
        where cast(occurred_at as date) <= date '{day_d}'
            and event_id not in (select event_id from late)
        """
    )
    # A session across the boundary: 23:50 on D (load 1) and 00:05 on D+1 (load 2), on an
    # anonymous_id seen before D.
    boundary_anonymous_id = con.execute(
        "select min(anonymous_id) from events_1 where anonymous_id is not null"
    ).fetchone()[0]
    for table in ("events_1", "events"):
        add_event(
            table,
            event_id="e_boundary_1",
            event_type="page_view",
            occurred_at=_ts(midnight - dt.timedelta(minutes=10)),
            anonymous_id=boundary_anonymous_id,
            page_url="https://www.journeyco.example/pricing",
            device="desktop",
            _loaded_at=_ts(midnight - dt.timedelta(minutes=5)),
        )
    add_event(
        "events",
        event_id="e_boundary_2",
        event_type="page_view",
        occurred_at=_ts(midnight + dt.timedelta(minutes=5)),
        anonymous_id=boundary_anonymous_id,
        page_url="https://www.journeyco.example/features",
        device="desktop",
        _loaded_at=_ts(midnight + dt.timedelta(minutes=20)),
    )
    # Late events: no load time, so only the lookback on occurred_at finds them.
    con.execute("update events set _loaded_at = null where event_id in (select event_id from late)")
    # A new login stitching an anonymous_id that load 1 never identified.
    login_anonymous_id = con.execute(
        """
        select anonymous_id from events_1 where anonymous_id is not null
        group by anonymous_id
        having count(user_id) = 0 and count(*) >= 3
        order by anonymous_id limit 1
        """
    ).fetchone()[0]
    add_event(
        "events",
        event_id="e_new_login",
        event_type="login",
        occurred_at=_ts(midnight + dt.timedelta(days=1, hours=9)),
        anonymous_id=login_anonymous_id,
        user_id="u_new_login",
        page_url="https://www.journeyco.example/app",
        device="mobile",
        _loaded_at=_ts(midnight + dt.timedelta(days=1, hours=10)),
    )
    # A late earlier login by another user on an anonymous_id that load 1 identified: its
    # anonymous events move from the first user to this one, whose sessions change too.
    identified = con.execute(
        """
        select anonymous_id, min(occurred_at) from events_1 where anonymous_id is not null
        group by anonymous_id
        having count(user_id) > 0 and count(*) - count(user_id) >= 3
        order by anonymous_id limit 1
        """
    ).fetchone()
    add_event(
        "events",
        event_id="e_late_login",
        event_type="login",
        occurred_at=_ts(dt.datetime.fromisoformat(identified[1]) - dt.timedelta(minutes=1)),
        anonymous_id=identified[0],
        user_id="u_late_login",
        page_url="https://www.journeyco.example/app",
        device="desktop",
        _loaded_at=_ts(midnight + dt.timedelta(days=2, hours=1)),
    )
    # Re-deliveries of load-1 events on D+2: exact copies, a changed copy, a rejected copy.
    redelivered = [
        event_id
        for (event_id,) in con.execute(
            """
            select event_id from events_1
            where anonymous_id is not null and event_id like 'e\\_0%' escape '\\'
            order by event_id desc limit 5
            """
        ).fetchall()
    ]
    reload_at = _ts(midnight + dt.timedelta(days=2))
    con.execute(
        f"""
        insert into events
        select * replace (
            case when event_id = '{redelivered[3]}' then 'https://www.journeyco.example/changed'
                else page_url end as page_url,
            case when event_id = '{redelivered[4]}' then 'not a timestamp'
                else occurred_at end as occurred_at,
            '{reload_at}' as _loaded_at
        )
        from events where event_id in ({", ".join(f"'{e}'" for e in redelivered)})
        """
    )
    # An order re-delivered as refunded on D+2: its purchase event no longer converts.
    refunded = con.execute(
        """
        select orders.order_id from orders
        inner join events_1 on events_1.event_type = 'purchase'
            and json_extract_string(events_1.properties, '$.order_id') = orders.order_id
        where orders.status = 'completed'
        order by orders.order_id limit 1
        """
    ).fetchone()
    if refunded:
        con.execute(
            f"""
            insert into orders
            select * replace ('refunded' as status, '{reload_at}' as _loaded_at)
            from orders where order_id = '{refunded[0]}'
            """
        )
    # A persona change: a new lead, in load 2 only, for the user with the earliest first event
    # among those without a lead (an executive of a 1001+ company: enterprise_buyer).
    persona_user = con.execute(
        """
        select user_id from events_1
        where user_id is not null
            and user_id not in (select user_id from leads where user_id is not null)
        group by user_id
        order by min(occurred_at), user_id limit 1
        """
    ).fetchone()[0]
    con.execute("create table leads_1 as select * from leads")
    con.execute(
        f"""
        insert into leads
        select * replace (
            'l_persona_change' as lead_id, '{persona_user}' as user_id,
            'persona.change@example.com' as email, '{reload_at}' as created_at,
            'executive' as job_role, '1001+' as company_size, null as mql_at, null as sql_at,
            null as opportunity_at, null as won_at, null as lost_at, null as deal_amount,
            '{reload_at}' as _loaded_at
        )
        from leads order by lead_id limit 1
        """
    )
    for table in TABLES:
        source = {"events": "events_1", "leads": "leads_1"}.get(table, table)
        if table == "orders":
            source = "(select distinct on (order_id) * from orders order by order_id, _loaded_at)"
        for directory, relation in ((first, source), (second, table)):
            con.execute(
                f"copy (select * from {relation}) to '{directory / table}.parquet' (format parquet)"
            )
    con.close()


def differences(left: Path, right: Path, only: str | None = None) -> dict[str, int]:
    """Rows of every marts / kpi_families table (and of the chain) that differ between builds.

    Rows pair up on their other columns; doubles then match within a relative 1e-9: a sum of
    doubles may differ in its last bits between any two builds (DuckDB aggregates in
    parallel, in no fixed order).
    """
    con = duckdb.connect()
    con.execute(f"attach '{left}' as l (read_only)")
    con.execute(f"attach '{right}' as r (read_only)")
    tables = con.execute(
        """
        select table_schema, table_name from information_schema.tables
        where table_catalog = 'l' and table_type = 'BASE TABLE'
            and (table_schema in ('marts', 'kpi_families')
                or table_name in ('int_events_stitched', 'int_events_sessionized',
                                  'int_sessions_built', 'base_tracking__events_checked'))
        order by 1, 2
        """
    ).fetchall()
    if only:
        tables = [(schema, table) for schema, table in tables if f"{schema}.{table}" == only]
    assert tables
    found = {}
    for schema, table in tables:
        columns = [
            (name, data_type in ("DOUBLE", "FLOAT"))
            for name, data_type in con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_catalog = 'l' and table_schema = ? and table_name = ? "
                "order by ordinal_position",
                [schema, table],
            ).fetchall()
            if name not in RUN_STAMPS
        ]
        exact = [f'"{name}"' for name, is_double in columns if not is_double]
        doubles = [f'"{name}"' for name, is_double in columns if is_double]
        numbered = ", ".join(
            exact
            + doubles
            + [
                f"row_number() over (partition by {', '.join(exact) or '1'} "
                f"order by {', '.join(doubles) or '1'}) as row_in_group"
            ]
        )
        matches = " and ".join(
            [f"a.{name} is not distinct from b.{name}" for name in exact + ['"row_in_group"']]
            + [
                f"(a.{name} is not distinct from b.{name} or abs(a.{name} - b.{name}) "
                f"<= 1e-9 * greatest(1, abs(a.{name}), abs(b.{name})))"
                for name in doubles
            ]
        )
        count = con.execute(
            f"""
            with a as (select {numbered} from l.{schema}.{table}),
            b as (select {numbered} from r.{schema}.{table})
            select count(*) from a full outer join b on {matches}
            where a.row_in_group is null or b.row_in_group is null
            """
        ).fetchone()[0]
        if count:
            found[f"{schema}.{table}"] = count
    con.close()
    return found


@pytest.fixture(scope="module")
def loads(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Parquet directories of load 1 (up to day D) and load 2 (all data, with the cases)."""
    root = tmp_path_factory.mktemp("incremental_data")
    full_dir = root / "generated"
    run_datagen(
        "--people",
        "250",
        "--seed",
        "5",
        "--start",
        "2026-03-01",
        "--end",
        "2026-06-30",
        "--out",
        str(full_dir),
    )
    write_loads(full_dir, root / "load_1", root / "load_2")
    return root / "load_1", root / "load_2"


def build_incrementally(
    project: DbtProject, loads: tuple[Path, Path], lookback_days: int, *select: str
) -> Path:
    """Build load 1, then load 2 incrementally, through one raw_data_path; returns its copy.

    The files change under the same var values, so dbt parses the project once.
    """
    raw_dir = project.workdir / "raw"
    raw_dir.mkdir(parents=True)
    variables = {
        "raw_data_path": str(raw_dir),
        "raw_data_format": "parquet",
        "incremental_lookback_days": lookback_days,
    }
    for load in loads:
        for table in TABLES:
            shutil.copy(load / f"{table}.parquet", raw_dir / f"{table}.parquet")
        project.build(*BUILD_ARGS, *select, vars_=variables)
    snapshot = project.workdir / "incremental.duckdb"
    shutil.copy(project.database, snapshot)
    return snapshot


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory, loads: tuple[Path, Path]) -> tuple[Path, Path]:
    """(incremental build of load 1 then load 2, --full-refresh build of load 2)."""
    project = DbtProject(tmp_path_factory.mktemp("incremental_build"))
    incremental = build_incrementally(project, loads, lookback_days=3)
    project.build(
        *BUILD_ARGS,
        "--full-refresh",
        vars_={
            "raw_data_path": str(project.workdir / "raw"),
            "raw_data_format": "parquet",
            "incremental_lookback_days": 3,
        },
    )
    return incremental, project.database


def test_incremental_run_equals_full_refresh(builds: tuple[Path, Path]) -> None:
    """Late, re-delivered and re-stitched events end up exactly where a full refresh puts them."""
    incremental, full = builds
    assert differences(incremental, full) == {}
    # The second run was incremental: the chain kept rows stamped by the first run.
    with duckdb.connect(str(incremental), read_only=True) as con:
        stamps = con.execute(
            "select count(distinct stitched_at) from intermediate.int_events_stitched"
        ).fetchone()[0]
    assert stamps == 2
    with duckdb.connect(str(incremental), read_only=True) as con:
        # The KPI models too: rows of periods before the first touched day kept their stamp.
        kpi_stamps = [
            con.execute(f"select count(distinct computed_at) from kpi_families.{table}").fetchone()[
                0
            ]
            for table in ("kpis_sessions", "kpis_content")
        ]
        # The persona change happened in the second run, and the KPI models recomputed the
        # days back to the person's first one.
        changed = con.execute(
            """
            select people.persona, assigned.assigned_at > (
                select min(assigned_at) from kpi_families.kpis_persona_assignments
            ), (
                select min(period_start) from kpi_families.kpis_sessions
                where period_grain = 'day' and computed_at = (
                    select max(computed_at) from kpi_families.kpis_sessions
                )
            ) <= cast(people.first_seen_at as date)
            from marts.dim_people as people
            inner join kpi_families.kpis_persona_assignments as assigned
                on people.person_id = assigned.person_id
            where people.lead_id = 'l_persona_change'
            """
        ).fetchall()
    assert kpi_stamps == [2, 2]
    assert changed == [("enterprise_buyer", True, True)]


def test_without_lookback_late_events_are_lost(
    tmp_path: Path, loads: tuple[Path, Path], builds: tuple[Path, Path]
) -> None:
    """With no lookback the late events (no load time) are missed: the comparison has teeth.

    Builds fct_events and what it reads only, to keep the test short.
    """
    incremental = build_incrementally(
        DbtProject(tmp_path / "build"), loads, 0, "--select", "+fct_events"
    )
    # late events of anonymous_ids with no other new raw row are missing
    assert differences(incremental, builds[1], only="marts.fct_events").get("marts.fct_events")


def test_a_day_that_lost_its_session_is_recomputed(
    tmp_path: Path, loads: tuple[Path, Path]
) -> None:
    """A session deleted with no other change on its day is found by the stored day counts.

    Load 2 is load 1 plus one re-delivered, rejected copy of the only event of a visitor on
    an early day: the chain deletes the event and the session and rebuilds nothing, so only
    the KPI models' comparison of their stored day counts with the facts (kpis_sessions:
    sessions; kpis_content: fact_rows, session events) finds the day.
    """
    first = loads[0]
    second = tmp_path / "load_deleted"
    second.mkdir()
    con = duckdb.connect()
    lone = con.execute(
        f"""
        select any_value(event_id), min(occurred_at)
        from '{first / "events.parquet"}'
        where anonymous_id is not null
        group by anonymous_id
        having count(*) = 1 and count(user_id) = 0
            and any_value(event_type) = 'page_view'
        order by min(occurred_at), any_value(event_id) limit 1
        """
    ).fetchone()
    loaded_at = con.execute(f"select max(_loaded_at) from '{first / 'events.parquet'}'").fetchone()[
        0
    ]
    for table in TABLES:
        relation = f"'{first / table}.parquet'"
        if table == "events":
            relation = f"""(
                select * from {relation}
                union all
                select * replace ('not a timestamp' as occurred_at, '{loaded_at}' as _loaded_at)
                from {relation} where event_id = '{lone[0]}'
            )"""
        con.execute(
            f"copy (select * from {relation}) to '{second / table}.parquet' (format parquet)"
        )
    con.close()
    project = DbtProject(tmp_path / "build")
    selection = ("--select", "+kpis_sessions", "+kpis_content")
    incremental = build_incrementally(project, (first, second), 3, *selection)
    project.build(
        *BUILD_ARGS,
        *selection,
        "--full-refresh",
        vars_={
            "raw_data_path": str(project.workdir / "raw"),
            "raw_data_format": "parquet",
            "incremental_lookback_days": 3,
        },
    )
    # The event (so its session) is gone, and the day's KPI cells with it.
    assert query(
        incremental,
        f"select count(*) from intermediate.int_events_sessionized where event_id = '{lone[0]}'",
    ) == [(0,)]
    for table in ("kpi_families.kpis_sessions", "kpi_families.kpis_content"):
        assert differences(incremental, project.database, only=table) == {}
