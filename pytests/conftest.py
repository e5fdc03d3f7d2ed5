from __future__ import annotations

import os
from pathlib import Path

import pytest
from dbt_harness import DbtProject
from engines import PROJECT_SCHEMAS, EngineBuild, engine_unreachable_reason


def engine_under_test() -> str:
    """The engine whose build the demo tests read: JOURNEY_KPIS_TEST_ENGINE, default duckdb."""
    return os.environ.get("JOURNEY_KPIS_TEST_ENGINE", "duckdb")


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> EngineBuild:
    """A full `dbt build` of the bundled demo data on the engine under test.

    The suite scripts build it once and pass it in: scripts/test.sh a DuckDB file in
    JOURNEY_KPIS_BUILT_DB, scripts/test_postgres.sh a database in
    JOURNEY_KPIS_BUILT_POSTGRES_DB, scripts/test_spark.sh a warehouse directory in
    JOURNEY_KPIS_BUILT_SPARK_DIR. Run alone, pytest builds it here.
    """
    engine = engine_under_test()
    reason = engine_unreachable_reason(engine)
    if reason:
        pytest.fail(f"JOURNEY_KPIS_TEST_ENGINE={engine}, but {reason}")
    workdir = tmp_path_factory.mktemp(f"demo_build_{engine}")
    existing = {
        "duckdb": None,
        "postgres": os.environ.get("JOURNEY_KPIS_BUILT_POSTGRES_DB"),
        "spark": os.environ.get("JOURNEY_KPIS_BUILT_SPARK_DIR"),
    }[engine]
    build = EngineBuild(engine, workdir, existing=existing)
    if engine == "duckdb":
        prebuilt = os.environ.get("JOURNEY_KPIS_BUILT_DB")
        if prebuilt and Path(prebuilt).exists():
            build.duckdb_file_override = Path(prebuilt)
            return build
        project = DbtProject(workdir)
        project.build()
        build.duckdb_file_override = project.database
        return build
    build.build()
    return build


@pytest.fixture(scope="session")
def demo_db(demo_build: EngineBuild) -> Path:
    """A DuckDB file holding the demo build of the engine under test (on PostgreSQL and
    Spark, a snapshot of its raw, reference, staging, intermediate, kpi_families and marts
    schemas)."""
    return demo_build.snapshot(PROJECT_SCHEMAS)
