"""The MetricFlow semantic layer (models/semantic) agrees with mart_kpi_values.

Every KPI metric is queried through MetricFlow's Python API (the engine behind `mf query`)
at month grain, overall and per channel, on the demo build, and compared with the KPI's
rows of mart_kpi_values (persona `all`, channel `all` resp. each channel); the KPIs the
catalog slices by persona also per persona (channel `all`). So the two ways
of reading a KPI cannot drift apart: change a metric's definition, or a KPI family model,
and this fails.

Comparison rules:
- Values agree within a relative tolerance of 1e-9 (|mf - mart| <= 1e-9 x max(1, |mart|),
  i.e. absolute 1e-9 for values below 1).
- Only rows with a non-null value are compared, and their keys (month, channel or persona)
  must be the same on both sides: a row with a value on one side only is a failure. Rows with a null
  value (a ratio whose denominator is 0) are left out on both sides, since the mart keeps
  them only for slices with some input of that KPI family, while MetricFlow keeps every
  slice of the semantic model.

MetricFlow generates the SQL (MetricFlowEngine.explain, the same plan `mf query` runs) and
the test runs it on the demo DuckDB file, one query per group of metrics sharing a
channel dimension, so the file runs in seconds.
"""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path

import duckdb
import pytest
from dbt_harness import REPO_ROOT

SEMANTIC_DIR = REPO_ROOT / "models/semantic"
EXCLUSIONS = SEMANTIC_DIR / "semantic_layer_exclusions.csv"
TOLERANCE = 1e-9


def catalog_kpis() -> set[str]:
    with (REPO_ROOT / "seeds/reference/kpi_definitions.csv").open(newline="") as handle:
        return {row["kpi_name"] for row in csv.DictReader(handle)}


def excluded_kpis() -> dict[str, str]:
    with EXCLUSIONS.open(newline="") as handle:
        return {row["kpi_name"]: row["reason"] for row in csv.DictReader(handle)}


def _manifest_is_fresh(path: Path) -> bool:
    if not path.exists():
        return False
    newest_source = max(
        source.stat().st_mtime
        for pattern in ("models/**/*.yml", "dbt_project.yml")
        for source in REPO_ROOT.glob(pattern)
    )
    return path.stat().st_mtime >= newest_source


@pytest.fixture(scope="module")
def semantic_manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """target/semantic_manifest.json when it is newer than every YAML file (scripts/test.sh
    has just parsed and built), else a fresh `dbt parse` into a scratch target path."""
    path = REPO_ROOT / "target/semantic_manifest.json"
    if not _manifest_is_fresh(path):
        from dbt.cli.main import dbtRunner

        target = tmp_path_factory.mktemp("semantic_parse")
        result = dbtRunner().invoke(
            ["parse", "--quiet", "--project-dir", str(REPO_ROOT), "--target-path", str(target)]
        )
        assert result.success, f"dbt parse failed: {result.exception}"
        path = target / "semantic_manifest.json"
    return json.loads(path.read_text())


class _DuckDbExplainClient:
    """The two members of MetricFlow's SqlClient protocol that explain() uses: the engine
    type and the SQL renderer (the SQL is run by the test itself)."""

    def __init__(self) -> None:
        from metricflow.protocols.sql_client import SqlEngine
        from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer

        self.sql_engine_type = SqlEngine.DUCKDB
        self.sql_plan_renderer = DuckDbSqlPlanRenderer()


@pytest.fixture(scope="module")
def engine(semantic_manifest: dict):
    from metricflow.engine.metricflow_engine import MetricFlowEngine
    from metricflow_semantics.model.dbt_manifest_parser import (
        parse_manifest_from_dbt_generated_manifest,
    )
    from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

    manifest = parse_manifest_from_dbt_generated_manifest(json.dumps(semantic_manifest))
    return MetricFlowEngine(SemanticManifestLookup(manifest), _DuckDbExplainClient())


@pytest.fixture(scope="module")
def con(demo_db: Path, semantic_manifest: dict) -> duckdb.DuckDBPyConnection:
    """The demo build, attached under the database name the semantic manifest's relations
    use (the DuckDB file's stem at parse time)."""
    database = semantic_manifest["semantic_models"][0]["node_relation"]["database"]
    connection = duckdb.connect()
    connection.execute(f"attach '{demo_db}' as \"{database}\" (read_only)")
    connection.execute(f'use "{database}"')
    yield connection
    connection.close()


def kpi_metrics(semantic_manifest: dict) -> dict[str, str | None]:
    """KPI metric name -> the group-by giving its mart channel (None: channel `all` only)."""
    metrics = {}
    for metric in semantic_manifest["metrics"]:
        channel = ((metric.get("config") or {}).get("meta") or {}).get("kpi_channel")
        if channel:
            metrics[metric["name"]] = None if channel == "none" else channel
    return metrics


def mf_values(engine, con, metrics: list[str], channel: str | None) -> dict:
    """{(metric, month, channel or persona): value} of MetricFlow's answer, non-null values."""
    from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

    group_by = ["metric_time__month"] + ([channel] if channel else [])
    request = MetricFlowQueryRequest.create(metric_names=metrics, group_by_names=group_by)
    sql = engine.explain(request).sql_statement.sql
    result = con.execute(sql)
    columns = [column[0] for column in result.description]
    values = {}
    for row in result.fetchall():
        record = dict(zip(columns, row, strict=True))
        month = record["metric_time__month"]
        month = month.date() if hasattr(month, "date") else month
        key_channel = record[channel] if channel else "all"
        for metric in metrics:
            if record[metric] is not None and not math.isnan(record[metric]):
                values[(metric, month, key_channel)] = float(record[metric])
    return values


def mart_values(con, metrics: list[str], per_channel: bool, per_persona: bool = False) -> dict:
    """{(kpi, month, channel or persona): value} of mart_kpi_values, non-null values: channel
    `all` or each channel with persona `all`, or (per_persona) each persona with channel
    `all`."""
    placeholders = ", ".join("?" for _ in metrics)
    if per_persona:
        slice_column, slice_filter = "persona", "channel = 'all' and persona <> 'all'"
    else:
        slice_column = "channel"
        slice_filter = "persona = 'all' and " + (
            "channel <> 'all'" if per_channel else "channel = 'all'"
        )
    rows = con.execute(
        f"""
        select kpi_name, period_start, {slice_column}, value
        from marts.mart_kpi_values
        where
            period_grain = 'month' and value is not null
            and {slice_filter} and kpi_name in ({placeholders})
        """,
        metrics,
    ).fetchall()
    return {(kpi, month, value_slice): value for kpi, month, value_slice, value in rows}


def persona_sliced_kpis() -> set[str]:
    with (REPO_ROOT / "seeds/reference/kpi_definitions.csv").open(newline="") as handle:
        return {
            row["kpi_name"] for row in csv.DictReader(handle) if row["is_persona_sliced"] == "true"
        }


def compare(mf: dict, mart: dict) -> list[str]:
    problems = []
    for key in sorted(set(mf) | set(mart), key=str):
        if key not in mart:
            problems.append(f"{key}: MetricFlow {mf[key]!r}, no value in mart_kpi_values")
        elif key not in mf:
            problems.append(f"{key}: mart_kpi_values {mart[key]!r}, no value from MetricFlow")
        elif abs(mf[key] - mart[key]) > TOLERANCE * max(1.0, abs(mart[key])):
            problems.append(f"{key}: MetricFlow {mf[key]!r} != mart_kpi_values {mart[key]!r}")
    return problems


def test_every_catalog_kpi_is_a_metric_or_excluded_with_a_reason(
    semantic_manifest: dict,
) -> None:
    metrics = set(kpi_metrics(semantic_manifest))
    excluded = excluded_kpis()
    catalog = catalog_kpis()
    assert not metrics - catalog, f"KPI metrics not in the catalog: {sorted(metrics - catalog)}"
    assert not set(excluded) - catalog, f"unknown excluded KPIs: {sorted(set(excluded) - catalog)}"
    both = sorted(metrics & set(excluded))
    assert not both, f"both a metric and excluded: {both}"
    missing = catalog - metrics - set(excluded)
    assert not missing, f"catalog KPIs neither a metric nor excluded: {sorted(missing)}"
    assert all(reason.strip() for reason in excluded.values())


def test_readme_lists_every_excluded_kpi() -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    section = readme.split("## Semantic layer (MetricFlow)", 1)
    assert len(section) == 2, "README has no section 'Semantic layer (MetricFlow)'"
    body = re.split(r"\n## ", section[1], maxsplit=1)[0]
    missing = [kpi for kpi in excluded_kpis() if f"`{kpi}`" not in body]
    assert not missing, f"README section lacks the excluded KPIs {missing}"


def test_metrics_agree_with_mart_kpi_values(engine, con, semantic_manifest: dict) -> None:
    metrics = kpi_metrics(semantic_manifest)
    problems = []
    overall_kpis, channel_kpis = set(), set()
    # Overall (channel `all`): every KPI metric in one query.
    names = sorted(metrics)
    mart = mart_values(con, names, per_channel=False)
    problems += compare(mf_values(engine, con, names, None), mart)
    overall_kpis |= {key[0] for key in mart}
    # Per channel: one query per channel dimension.
    for channel in sorted({dimension for dimension in metrics.values() if dimension}):
        names = sorted(name for name, dimension in metrics.items() if dimension == channel)
        mart = mart_values(con, names, per_channel=True)
        problems += compare(mf_values(engine, con, names, channel), mart)
        channel_kpis |= {key[0] for key in mart}
    # Per persona (channel `all`): the persona-sliced KPIs by person__persona, one query.
    names = sorted(set(metrics) & persona_sliced_kpis())
    mart = mart_values(con, names, per_channel=False, per_persona=True)
    problems += compare(mf_values(engine, con, names, "person__persona"), mart)
    persona_kpis = {key[0] for key in mart}
    assert not problems, f"{len(problems)} disagreements, e.g.:\n" + "\n".join(problems[:20])
    assert not set(names) - persona_kpis, (
        f"nothing compared per persona: {set(names) - persona_kpis}"
    )
    # No vacuous pass: every metric had demo values to compare, overall and per channel.
    assert not set(metrics) - overall_kpis, f"nothing compared: {set(metrics) - overall_kpis}"
    sliced = {name for name, dimension in metrics.items() if dimension}
    assert not sliced - channel_kpis, f"nothing compared per channel: {sliced - channel_kpis}"


def test_every_metric_and_saved_query_runs(engine, con, semantic_manifest: dict) -> None:
    """The data-warehouse half of `mf validate-configs` (scripts/test.sh runs it with
    --skip-dw, before the build): every metric, building blocks included, and every saved
    query is planned by MetricFlow (which resolves each dimension a filter or group-by names)
    and its SQL runs on the demo build."""
    from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

    requests = [
        MetricFlowQueryRequest.create(
            metric_names=[metric["name"]], group_by_names=["metric_time__month"]
        )
        for metric in semantic_manifest["metrics"]
    ]
    requests += [
        MetricFlowQueryRequest.create(saved_query_name=saved_query["name"])
        for saved_query in semantic_manifest["saved_queries"]
    ]
    assert len(semantic_manifest["saved_queries"]) >= 6  # at least one per journey stage
    failures = []
    for request in requests:
        name = request.saved_query_name or request.metric_names[0]
        try:
            sql = engine.explain(request).sql_statement.sql
            (rows,) = con.execute(f"select count(*) from ({sql}) as answer").fetchone()
            if rows == 0:
                failures.append(f"{name}: no rows on the demo data")
        except Exception as error:  # noqa: BLE001 - report every failing query at once
            failures.append(f"{name}: {type(error).__name__}: {str(error)[:300]}")
    assert not failures, "\n".join(failures)
