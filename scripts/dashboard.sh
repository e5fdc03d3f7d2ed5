#!/usr/bin/env bash
# Start the KPI dashboard (dashboard/app.py, Streamlit) on http://localhost:8501, reading the
# DuckDB build read-only: journey_kpis.duckdb, or JOURNEY_KPIS_DUCKDB_PATH as for dbt. Build
# it first with `bash scripts/build.sh`. Extra arguments go to `streamlit run`
# (e.g. `--server.port 8502`).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"

export STREAMLIT_BROWSER_GATHER_USAGE_STATS=false
exec streamlit run dashboard/app.py --server.headless true --client.toolbarMode minimal "$@"
