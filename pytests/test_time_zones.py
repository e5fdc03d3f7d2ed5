"""Naive raw timestamps are UTC by contract, whatever the session's time zone.

The same generated data is built twice: with the profile's session time zone UTC and with
America/New_York. Every table of the marts schema and every clean staging model must come
out identical, row by row. (When naive text was read in the session's zone, every timestamp
moved by 4-5 hours and events near midnight changed day, week and month.)
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from dbt_harness import STAGING, DbtProject, query, read_csv_rows, run_datagen

ZONES = ("UTC", "America/New_York")


def _normalised(rows: list[tuple]) -> list[tuple]:
    """Rows with doubles rounded (parallel sums may differ in the last bits), sorted."""

    def value(item: object) -> object:
        return round(item, 9) if isinstance(item, float) else item

    return sorted(
        (tuple(value(item) for item in row) for row in rows),
        key=lambda row: tuple((item is None, str(item)) for item in row),
    )


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    """The raw data directory, and one DuckDB file per session time zone built from it."""
    raw_dir = tmp_path_factory.mktemp("tz_raw")
    run_datagen("--people", "150", "--seed", "5", "--out", str(raw_dir))
    databases = {}
    for zone in ZONES:
        project = DbtProject(
            tmp_path_factory.mktemp(f"tz_{zone.replace('/', '_')}"),
            profile_settings={"TimeZone": zone},
        )
        vars_ = {"raw_data_path": str(raw_dir)}
        # Seeds and models only: the data tests run in the other end-to-end builds.
        project.build("--resource-type", "seed", "--resource-type", "model", vars_=vars_)
        # Guard the test itself: the profile's zone must really be the session's zone.
        shown = project.dbt(
            "show", "--inline", "select current_setting('TimeZone') as zone",
            "--output", "json", "--log-format", "json", vars_=vars_,
        )  # fmt: skip
        assert shown.returncode == 0, shown.stdout[-3000:]
        assert f'"zone": "{zone}"' in shown.stdout or _shown_zone(shown.stdout) == zone
        databases[zone] = project.database
    return raw_dir, databases


def _shown_zone(stdout: str) -> str | None:
    """The zone in `dbt show --output json` log lines (JSON-in-JSON)."""
    for line in stdout.splitlines():
        try:
            preview = json.loads(line).get("data", {}).get("preview")
        except json.JSONDecodeError:
            continue
        if preview:
            return json.loads(preview)[0]["zone"]
    return None


def _relations(database: Path) -> list[str]:
    marts = [
        f"marts.{name}"
        for (name,) in query(
            database,
            "select table_name from information_schema.tables"
            " where table_schema = 'marts' order by 1",
        )
    ]
    return marts + [f"staging.{clean}" for clean, _, _ in STAGING.values()]


def test_marts_identical_whatever_the_session_zone(
    builds: tuple[Path, dict[str, Path]],
) -> None:
    _, databases = builds
    relations = _relations(databases["UTC"])
    assert {"marts.mart_kpi_values", "marts.fct_events", "marts.dim_date"} <= set(relations)
    assert relations == _relations(databases["America/New_York"])
    differing = []
    for relation in relations:
        utc, new_york = (
            _normalised(query(databases[zone], f"select * from {relation}")) for zone in ZONES
        )
        assert utc, f"{relation} is empty: comparing it would prove nothing"
        if utc != new_york:
            differing.append(relation)
    assert differing == []


def test_naive_timestamps_are_read_as_utc(builds: tuple[Path, dict[str, Path]]) -> None:
    """A clean event's occurred_at is its raw wall-clock text, in both builds."""
    raw_dir, databases = builds
    raw = {
        row["event_id"]: dt.datetime.fromisoformat(row["occurred_at"])
        for row in read_csv_rows(raw_dir / "events.csv")
    }
    for zone in ZONES:
        staged = dict(
            query(databases[zone], "select event_id, occurred_at from staging.stg_tracking__events")
        )
        assert staged, zone
        assert staged == {event_id: raw[event_id] for event_id in staged}, zone
