#!/usr/bin/env bash
# PostgreSQL suite: the whole project built and tested on a real PostgreSQL server.
#   1. .venv-postgres with the pinned dependencies (requirements-postgres.txt);
#   2. a throwaway PostgreSQL cluster on a free local port (the Debian server package is
#      installed with apt-get if missing), with a build role, its database and the BI role
#      bi_reader; stopped and deleted on exit, whatever happens;
#   3. `dbt build` of the demo data with the example profile's postgres target: seeds,
#      every model, every data test and unit test, the BI grants;
#   4. pytest against that build: the KPI recomputation and the marts' checks on it, the
#      cross-engine comparison with DuckDB (demo and dirty data), and the grants test.
# Exits non-zero on any failure; prints its wall time.
set -euo pipefail
started_at=$(date +%s)
export JOURNEY_KPIS_ENGINE=postgres
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
source scripts/_postgres_server.sh

profiles_dir="$(mktemp -d /tmp/journey_kpis_profiles.XXXXXX)"
cleanup() {
    stop_postgres
    rm -rf "$profiles_dir"
}
trap cleanup EXIT
start_postgres

# The example profile's postgres target, whatever the user's own profiles.yml holds.
cp profiles.yml.example "$profiles_dir/profiles.yml"
export DBT_PROFILES_DIR="$profiles_dir" JOURNEY_KPIS_TARGET=postgres

echo "== dbt build (demo data, PostgreSQL)" >&2
dbt build --target-path target/postgres --log-path target/postgres/logs

echo "== pytest (PostgreSQL)" >&2
JOURNEY_KPIS_TEST_ENGINE=postgres JOURNEY_KPIS_BUILT_POSTGRES_DB="$PGDATABASE" \
    JOURNEY_KPIS_ENGINES=postgres \
    pytest pytests/test_engines.py pytests/test_grants.py pytests/test_kpi_recompute.py \
    pytests/test_kpi_marts.py pytests/test_demo_build.py

echo "PostgreSQL suite passed in $(($(date +%s) - started_at)) s" >&2
