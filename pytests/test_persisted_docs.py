"""Descriptions reach the warehouse: every mart and every mart column carries its dbt
description as a comment (persist_docs in dbt_project.yml), so a BI tool shows them (the
models of models/marts/kpi_families too, in their schema kpi_families), and
the long KPI mart and dim_kpis say in the warehouse itself which KPIs cannot be summed.

Read back from the DuckDB build (duckdb_tables() / duckdb_columns()). On PostgreSQL and
Spark the demo build reaches the tests as a DuckDB snapshot without comments, so these
tests run on the DuckDB engine only.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
from conftest import engine_under_test
from dbt_harness import REPO_ROOT

pytestmark = pytest.mark.skipif(
    engine_under_test() != "duckdb",
    reason="comments are read from the DuckDB build (other engines reach tests as snapshots)",
)

MARTS = sorted(path.stem for path in (REPO_ROOT / "models" / "marts").rglob("*.sql"))
# Schemas of the models of models/marts (the KPI family models have their own).
MART_SCHEMAS = "('marts', 'kpi_families')"


def non_additive_kpis() -> list[str]:
    """KPIs of seed kpi_definitions whose aggregation is non_additive."""
    with (REPO_ROOT / "seeds/reference/kpi_definitions.csv").open(newline="") as handle:
        return [
            row["kpi_name"]
            for row in csv.DictReader(handle)
            if row["aggregation"] == "non_additive"
        ]


@pytest.fixture(scope="module")
def con(demo_db: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(demo_db), read_only=True)
    yield connection
    connection.close()


def table_comments(con: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    return dict(
        con.execute(
            f"select table_name, comment from duckdb_tables() where schema_name in {MART_SCHEMAS}"
        ).fetchall()
    )


def test_every_mart_has_a_table_comment(con: duckdb.DuckDBPyConnection) -> None:
    comments = table_comments(con)
    missing_tables = [mart for mart in MARTS if mart not in comments]
    assert not missing_tables, f"marts not built: {missing_tables}"
    uncommented = [mart for mart in MARTS if not (comments[mart] or "").strip()]
    assert not uncommented, f"marts without a comment in the warehouse: {uncommented}"


def test_every_mart_column_has_a_comment(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(
        "select table_name, column_name, comment from duckdb_columns() "
        f"where schema_name in {MART_SCHEMAS} order by table_name, column_index"
    ).fetchall()
    assert rows, "no mart columns found"
    uncommented = [
        f"{table}.{column}" for table, column, comment in rows if not (comment or "").strip()
    ]
    assert not uncommented, f"{len(uncommented)} mart columns without a comment: {uncommented[:30]}"
    unrendered = [
        f"{table}.{column}"
        for table, column, comment in rows
        if comment and ("{{" in comment or "{%" in comment)
    ]
    assert not unrendered, f"comments with unrendered Jinja: {unrendered[:30]}"


@pytest.mark.parametrize("mart", ["mart_kpi_values", "dim_kpis"])
def test_comment_names_the_kpis_that_cannot_be_summed(
    con: duckdb.DuckDBPyConnection, mart: str
) -> None:
    comment = table_comments(con)[mart] or ""
    kpis = non_additive_kpis()
    assert kpis, "the seed lists no non_additive KPI"
    assert "non_additive" in comment
    unnamed = [kpi for kpi in kpis if kpi not in comment]
    assert not unnamed, f"{mart}'s comment does not name these non-additive KPIs: {unnamed}"


def test_kpi_rows_carry_their_aggregation(con: duckdb.DuckDBPyConnection) -> None:
    """mart_kpi_values.aggregation and dim_kpis agree with the seed for every KPI row."""
    with (REPO_ROOT / "seeds/reference/kpi_definitions.csv").open(newline="") as handle:
        seed = {row["kpi_name"]: row["aggregation"] for row in csv.DictReader(handle)}
    in_mart = dict(
        con.execute("select distinct kpi_name, aggregation from marts.mart_kpi_values").fetchall()
    )
    in_dim = dict(con.execute("select kpi_name, aggregation from marts.dim_kpis").fetchall())
    assert in_dim == seed
    assert {kpi: seed[kpi] for kpi in in_mart} == in_mart
