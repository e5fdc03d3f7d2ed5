#!/usr/bin/env bash
# Main job: set everything up, then `dbt build` (seed the demo data, build and test every
# model) into the embedded DuckDB file journey_kpis.duckdb. Extra arguments go to dbt build,
# e.g. `bash scripts/build.sh --select staging`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
dbt build "$@"
echo "Built $(pwd)/${JOURNEY_KPIS_DUCKDB_PATH:-journey_kpis.duckdb}" >&2
