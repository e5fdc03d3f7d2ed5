"""Read-only access to the journey-kpis DuckDB build for the dashboard.

Every query opens the file read-only and closes it right away, so a `dbt build` can take its
write lock while the dashboard is running. Nothing here aggregates a KPI: each read fixes one
period grain, one channel and one persona (the `all` rows are the totals), so no `all` row is
ever summed with per-channel or per-persona rows (README "Rolling KPIs up in a BI tool").
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

REPO_ROOT = Path(__file__).resolve().parent.parent
BUILD_COMMAND = "bash scripts/build.sh"

STAGES = ["awareness", "consideration", "conversion", "onboarding", "retention", "advocacy"]
GRAINS = ["month", "week", "day"]

# The tables each page reads (schema.table), to say which pages a partial build affects.
STAGE_TABLES = ["marts.mart_kpi_values", "marts.mart_kpi_targets", "marts.dim_kpis"]
PAGE_TABLES: dict[str, list[str]] = {
    **{stage: STAGE_TABLES for stage in STAGES},
    "funnel": ["marts.mart_journey_funnel", "marts.mart_kpi_values"],
    "cohort_retention": ["marts.mart_cohort_retention"],
    "overview": ["marts.mart_kpi_targets"],
    "attribution": ["marts.mart_channel_attribution"],
    "journey_paths": ["marts.mart_journey_paths"],
}
COMMON_TABLES = ["marts.mart_kpi_coverage", "intermediate.int_as_of_date"]


def duckdb_path() -> Path:
    """Return the DuckDB file to read.

    Env JOURNEY_KPIS_DUCKDB_PATH (as the dbt profile), default journey_kpis.duckdb at the
    repo root.
    """
    configured = os.environ.get("JOURNEY_KPIS_DUCKDB_PATH")
    path = Path(configured) if configured else REPO_ROOT / "journey_kpis.duckdb"
    return path if path.is_absolute() else REPO_ROOT / path


class DatabaseUnavailable(Exception):
    """The DuckDB file is missing, locked by a running build, or unreadable."""


def query(path: Path, sql: str, params: list | None = None) -> pd.DataFrame:
    """Run one read-only query and close the connection."""
    if not path.exists():
        raise DatabaseUnavailable(
            f"The DuckDB file {path} does not exist. Build it first: `{BUILD_COMMAND}` "
            "(or point JOURNEY_KPIS_DUCKDB_PATH at a built file)."
        )
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            raise DatabaseUnavailable(
                f"The DuckDB file {path} is locked by another process (most likely a running "
                "`dbt build`). Wait until it finishes, then reload this page."
            ) from error
        raise DatabaseUnavailable(f"The DuckDB file {path} cannot be opened: {error}") from error
    except duckdb.Error as error:
        raise DatabaseUnavailable(f"The DuckDB file {path} cannot be opened: {error}") from error
    try:
        return con.execute(sql, params or []).df()
    finally:
        con.close()


@dataclass
class BuildStatus:
    """What the build holds: as-of date, absent tables, KPIs whose sources were empty."""

    as_of_date: object = None
    latest_data_date: object = None
    missing_tables: list[str] = field(default_factory=list)
    uncovered_kpis: pd.DataFrame = field(default_factory=pd.DataFrame)

    def pages_missing_tables(self) -> dict[str, list[str]]:
        """Page -> the tables it needs that the build lacks."""
        return {
            page: [t for t in tables if t in self.missing_tables]
            for page, tables in PAGE_TABLES.items()
            if any(t in self.missing_tables for t in tables)
        }


def _day(value: object) -> str | None:
    """Format a date (or timestamp) as YYYY-MM-DD; None stays None."""
    return None if pd.isna(value) else str(pd.Timestamp(value).date())


def build_status(path: Path) -> BuildStatus:
    """Inspect the build: which tables exist, the as-of date, and mart_kpi_coverage."""
    wanted = sorted({t for tables in PAGE_TABLES.values() for t in tables} | set(COMMON_TABLES))
    present = query(
        path,
        "select table_schema || '.' || table_name as name from information_schema.tables",
    )
    present_names = set(present["name"])
    status = BuildStatus(missing_tables=[t for t in wanted if t not in present_names])
    if "intermediate.int_as_of_date" in present_names:
        as_of = query(path, "select as_of_date, latest_data_date from intermediate.int_as_of_date")
        if len(as_of):
            status.as_of_date = _day(as_of["as_of_date"].iloc[0])
            status.latest_data_date = _day(as_of["latest_data_date"].iloc[0])
    if "marts.mart_kpi_coverage" in present_names:
        status.uncovered_kpis = query(
            path,
            "select kpi_name, journey_stage, coverage_status, source_tables,"
            " empty_source_tables, missing_records from marts.mart_kpi_coverage"
            " where coverage_status <> 'reported' order by journey_stage, kpi_name",
        )
    return status


def stage_kpis(path: Path, stage: str) -> pd.DataFrame:
    """Return the catalog KPIs of one journey stage (dim_kpis), in name order."""
    return query(
        path,
        "select kpi_name, unit, aggregation, sample_unit, higher_is_better, is_persona_sliced,"
        " description from marts.dim_kpis where journey_stage = ? order by kpi_name",
        [stage],
    )


def kpi_trends(path: Path, stage: str, grain: str, channel: str, persona: str) -> pd.DataFrame:
    """Return one row per KPI of the stage and period.

    The mart_kpi_values row of exactly one period grain, channel and persona (never a sum
    over rows), with its sample size (denominator).
    """
    frame = query(
        path,
        "select v.kpi_name, v.period_start, v.numerator, v.denominator, v.value"
        " from marts.mart_kpi_values as v"
        " inner join marts.dim_kpis as k on v.kpi_name = k.kpi_name"
        " where k.journey_stage = ? and v.period_grain = ? and v.channel = ?"
        " and v.persona = ? order by v.kpi_name, v.period_start",
        [stage, grain, channel, persona],
    )
    if frame.duplicated(["kpi_name", "period_start"]).any():
        raise ValueError("mart_kpi_values holds more than one row per KPI and period")
    return frame


def kpi_targets(path: Path, channel: str, persona: str) -> pd.DataFrame:
    """Return the target of each KPI for this channel and persona.

    mart_kpi_targets applies the most specific target of seed kpi_targets; the targets are
    rates and scores, valid at any grain.
    """
    return query(
        path,
        "select kpi_name, min(target_value) as target_value, min(direction) as direction,"
        " min(target_description) as target_description from marts.mart_kpi_targets"
        " where channel = ? and persona = ? group by kpi_name",
        [channel, persona],
    )


def dimension_values(path: Path, column: str) -> list[str]:
    """Channel or persona values of mart_kpi_values, `all` (the total rows) first."""
    if column not in ("channel", "persona"):
        raise ValueError(column)
    values = query(path, f"select distinct {column} as v from marts.mart_kpi_values order by v")
    rest = [v for v in values["v"] if v != "all"]
    return ["all", *rest]


def funnel(path: Path, channel: str, persona: str) -> pd.DataFrame:
    """People reaching each stage (all cohort months: a person has one cohort month)."""
    return query(
        path,
        "select journey_stage, stage_order, sum(people_reached) as people_reached"
        " from marts.mart_journey_funnel where channel = ? and persona = ?"
        " group by journey_stage, stage_order order by stage_order",
        [channel, persona],
    )


def funnel_by(path: Path, dimension: str, other_value: str) -> pd.DataFrame:
    """Funnel per persona (channel fixed) or per channel (persona fixed): detail rows only."""
    other = {"persona": "channel", "channel": "persona"}[dimension]
    return query(
        path,
        f"select {dimension} as segment, journey_stage, stage_order,"
        " sum(people_reached) as people_reached from marts.mart_journey_funnel"
        f" where {other} = ? and {dimension} <> 'all'"
        " group by 1, 2, 3 order by 1, 3",
        [other_value],
    )


def funnel_dropoff(path: Path, grain: str, channel: str, persona: str) -> pd.DataFrame:
    """funnel_dropoff_rate per funnel step (it is stored per step: never summed over steps)."""
    return query(
        path,
        "select journey_stage, period_start, numerator, denominator, value"
        " from marts.mart_kpi_values where kpi_name = 'funnel_dropoff_rate'"
        " and period_grain = ? and channel = ? and persona = ?"
        " order by journey_stage, period_start",
        [grain, channel, persona],
    )


def cohort_retention(path: Path, channel: str, persona: str) -> pd.DataFrame:
    """Retention rate per acquisition cohort month and months since acquisition."""
    return query(
        path,
        "select cohort_month, months_since_acquisition, cohort_customers, active_customers,"
        " retention_rate from marts.mart_cohort_retention where channel = ? and persona = ?"
        " order by cohort_month, months_since_acquisition",
        [channel, persona],
    )


def attribution_by_model(path: Path, persona: str) -> pd.DataFrame:
    """Attributed conversions and revenue per model and channel over the whole history.

    Rows of persona `all` carry credits, spend and ratios; persona rows carry credits only, so
    ROAS is re-divided from sums on the `all` rows and left empty for a persona.
    """
    return query(
        path,
        "select attribution_model, channel,"
        " sum(attributed_conversions) as attributed_conversions,"
        " sum(attributed_revenue) as attributed_revenue, sum(spend) as spend,"
        " sum(attributed_revenue) / nullif(sum(spend), 0) as roas"
        " from marts.mart_channel_attribution where persona = ?"
        " group by 1, 2 order by 1, 2",
        [persona],
    )


def top_paths(path: Path, persona: str) -> pd.DataFrame:
    """Return the top journey paths of a persona (`all`: everyone), mart_journey_paths."""
    return query(
        path,
        "select path_rank, path, journeys, conversions, non_conversions, conversion_rate"
        " from marts.mart_journey_paths where persona = ? and is_top_path order by path_rank",
        [persona],
    )


def sankey_links(paths: pd.DataFrame, separator: str = " > ") -> pd.DataFrame:
    """Return the links (source, target, journeys) of a Sankey over the given paths.

    Step nodes `1. direct`, `2. email`, ..., then `conversion` / `no conversion`.
    """
    rows = []
    for record in paths.itertuples():
        nodes = [f"{i}. {channel}" for i, channel in enumerate(record.path.split(separator), 1)]
        for source, target in zip(nodes, nodes[1:], strict=False):
            rows.append((source, target, record.journeys))
        rows.append((nodes[-1], "conversion", record.conversions))
        rows.append((nodes[-1], "no conversion", record.non_conversions))
    links = pd.DataFrame(rows, columns=["source", "target", "journeys"])
    links = links[links["journeys"] > 0]
    return links.groupby(["source", "target"], as_index=False)["journeys"].sum()


def target_status_last_month(path: Path, channel: str, persona: str) -> pd.DataFrame:
    """Count per journey stage the KPIs that met, missed or could not judge their target.

    In the latest month of mart_kpi_targets (counts of KPIs, one row each).
    """
    return query(
        path,
        "select journey_stage, target_status, max(month_start_date) as month_start_date,"
        " count(*) as kpis from marts.mart_kpi_targets where channel = ? and persona = ?"
        " and month_start_date = (select max(month_start_date) from marts.mart_kpi_targets)"
        " group by 1, 2 order by 1, 2",
        [channel, persona],
    )
