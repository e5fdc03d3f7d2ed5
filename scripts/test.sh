#!/usr/bin/env bash
# All tests: lint (sqlfluff, ruff, dbt-score), dbt build of the demo data into a scratch
# DuckDB file (every data and unit test), then the pytest suite (datagen, end-to-end builds
# on dirty and Parquet data, independent reconciliation). Exits non-zero on any failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"

export JOURNEY_KPIS_DUCKDB_PATH="$(pwd)/target/test_build.duckdb"
mkdir -p target
rm -f "$JOURNEY_KPIS_DUCKDB_PATH" "$JOURNEY_KPIS_DUCKDB_PATH.wal"

echo "== ruff" >&2
ruff check datagen pytests scripts
ruff format --check datagen pytests scripts

echo "== dbt parse + dbt-score" >&2
dbt parse --quiet
# MetricFlow semantic layer (models/semantic): semantic checks only, the scratch DuckDB file is
# not built yet; pytests/test_semantic_layer.py queries every metric against the build.
mf validate-configs --skip-dw
dbt-score lint --fail-any-item-under 9.0 --show failing-items

echo "== sqlfluff" >&2
sqlfluff lint models tests analyses

echo "== dbt build (demo data)" >&2
dbt build

echo "== dbt docs generate" >&2
dbt docs generate --quiet

echo "== pytest" >&2
JOURNEY_KPIS_BUILT_DB="$JOURNEY_KPIS_DUCKDB_PATH" pytest
