"""Builds of the project on PostgreSQL and Spark, and snapshots of them as DuckDB files.

A build on any engine is copied into a local DuckDB file with the same schema and table
names ("snapshot"), so the tests that read a DuckDB build (the KPI recomputation, the
marts' checks) and the cross-engine comparison read every engine the same way:

- PostgreSQL: each build gets its own database (the schemas `raw`, `staging`, `marts`...
  are fixed names); relations are copied with `COPY ... TO STDOUT` (CSV; a float8 prints
  exactly on PostgreSQL 12+) and typed from information_schema.
- Spark (session mode): each build gets its own warehouse directory and Derby metastore;
  a PySpark subprocess (pytests/spark_export.py) writes every relation, views included, as
  Parquet with timestamps without zone, which DuckDB reads.

Which engines a test may use: DuckDB always; PostgreSQL when dbt-postgres is installed and
PGHOST is set (scripts/test_postgres.sh starts a server and sets it); Spark when dbt-spark
and PySpark are installed and `java` is on the PATH (scripts/test_spark.sh). Env var
JOURNEY_KPIS_ENGINES (e.g. `postgres`) names engines that must be reachable: a test fails,
instead of skipping, when one of them is not.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from dbt_harness import BIN_DIR, REPO_ROOT, run_datagen

PROJECT_SCHEMAS = ["raw", "reference", "staging", "intermediate", "kpi_families", "marts"]
FACT_TABLES = [
    "fct_events",
    "fct_sessions",
    "fct_leads",
    "fct_orders",
    "fct_survey_responses",
    "fct_marketing_spend",
    "fct_support_tickets",
]
# Files and directories of the repo a copy of the project does not need.
_COPY_IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv*",
    "target",
    "logs",
    "data",
    "dbt_packages",
    "metastore_db",
    "spark-warehouse",
    "derby.log",
    "*.duckdb",
    "*.wal",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "profiles.yml",
)


def engine_unreachable_reason(engine: str) -> str | None:
    """Why `engine` cannot be used here, or None when it can."""
    if engine == "duckdb":
        return None
    if engine == "postgres":
        if importlib.util.find_spec("dbt.adapters.postgres") is None:
            return "dbt-postgres is not installed (scripts/test_postgres.sh installs it)"
        if not os.environ.get("PGHOST"):
            return "PGHOST is not set (scripts/test_postgres.sh starts a server and sets it)"
        return None
    if engine == "spark":
        if importlib.util.find_spec("dbt.adapters.spark") is None:
            return "dbt-spark is not installed (scripts/test_spark.sh installs it)"
        if importlib.util.find_spec("pyspark") is None:
            return "pyspark is not installed (scripts/test_spark.sh installs it)"
        if shutil.which("java") is None:
            return "java is not on the PATH (Spark needs Java 17)"
        return None
    raise ValueError(f"unknown engine {engine!r}")


def required_engines() -> list[str]:
    """Engines named in JOURNEY_KPIS_ENGINES (comma or space separated)."""
    return [e for e in re.split(r"[,\s]+", os.environ.get("JOURNEY_KPIS_ENGINES", "")) if e]


def reachable_engines() -> list[str]:
    """DuckDB plus every other engine reachable here."""
    return [e for e in ("duckdb", "postgres", "spark") if engine_unreachable_reason(e) is None]


def project_copy(workdir: Path, raw_dir: Path) -> Path:
    """A copy of the project whose demo seeds (seeds/raw) are the CSVs of `raw_dir`.

    Every engine then loads the same raw files the same way: `dbt seed`, every column as
    text (seeds/raw/_raw__seeds.yml).
    """
    project_dir = workdir / "project"
    shutil.copytree(REPO_ROOT, project_dir, ignore=_COPY_IGNORE)
    for raw_csv in (project_dir / "seeds" / "raw").glob("*.csv"):
        shutil.copy(raw_dir / raw_csv.name, raw_csv)
    return project_dir


def dirty_raw_data(workdir: Path) -> Path:
    """The dirty data set of pytests/test_dirty_build.py (same generator arguments)."""
    raw_dir = workdir / "dirty_raw"
    run_datagen("--dirty", "--people", "200", "--seed", "7", "--out", str(raw_dir))
    return raw_dir


@dataclass
class EngineBuild:
    """One build of the project (in `project_dir`) on one engine, isolated from the others."""

    engine: str
    workdir: Path
    project_dir: Path = REPO_ROOT
    name: str = field(default_factory=lambda: "jk_" + uuid.uuid4().hex[:10])
    # Reuse an existing build instead (a PostgreSQL database / a Spark warehouse directory).
    existing: str | None = None
    # DuckDB: a file built elsewhere (scripts/test.sh, dbt_harness.DbtProject).
    duckdb_file_override: Path | None = None

    def __post_init__(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._snapshots: dict[tuple[str, ...], Path] = {}

    @property
    def duckdb_file(self) -> Path:
        return self.duckdb_file_override or self.workdir / "journey_kpis.duckdb"

    @property
    def pg_database(self) -> str:
        return self.existing or self.name

    @property
    def spark_dir(self) -> Path:
        return Path(self.existing) if self.existing else self.workdir / "spark"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DBT_PROFILES_DIR=str(self.workdir),
            DBT_SEND_ANONYMOUS_USAGE_STATS="False",
            PATH=f"{BIN_DIR}{os.pathsep}{env.get('PATH', '')}",
            JOURNEY_KPIS_TARGET={"duckdb": "dev"}.get(self.engine, self.engine),
            JOURNEY_KPIS_DUCKDB_PATH=str(self.duckdb_file),
        )
        if self.engine == "postgres":
            env["PGDATABASE"] = self.pg_database
        if self.engine == "spark":
            env.update(
                SPARK_LOCAL_IP=env.get("SPARK_LOCAL_IP", "127.0.0.1"),
                JOURNEY_KPIS_SPARK_WAREHOUSE=str(self.spark_dir / "warehouse"),
                JOURNEY_KPIS_SPARK_METASTORE=str(self.spark_dir / "metastore_db"),
            )
        return env

    def dbt(self, *args: str) -> subprocess.CompletedProcess:
        """Run dbt on this build's engine (no raise); Spark leftovers stay in workdir."""
        shutil.copy(REPO_ROOT / "profiles.yml.example", self.workdir / "profiles.yml")
        cmd = [
            str(BIN_DIR / "dbt"),
            *args,
            "--project-dir",
            str(self.project_dir),
            "--target-path",
            str(self.workdir / "target"),
            "--log-path",
            str(self.workdir / "logs"),
        ]
        return subprocess.run(
            cmd, cwd=self.workdir, env=self.env(), capture_output=True, text=True, check=False
        )

    def build(self, *args: str) -> None:
        """`dbt build` into a fresh database; fails the calling test when dbt fails."""
        if self.existing:
            return
        if self.engine == "postgres":
            _pg_admin(f'create database "{self.pg_database}"')
        result = self.dbt("build", *args)
        assert result.returncode == 0, (
            f"dbt build on {self.engine} failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
        )

    def snapshot(self, schemas: list[str]) -> Path:
        """A DuckDB file holding every relation of `schemas` of this build (made once: a
        snapshot of more schemas serves a later request for fewer)."""
        if self.engine == "duckdb":
            return self.duckdb_file
        for taken, path in self._snapshots.items():
            if set(schemas) <= set(taken):
                return path
        target = self.workdir / f"snapshot_{self.engine}_{len(self._snapshots)}.duckdb"
        if self.engine == "postgres":
            _snapshot_postgres(self.pg_database, schemas, target, self.workdir)
        else:
            _snapshot_spark(self, schemas, target)
        self._snapshots[tuple(schemas)] = target
        return target

    def drop(self) -> None:
        """Drop the PostgreSQL database this build created (not a reused one)."""
        if self.engine == "postgres" and not self.existing:
            _pg_admin(f'drop database if exists "{self.pg_database}"')


# --- PostgreSQL -----------------------------------------------------------------------------


@contextmanager
def pg_connect(database: str | None = None, user: str | None = None, password: str | None = None):
    """A psycopg2 connection (autocommit, UTC, ISO dates) to the server in PG* env vars,
    closed on exit."""
    import psycopg2

    connection = psycopg2.connect(
        host=os.environ["PGHOST"],
        port=os.environ.get("PGPORT", "5432"),
        user=user or os.environ["PGUSER"],
        password=password if password is not None else os.environ.get("PGPASSWORD", ""),
        dbname=database or os.environ.get("PGDATABASE", "journey_kpis"),
        options="-c TimeZone=UTC -c DateStyle=ISO,YMD -c extra_float_digits=1",
    )
    connection.autocommit = True
    try:
        yield connection
    finally:
        connection.close()


def _pg_admin(sql: str) -> None:
    with pg_connect(database="postgres") as connection, connection.cursor() as cursor:
        cursor.execute(sql)


def _duckdb_type(data_type: str, precision: int | None, scale: int | None) -> str:
    mapping = {
        "character varying": "varchar",
        "text": "varchar",
        "character": "varchar",
        "double precision": "double",
        "real": "float",
        "bigint": "bigint",
        "integer": "integer",
        "smallint": "smallint",
        "boolean": "boolean",
        "date": "date",
        "timestamp without time zone": "timestamp",
        "timestamp with time zone": "timestamptz",
    }
    if data_type == "numeric":
        # An unconstrained numeric (parse_number on PostgreSQL) holds the parsed text exactly.
        return f"decimal({precision}, {scale})" if precision else "decimal(38, 10)"
    return mapping.get(data_type, "varchar")


def _snapshot_postgres(database: str, schemas: list[str], target: Path, workdir: Path) -> None:
    with pg_connect(database=database) as connection, connection.cursor() as cursor:
        cursor.execute(
            """
            select table_schema, table_name, column_name, data_type, numeric_precision,
                numeric_scale
            from information_schema.columns
            where table_schema = any(%s)
            order by table_schema, table_name, ordinal_position
            """,
            (schemas,),
        )
        relations: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
        for schema, table, column, data_type, precision, scale in cursor.fetchall():
            relations.setdefault((schema, table), []).append(
                (column, data_type, _duckdb_type(data_type, precision, scale))
            )
        with duckdb.connect(str(target)) as local:
            for schema in schemas:
                local.execute(f'create schema if not exists "{schema}"')
            for (schema, table), columns in relations.items():
                dump = workdir / f"{schema}.{table}.csv"
                select_list = ", ".join(
                    f'"{name}"::text' if pg_type == "boolean" else f'"{name}"'
                    for name, pg_type, _ in columns
                )
                with dump.open("w", encoding="utf-8", newline="") as handle:
                    cursor.copy_expert(
                        f'copy (select {select_list} from "{schema}"."{table}") '
                        "to stdout with (format csv, header true)",
                        handle,
                    )
                types = ", ".join(f"'{name}': '{dtype}'" for name, _, dtype in columns)
                local.execute(
                    f'create table "{schema}"."{table}" as select * from read_csv('
                    f"'{dump}', header = true, columns = {{{types}}}, "
                    "allow_quoted_nulls = false, quote = '\"', escape = '\"', "
                    "max_line_size = 100000000)"
                )
                dump.unlink()


# --- Spark ----------------------------------------------------------------------------------


def _snapshot_spark(build: EngineBuild, schemas: list[str], target: Path) -> None:
    out_dir = build.workdir / "spark_export"
    shutil.rmtree(out_dir, ignore_errors=True)
    result = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "pytests" / "spark_export.py"),
            "--out",
            str(out_dir),
            *schemas,
        ],
        cwd=build.workdir,
        env=build.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"Spark export failed:\n{result.stderr[-4000:]}"
    with duckdb.connect(str(target)) as local:
        for schema in schemas:
            local.execute(f'create schema if not exists "{schema}"')
            schema_dir = out_dir / schema
            if not schema_dir.exists():
                continue
            for table_dir in sorted(p for p in schema_dir.iterdir() if p.is_dir()):
                # Spark writes one (possibly empty) Parquet file per relation, with its schema.
                local.execute(
                    f'create table "{schema}"."{table_dir.name}" as '
                    f"select * from read_parquet('{table_dir}/*.parquet')"
                )
