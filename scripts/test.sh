#!/usr/bin/env bash
# All tests: lint (sqlfluff, ruff, dbt-score), dbt build of the demo data into a scratch
# DuckDB file (every data and unit test), then the pytest suite (datagen, end-to-end builds
# on dirty and Parquet data, independent reconciliation). Exits non-zero on any failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"

export JOURNEY_KPIS_DUCKDB_PATH="$(pwd)/target/test_build.duckdb"
mkdir -p target
rm -f "$JOURNEY_KPIS_DUCKDB_PATH" "$JOURNEY_KPIS_DUCKDB_PATH.wal"

# The dashboard browser test (pytests/test_dashboard_browser.py) drives Debian's chromium
# through its chromedriver: install both when missing (as root, else with sudo).
if ! { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; }; then
    echo "== apt-get install chromium chromium-driver" >&2
    sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
fi

echo "== ruff" >&2
ruff check datagen pytests scripts dashboard
ruff format --check datagen pytests scripts dashboard

echo "== dbt parse + dbt-score" >&2
dbt parse --quiet
# MetricFlow semantic layer (models/semantic): semantic checks first, to fail before the long
# build; the full validation, with every dimension, measure and metric queried, runs against
# the built scratch file below, and pytests/test_semantic_layer.py checks every metric's values.
mf validate-configs --skip-dw
dbt-score lint --fail-any-item-under 9.0 --show failing-items

echo "== sqlfluff" >&2
sqlfluff lint models tests analyses

echo "== dbt build (demo data)" >&2
dbt build

echo "== mf validate-configs (semantic layer against the built warehouse)" >&2
mf validate-configs

echo "== dbt docs generate" >&2
dbt docs generate --quiet

echo "== pytest" >&2
JOURNEY_KPIS_BUILT_DB="$JOURNEY_KPIS_DUCKDB_PATH" pytest
