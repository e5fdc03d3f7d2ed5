#!/usr/bin/env bash
# Spark suite: the whole project built and tested on Apache Spark, in session mode (a local
# SparkSession inside dbt; no server).
#   1. .venv-spark with the pinned dependencies (requirements-spark.txt: dbt-spark[session],
#      PySpark 4.3, about 630 MB); Java 17 from apt-get if no `java` is found;
#   2. a fresh warehouse directory and Derby metastore under target/spark/;
#   3. `dbt build` of the demo data with the example profile's spark target: seeds, every
#      model, every data test and unit test;
#   4. pytest against that build: the KPI recomputation and the marts' checks on it, and
#      the cross-engine comparison with DuckDB (demo and dirty data).
# Exits non-zero on any failure; prints its wall time.
set -euo pipefail
started_at=$(date +%s)
export JOURNEY_KPIS_ENGINE=spark
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"

if ! command -v java >/dev/null 2>&1; then
    echo "Java not found: installing OpenJDK 17 (apt-get) ..." >&2
    sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        openjdk-17-jre-headless >/dev/null
fi

spark_dir="$(pwd)/target/spark"
rm -rf "$spark_dir/warehouse" "$spark_dir/metastore_db"
mkdir -p "$spark_dir"
profiles_dir="$(mktemp -d /tmp/journey_kpis_profiles.XXXXXX)"
trap 'rm -rf "$profiles_dir"' EXIT
# The example profile's spark target, whatever the user's own profiles.yml holds.
cp profiles.yml.example "$profiles_dir/profiles.yml"
export DBT_PROFILES_DIR="$profiles_dir" JOURNEY_KPIS_TARGET=spark SPARK_LOCAL_IP=127.0.0.1
export JOURNEY_KPIS_SPARK_WAREHOUSE="$spark_dir/warehouse"
export JOURNEY_KPIS_SPARK_METASTORE="$spark_dir/metastore_db"

echo "== dbt build (demo data, Spark session)" >&2
(cd "$spark_dir" && dbt build --project-dir "$repo_root" --target-path "$spark_dir/dbt_target" \
    --log-path "$spark_dir/logs")

echo "== pytest (Spark)" >&2
JOURNEY_KPIS_TEST_ENGINE=spark JOURNEY_KPIS_BUILT_SPARK_DIR="$spark_dir" \
    JOURNEY_KPIS_ENGINES=spark \
    pytest pytests/test_engines.py pytests/test_kpi_recompute.py pytests/test_kpi_marts.py \
    pytests/test_demo_build.py

echo "Spark suite passed in $(($(date +%s) - started_at)) s" >&2
