"""End-to-end checks on a `dbt build` of the bundled demo data (seeds/raw)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from dbt_harness import REPO_ROOT, STAGING, query, read_csv_rows

RAW_SEEDS = REPO_ROOT / "seeds" / "raw"


def test_raw_staging_and_rejects_relations_exist(demo_db: Path) -> None:
    relations = {
        (schema, name)
        for schema, name in query(
            demo_db, "select table_schema, table_name from information_schema.tables"
        )
    }
    for raw_table, (clean, rejects, _) in STAGING.items():
        assert ("raw", raw_table) in relations
        assert ("staging", clean) in relations
        assert ("staging", rejects) in relations
    for seed in ("channel_rules", "journey_stage_map", "lead_scoring_rules", "persona_rules"):
        assert ("reference", seed) in relations


@pytest.mark.parametrize("raw_table", list(STAGING))
def test_every_raw_row_is_clean_or_rejected(demo_db: Path, raw_table: str) -> None:
    """Counted from the CSV by Python, not by dbt: raw = clean + duplicates + rejected."""
    clean, rejects, key_columns = STAGING[raw_table]
    rows = read_csv_rows(RAW_SEEDS / f"{raw_table}.csv")
    keys = Counter(tuple(row[column].strip(" ") for column in key_columns) for row in rows)
    expected_duplicates = sum(count - 1 for count in keys.values())

    (clean_rows,) = query(demo_db, f"select count(*) from staging.{clean}")[0]
    reasons = dict(
        query(demo_db, f"select reject_reason, count(*) from staging.{rejects} group by 1")
    )
    assert clean_rows + sum(reasons.values()) == len(rows)
    assert reasons.get("duplicate", 0) == expected_duplicates
    # The demo generator writes contract-valid data: superseded loads are its only rejects.
    assert set(reasons) <= {"duplicate"}, reasons
    assert clean_rows == len(keys)


def test_no_raw_email_stored_past_the_raw_schema(demo_db: Path) -> None:
    """No text column of any built model holds an e-mail address."""
    email = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.IGNORECASE)
    columns = query(
        demo_db,
        """
        select table_schema, table_name, column_name
        from information_schema.columns
        where table_schema not in ('raw', 'reference', 'information_schema', 'pg_catalog')
          and data_type = 'VARCHAR'
        """,
    )
    assert columns
    offenders = []
    for schema, table, column in columns:
        values = query(
            demo_db,
            f'select distinct "{column}" from {schema}.{table} where "{column}" like \'%@%\'',
        )
        offenders += [(table, column, v) for (v,) in values if email.search(v)]
    assert not offenders, offenders[:5]
    # and the raw data really had addresses, so the check above could have failed
    (raw_emails,) = query(demo_db, "select count(*) from raw.leads where email like '%@%'")[0]
    assert raw_emails > 0


def test_codes_are_normalised(demo_db: Path) -> None:
    """Raw codes arrive with mixed case and stray spaces; staging lower-cases and trims."""
    raw_mixed = query(
        demo_db,
        "select count(*) from raw.events where utm_source != lower(trim(utm_source))",
    )[0][0]
    staged_mixed = query(
        demo_db,
        """
        select count(*) from staging.stg_tracking__events
        where utm_source != lower(trim(utm_source))
           or utm_medium != lower(trim(utm_medium))
           or event_type != lower(trim(event_type))
        """,
    )[0][0]
    assert raw_mixed > 0
    assert staged_mixed == 0
