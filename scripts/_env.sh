# Sourced by scripts/build.sh and scripts/test.sh: a virtualenv with the pinned
# dependencies, a profiles.yml, and the environment dbt needs. Idempotent and quick when
# everything is already in place.
# With JOURNEY_KPIS_ENGINE=postgres or spark (scripts/test_postgres.sh, test_spark.sh), the
# virtualenv is .venv-<engine>, installed from requirements-<engine>.txt instead.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

python_bin="${PYTHON:-}"
if [ -z "$python_bin" ]; then
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1; then python_bin="$candidate"; break; fi
    done
fi
if [ -z "$python_bin" ] || ! "$python_bin" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "journey-kpis needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)." >&2
    exit 1
fi

engine="${JOURNEY_KPIS_ENGINE:-duckdb}"
case "$engine" in
    duckdb) venv="$repo_root/.venv"; pin_files=(requirements.txt constraints.txt) ;;
    postgres | spark)
        venv="$repo_root/.venv-$engine"
        pin_files=(requirements.txt constraints.txt "requirements-$engine.txt" "constraints-$engine.txt") ;;
    *) echo "JOURNEY_KPIS_ENGINE must be duckdb, postgres or spark (got '$engine')." >&2; exit 1 ;;
esac
if [ ! -x "$venv/bin/python" ]; then
    echo "Creating virtualenv in ${venv#"$repo_root"/} ..." >&2
    "$python_bin" -m venv "$venv"
fi
# Reinstall only when the pins changed.
stamp="$venv/.requirements.sha256"
wanted="$(cat "${pin_files[@]}" | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    requirements="requirements.txt"
    [ "$engine" = duckdb ] || requirements="requirements-$engine.txt"
    echo "Installing pinned dependencies ($requirements) ..." >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
    echo "$wanted" > "$stamp"
fi
export PATH="$venv/bin:$PATH"

if [ ! -f profiles.yml ]; then
    cp profiles.yml.example profiles.yml
    echo "Created profiles.yml from profiles.yml.example (DuckDB file journey_kpis.duckdb)." >&2
fi
export DBT_PROFILES_DIR="$repo_root"
export DBT_SEND_ANONYMOUS_USAGE_STATS=False
