"""Access control on PostgreSQL: the BI role reads every mart and nothing else.

Connects as the BI role (var bi_role, default bi_reader; password in
JOURNEY_KPIS_BI_PASSWORD, which scripts/test_postgres.sh sets when it creates the role) to
the demo build, selects from every mart of the marts schema, and tries every relation of the
raw, reference, staging (clean, base and rejects), intermediate and kpi_families schemas,
each of which must be refused. The KPI family models (models/marts/kpi_families) are
marts-layer models in their own schema, kpi_families: not for BI, so refused too.
"""

from __future__ import annotations

import os

import pytest
from dbt_harness import REPO_ROOT
from engines import engine_unreachable_reason, pg_connect, required_engines

NOT_FOR_BI = ["raw", "reference", "staging", "intermediate", "kpi_families"]
# Models of models/marts built outside the marts schema (dbt_project.yml: +schema).
KPI_FAMILIES_DIR = REPO_ROOT / "models" / "marts" / "kpi_families"


@pytest.fixture(scope="module")
def database(demo_build) -> str:
    """The PostgreSQL database of the demo build (built here when not passed in)."""
    reason = engine_unreachable_reason("postgres")
    if reason:
        if "postgres" in required_engines():
            pytest.fail(f"JOURNEY_KPIS_ENGINES names postgres, but {reason}")
        pytest.skip(f"PostgreSQL: {reason}")
    if demo_build.engine != "postgres":
        pytest.skip("the demo build under test is not PostgreSQL's (JOURNEY_KPIS_TEST_ENGINE)")
    if not os.environ.get("JOURNEY_KPIS_BI_PASSWORD"):
        pytest.fail("JOURNEY_KPIS_BI_PASSWORD is not set: the BI role cannot log in")
    return demo_build.pg_database


def relations(database: str) -> dict[str, list[str]]:
    """Tables and views of the project's schemas, per schema (read as the build role)."""
    with pg_connect(database=database) as connection, connection.cursor() as cursor:
        cursor.execute(
            """
            select namespaces.nspname, classes.relname
            from pg_class as classes
            inner join pg_namespace as namespaces on classes.relnamespace = namespaces.oid
            where classes.relkind in ('r', 'v', 'm', 'p')
                and namespaces.nspname = any(%s)
            order by 1, 2
            """,
            ([*NOT_FOR_BI, "marts"],),
        )
        found: dict[str, list[str]] = {}
        for schema, name in cursor.fetchall():
            found.setdefault(schema, []).append(name)
        return found


def bi_can_read(database: str, schema: str, name: str) -> bool:
    """True when the BI role can select from the relation; False on permission denied."""
    import psycopg2

    with (
        pg_connect(
            database=database,
            user=os.environ.get("JOURNEY_KPIS_BI_ROLE", "bi_reader"),
            password=os.environ["JOURNEY_KPIS_BI_PASSWORD"],
        ) as connection,
        connection.cursor() as cursor,
    ):
        try:
            cursor.execute(f'select * from "{schema}"."{name}" limit 1')
            cursor.fetchall()
        except psycopg2.errors.InsufficientPrivilege:
            return False
        return True


def test_bi_role_reads_every_mart(database: str) -> None:
    marts = relations(database).get("marts", [])
    expected = {
        path.stem
        for path in (REPO_ROOT / "models" / "marts").rglob("*.sql")
        if KPI_FAMILIES_DIR not in path.parents
    }
    assert expected <= set(marts), f"marts not built: {sorted(expected - set(marts))}"
    refused = [name for name in marts if not bi_can_read(database, "marts", name)]
    assert not refused, f"the BI role cannot read these marts: {refused}"


@pytest.mark.parametrize("schema", NOT_FOR_BI)
def test_bi_role_reads_nothing_else(database: str, schema: str) -> None:
    names = relations(database).get(schema, [])
    assert names, f"no relation in schema {schema}: nothing to check"
    if schema == "staging":
        assert any(name.endswith("_rejects") for name in names), "no rejects relation found"
    readable = [name for name in names if bi_can_read(database, schema, name)]
    assert not readable, f"the BI role can read {schema}: {readable}"
