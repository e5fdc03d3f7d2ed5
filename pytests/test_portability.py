"""Static checks that keep the project portable to PostgreSQL and Spark, on every change.

They read the project's files only (no engine needed), so the DuckDB suite catches what
would break the PostgreSQL and Spark builds: names too long for PostgreSQL, engine-specific
type names in contracts and seeds, seed columns left to type inference, and DuckDB-only
functions written straight into models instead of going through a dispatched macro.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml
from dbt_harness import REPO_ROOT

# PostgreSQL truncates identifiers to 63 bytes; dbt-postgres refuses longer relation names.
MAX_IDENTIFIER = 63
# Type names every engine understands the same way. Text and double differ (varchar vs
# string, double precision vs double): they must come from a target-aware expression.
PORTABLE_TYPES = re.compile(r"^(bigint|integer|boolean|date|timestamp|decimal\(\d+, ?\d+\))$")
TARGET_AWARE_TYPE = re.compile(r"^\{\{.*target\.type.*\}\}$")
# Functions or syntax only DuckDB (or only one engine) has: use a macro in macros/ instead.
DIALECT_ONLY = {
    "regexp_matches(": "matches_regex()",
    "json_extract": "json_text()",
    "json_type(": "is_json_object()",
    "try_cast(": "dbt.safe_cast()",
    "strftime(": "a dbt date macro",
    "date_diff(": "dbt.datediff()",
    "date_trunc(": "dbt.date_trunc() or dim_date",
    "string_agg(": "dbt.listagg()",
    "listagg(": "dbt.listagg()",
    "median(": "median_of()",
    "percentile_cont(": "median_of()",
    "list_": "portable SQL",
    "::": "cast(... as ...)",
    " ilike ": "lower(...) like",
    "qualify ": "a window in a CTE, filtered after",
    "epoch(": "dbt.datediff()",
    "generate_series(": "date_spine_days()",
}


def _yaml_files() -> list[Path]:
    return sorted([*(REPO_ROOT / "models").rglob("*.yml"), *(REPO_ROOT / "seeds").rglob("*.yml")])


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text()) or {}


def test_relation_names_fit_postgres() -> None:
    names = [path.stem for path in (REPO_ROOT / "models").rglob("*.sql")]
    names += [path.stem for path in (REPO_ROOT / "seeds").rglob("*.csv")]
    for path in _yaml_files():
        names += [unit_test["name"] for unit_test in _load(path).get("unit_tests") or []]
    too_long = [name for name in names if len(name.encode()) > MAX_IDENTIFIER]
    assert names and not too_long, f"names over {MAX_IDENTIFIER} bytes: {too_long}"


def _contract_types() -> list[tuple[str, str, str]]:
    found = []
    for path in (REPO_ROOT / "models").rglob("*.yml"):
        for model in _load(path).get("models") or []:
            for column in model.get("columns") or []:
                if "data_type" in column:
                    found.append((model["name"], column["name"], str(column["data_type"])))
    return found


def test_contract_types_are_portable() -> None:
    types = _contract_types()
    wrong = [
        item
        for item in types
        if not (PORTABLE_TYPES.match(item[2]) or TARGET_AWARE_TYPE.match(item[2]))
    ]
    assert types and not wrong, f"engine-specific contract types (use a target-aware one): {wrong}"


@pytest.mark.parametrize("seed_csv", sorted((REPO_ROOT / "seeds").rglob("*.csv")), ids=str)
def test_every_seed_column_is_typed(seed_csv: Path) -> None:
    """Seeds load the same way everywhere: no column is left to each engine's inference
    (an empty column is an integer on PostgreSQL, text on DuckDB)."""
    configs = {}
    for path in (REPO_ROOT / "seeds").rglob("*.yml"):
        for seed in _load(path).get("seeds") or []:
            configs[seed["name"]] = (seed.get("config") or {}).get("column_types") or {}
    with seed_csv.open(newline="") as handle:
        header = next(csv.reader(handle))
    column_types = configs.get(seed_csv.stem, {})
    untyped = [column for column in header if column not in column_types]
    assert not untyped, f"{seed_csv.stem}: columns without column_types: {untyped}"
    wrong = {
        column: value
        for column, value in column_types.items()
        if not (PORTABLE_TYPES.match(str(value)) or TARGET_AWARE_TYPE.match(str(value)))
    }
    assert not wrong, f"{seed_csv.stem}: engine-specific seed types: {wrong}"


def test_models_use_no_dialect_only_functions() -> None:
    problems = []
    for path in sorted((REPO_ROOT / "models").rglob("*.sql")):
        sql = re.sub(r"--[^\n]*", "", path.read_text().lower())
        sql = re.sub(r"\{#.*?#\}", "", sql, flags=re.S)
        problems += [
            f"{path.relative_to(REPO_ROOT)}: {token.strip()} (use {instead})"
            for token, instead in DIALECT_ONLY.items()
            # `dbt.date_trunc(` and `dbt.listagg(` are the portable macros, not the function.
            if re.search(r"(?<![\w.])" + re.escape(token), sql)
        ]
    assert not problems, "\n".join(problems)


def test_the_checks_catch_what_they_look_for() -> None:
    """The patterns themselves: raw names are refused, target-aware ones accepted."""
    for raw in ["varchar", "double", "double precision", "string", "text"]:
        assert not PORTABLE_TYPES.match(raw) and not TARGET_AWARE_TYPE.match(raw)
    for good in [
        "bigint",
        "decimal(28,6)",
        "{{ 'string' if target.type == 'spark' else 'varchar' }}",
    ]:
        assert PORTABLE_TYPES.match(good) or TARGET_AWARE_TYPE.match(good)
