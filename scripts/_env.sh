# Sourced by scripts/build.sh and scripts/test.sh: a virtualenv with the pinned
# dependencies, a profiles.yml, and the environment dbt needs. Idempotent and quick when
# everything is already in place.
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

venv="$repo_root/.venv"
if [ ! -x "$venv/bin/python" ]; then
    echo "Creating virtualenv in .venv ..." >&2
    "$python_bin" -m venv "$venv"
fi
# Reinstall only when the pins changed.
stamp="$venv/.requirements.sha256"
wanted="$(cat requirements.txt constraints.txt | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    echo "Installing pinned dependencies (requirements.txt) ..." >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.txt
    echo "$wanted" > "$stamp"
fi
export PATH="$venv/bin:$PATH"

if [ ! -f profiles.yml ]; then
    cp profiles.yml.example profiles.yml
    echo "Created profiles.yml from profiles.yml.example (DuckDB file journey_kpis.duckdb)." >&2
fi
export DBT_PROFILES_DIR="$repo_root"
export DBT_SEND_ANONYMOUS_USAGE_STATS=False
