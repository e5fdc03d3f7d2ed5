"""Checks on the KPI marts of a full demo build that span several models.

The KPI values themselves are recomputed independently in test_kpi_recompute.py; here:
every stage mart has a column for every KPI of its stage, the wide marts agree with the
long mart, and every KPI is documented.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
from dbt_harness import REPO_ROOT

STAGES = ["awareness", "consideration", "conversion", "onboarding", "retention", "advocacy"]


def kpi_definitions() -> list[dict[str, str]]:
    """Rows of seeds/reference/kpi_definitions.csv."""
    with (REPO_ROOT / "seeds/reference/kpi_definitions.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def con(demo_db: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(demo_db), read_only=True)
    yield connection
    connection.close()


@pytest.mark.parametrize("stage", STAGES)
def test_stage_mart_has_every_kpi_of_its_stage(con: duckdb.DuckDBPyConnection, stage: str) -> None:
    expected = {row["kpi_name"] for row in kpi_definitions() if row["journey_stage"] == stage}
    columns = {
        name
        for (name,) in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'marts' and table_name = ?",
            [f"mart_{stage}"],
        ).fetchall()
    }
    assert expected <= columns, f"mart_{stage} lacks {sorted(expected - columns)}"


@pytest.mark.parametrize("stage", STAGES)
def test_stage_mart_agrees_with_long_mart(con: duckdb.DuckDBPyConnection, stage: str) -> None:
    kpis = [row["kpi_name"] for row in kpi_definitions() if row["journey_stage"] == stage]
    mismatches = []
    for kpi in kpis:
        rows = con.execute(
            f"""
            select wide.channel, wide.persona, wide.month_start_date, wide.{kpi}, long.value
            from marts.mart_{stage} as wide
            full outer join (
                select * from marts.mart_kpi_values
                where kpi_name = ? and period_grain = 'month'
            ) as long
                on wide.channel = long.channel
                and wide.persona = long.persona
                and wide.month_start_date = long.period_start
            where wide.{kpi} is distinct from long.value
                and not (wide.{kpi} is null and long.value is null)
            """,
            [kpi],
        ).fetchall()
        mismatches += [(kpi, *row) for row in rows if row[0] is not None or row[4] is not None]
    assert not mismatches, mismatches[:20]


def test_every_kpi_has_a_doc_block() -> None:
    docs = "".join(path.read_text() for path in (REPO_ROOT / "models").rglob("*.md"))
    missing = [
        row["kpi_name"]
        for row in kpi_definitions()
        if f"{{% docs kpi_{row['kpi_name']} %}}" not in docs
    ]
    assert not missing, f"KPIs without a doc block: {missing}"


def test_revenue_matches_completed_orders_in_raw_csv(con: duckdb.DuckDBPyConnection) -> None:
    """Revenue in the long mart equals completed-order revenue computed from the raw CSV."""
    latest: dict[str, dict[str, str]] = {}
    with (REPO_ROOT / "seeds/raw/orders.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            kept = latest.get(row["order_id"])
            if kept is None or row["_loaded_at"] > kept["_loaded_at"]:
                latest[row["order_id"]] = row
    expected = sum(
        float(row["amount"])
        for row in latest.values()
        if row["status"].strip().lower() == "completed"
    )
    [(actual,)] = con.execute(
        "select sum(numerator) from marts.mart_kpi_values "
        "where kpi_name = 'revenue' and period_grain = 'month' "
        "and channel = 'all' and persona = 'all'"
    ).fetchall()
    assert actual == pytest.approx(expected, abs=0.01)


def test_survey_kpis_show_their_sample_size() -> None:
    """Every KPI whose sample is survey responses has a `<kpi>_responses` column in its
    stage mart (macro kpi_catalog())."""
    sampled = [row for row in kpi_definitions() if row["sample_unit"] == "responses"]
    assert {row["kpi_name"] for row in sampled} >= {
        "nps",
        "csat",
        "customer_effort_score",
        "review_rating",
        "brand_recall_rate",
    }


@pytest.mark.parametrize("stage", STAGES)
def test_sample_sizes_agree_with_long_mart(con: duckdb.DuckDBPyConnection, stage: str) -> None:
    """A wide mart's `<kpi>_responses` is the long mart's denominator of that KPI."""
    kpis = [
        row["kpi_name"]
        for row in kpi_definitions()
        if row["journey_stage"] == stage and row["sample_unit"] == "responses"
    ]
    mismatches = []
    for kpi in kpis:
        mismatches += con.execute(
            f"""
            select wide.channel, wide.persona, wide.month_start_date,
                wide.{kpi}_responses, long.denominator
            from marts.mart_{stage} as wide
            left join (
                select * from marts.mart_kpi_values
                where kpi_name = ? and period_grain = 'month'
            ) as long
                on wide.channel = long.channel
                and wide.persona = long.persona
                and wide.month_start_date = long.period_start
            where wide.{kpi}_responses is distinct from long.denominator
            """,
            [kpi],
        ).fetchall()
    assert not mismatches, mismatches[:20]
