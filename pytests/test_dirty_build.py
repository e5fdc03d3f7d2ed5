"""`dbt build` on a deliberately dirty data set: the build succeeds, every bad row is in a
rejects model with the right reason, odd-but-valid rows survive unchanged, nothing is lost.

The expectations come from the generator's manifest (expected_rejects.csv, expected_kept.csv),
written when it injected each fault, so they are independent of the dbt models.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from dbt_harness import STAGING, DbtProject, query, read_csv_rows, run_datagen


@pytest.fixture(scope="module")
def dirty(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Generate the dirty data set and build the project on it through raw_data_path."""
    raw_dir = tmp_path_factory.mktemp("dirty_raw")
    run_datagen("--dirty", "--people", "200", "--seed", "7", "--out", str(raw_dir))
    project = DbtProject(tmp_path_factory.mktemp("dirty_build"))
    # Unit tests need the raw tables in the warehouse (see README); data tests all run.
    project.build("--exclude-resource-type", "unit_test", vars_={"raw_data_path": str(raw_dir)})
    return raw_dir, project.database


def _key_sql(raw_table: str) -> str:
    key_columns = STAGING[raw_table][2]
    if len(key_columns) == 1:
        return f"coalesce({key_columns[0]}, '')"
    return " || '|' || ".join(f"coalesce({column}, '')" for column in key_columns)


@pytest.mark.parametrize("raw_table", list(STAGING))
def test_nothing_is_lost(dirty: tuple[Path, Path], raw_table: str) -> None:
    raw_dir, database = dirty
    clean, rejects, _ = STAGING[raw_table]
    raw_rows = len(read_csv_rows(raw_dir / f"{raw_table}.csv"))
    (clean_rows,) = query(database, f"select count(*) from staging.{clean}")[0]
    (rejected_rows,) = query(database, f"select count(*) from staging.{rejects}")[0]
    assert clean_rows + rejected_rows == raw_rows


@pytest.mark.parametrize("raw_table", list(STAGING))
def test_every_bad_row_rejected_with_its_reason(dirty: tuple[Path, Path], raw_table: str) -> None:
    raw_dir, database = dirty
    _, rejects, _ = STAGING[raw_table]
    manifest = [
        row for row in read_csv_rows(raw_dir / "expected_rejects.csv") if row["table"] == raw_table
    ]
    assert manifest, f"the dirty generator injected nothing into {raw_table}"
    expected = Counter((row["key"], row["reason"]) for row in manifest)
    actual = Counter(
        query(database, f"select {_key_sql(raw_table)}, reject_reason from staging.{rejects}")
    )
    assert actual == expected


@pytest.mark.parametrize("raw_table", list(STAGING))
def test_odd_but_valid_rows_survive(dirty: tuple[Path, Path], raw_table: str) -> None:
    raw_dir, database = dirty
    clean, _, key_columns = STAGING[raw_table]
    kept = [
        row for row in read_csv_rows(raw_dir / "expected_kept.csv") if row["table"] == raw_table
    ]
    if not kept:
        pytest.skip(f"no odd-but-valid rows injected into {raw_table}")
    clean_keys = {
        key for (key,) in query(database, f"select {_key_sql(raw_table)} from staging.{clean}")
    }
    missing = [row for row in kept if row["key"] not in clean_keys]
    assert not missing, missing


def test_free_text_survives_byte_for_byte(dirty: tuple[Path, Path]) -> None:
    """Unicode and SQL-injection-looking comments reach staging as written (trimmed of spaces)."""
    raw_dir, database = dirty
    odd = {
        row["key"]
        for row in read_csv_rows(raw_dir / "expected_kept.csv")
        if row["table"] == "survey_responses" and row["note"] in {"unicode", "sql_injection"}
    }
    raw = {
        row["response_id"].strip(" "): row["comment"].strip(" ") or None
        for row in read_csv_rows(raw_dir / "survey_responses.csv")
        if row["response_id"].strip(" ") in odd
    }
    staged = dict(
        query(database, "select response_id, comment from staging.stg_surveys__responses")
    )
    assert raw, "the dirty generator wrote no odd comments"
    assert {key: staged.get(key) for key in raw} == raw
