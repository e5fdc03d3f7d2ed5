"""Raw values a real export carries: padded ids, near-integers, placeholder dates, offsets.

A small raw data set is written by this test into the raw schema (all text, as an EL tool
loads it) and the project is built on it with the demo seeds off. Every expectation below
is written by hand from the rows themselves, never read from the models.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

import duckdb
import pytest
from dbt_harness import STAGING, DbtProject, query

from datagen.model import HEADERS

NBSP, BOM, EM_SPACE = "\u00a0", "\ufeff", "\u2003"
OK_TS = "2025-03-01 09:00:00"

# Raw rows per table: only the columns given; every other column is empty (null).
RAW: dict[str, list[dict[str, str]]] = {
    "events": [
        # one browser, padded differently in two exports, identified on its second event
        {"event_id": "e1", "anonymous_id": f"\ta1{NBSP}", "occurred_at": OK_TS},
        {"event_id": f"{BOM}e2\r\n", "anonymous_id": "a1", "user_id": f"u1{EM_SPACE}"},
        {"event_id": "e3", "occurred_at": "1900-01-01 00:00:00"},
        {"event_id": "e4", "occurred_at": "0001-01-01 00:00:00"},
        {"event_id": "e5", "occurred_at": "0044-03-15 (BC)"},
        {"event_id": "e6", "occurred_at": "-infinity"},
        {"event_id": "e7", "occurred_at": "1997-06-01 09:30:00"},
        {"event_id": "e8", "occurred_at": "2025-03-01T23:30:00+02:00"},
        # the same device later used by another user, logged in
        {"event_id": "e9", "anonymous_id": "a1", "user_id": "u9", "occurred_at": "2025-03-02"},
    ],
    "leads": [
        {"lead_id": "l1", "user_id": "u1", "email": f"\tAlice@Example.com{NBSP}"},
        {"lead_id": "l2", "user_id": "u2", "email": "alice@example.com"},
        {"lead_id": "l3", "created_at": "1997-02-01 10:00:00", "won_at": "1998-01-05 10:00:00"},
        {"lead_id": "l4", "created_at": "1900-01-01 00:00:00"},
        {"lead_id": "l5", "mql_at": "-infinity"},
    ],
    "orders": [
        {"order_id": "o1", "ordered_at": "0001-01-01 00:00:00"},
        {"order_id": "o2", "ordered_at": "1998-12-24 12:00:00", "items": "2.0"},
        {"order_id": "o3", "items": "2.0000001"},
    ],
    "survey_responses": [
        {"response_id": "r1", "survey_type": "nps", "score": "9.9999999"},
        {"response_id": "r2", "survey_type": "csat", "score": "4.0000001"},
        {"response_id": "r3", "survey_type": "nps", "score": f"\t9{NBSP}"},
        {"response_id": "r4", "submitted_at": "0044-03-15 (BC)"},
        {"response_id": "r5", "submitted_at": "1997-07-07 07:07:07"},
    ],
    "marketing_spend": [
        {"campaign_id": "c1", "spend_date": "1900-01-01"},
        {"campaign_id": "c2", "spend_date": "1997-11-03"},
        {"campaign_id": "c3", "spend_date": "-infinity"},
        {"campaign_id": "c4", "spend_date": "0001-01-01"},
    ],
}
# Valid values for the columns a row does not set.
DEFAULTS: dict[str, dict[str, str]] = {
    "events": {"event_type": "page_view", "anonymous_id": "a7", "occurred_at": OK_TS},
    "leads": {"created_at": OK_TS},
    "orders": {
        "customer_id": "u1",
        "ordered_at": OK_TS,
        "order_channel": "web",
        "status": "completed",
        "amount": "10",
    },
    "survey_responses": {
        "user_id": "u1",
        "survey_type": "csat",
        "score": "5",
        "submitted_at": OK_TS,
        "survey_channel": "email",
    },
    "marketing_spend": {"channel": "display", "impressions": "100", "clicks": "5", "spend": "2"},
}

EXPECTED_REJECTS = {
    "events": {
        "e3": "implausible_past",
        "e4": "implausible_past",
        "e5": "implausible_past",
        "e6": "implausible_past",
    },
    "leads": {"l4": "implausible_past", "l5": "implausible_past"},
    "orders": {"o1": "implausible_past", "o3": "invalid_items"},
    "survey_responses": {
        "r1": "malformed_score",
        "r2": "malformed_score",
        "r4": "implausible_past",
    },
    "marketing_spend": {
        "1900-01-01|display|c1": "implausible_past",
        "-infinity|display|c3": "implausible_past",
        "0001-01-01|display|c4": "implausible_past",
    },
}
EXPECTED_CLEAN = {
    "events": {"e1", "e2", "e7", "e8", "e9"},
    "leads": {"l1", "l2", "l3"},
    "orders": {"o2"},
    "survey_responses": {"r3", "r5"},
    "marketing_spend": {"1997-11-03|display|c2"},
}


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The raw tables written with Python duckdb, then staging and stitching built on them."""
    project = DbtProject(tmp_path_factory.mktemp("raw_values"))
    with duckdb.connect(str(project.database)) as con:
        con.execute("create schema raw")
        for table, rows in RAW.items():
            columns = HEADERS[table]
            con.execute(
                f"create table raw.{table} ("
                + ", ".join(f"{column} varchar" for column in columns)
                + ")"
            )
            for row in rows:
                values = {**DEFAULTS[table], **row}
                con.execute(
                    f"insert into raw.{table} values ({', '.join('?' for _ in columns)})",
                    [values.get(column) for column in columns],
                )
    project.build(
        "--select", "+int_events_stitched", "staging",
        "--resource-type", "seed", "--resource-type", "model",
        vars_={"load_demo_data": False},
    )  # fmt: skip
    return project.database


def _key_sql(raw_table: str) -> str:
    return " || '|' || ".join(
        f"coalesce(cast({column} as varchar), '')" for column in STAGING[raw_table][2]
    )


@pytest.mark.parametrize("raw_table", list(STAGING))
def test_rejects_and_clean_rows(database: Path, raw_table: str) -> None:
    clean, rejects, _ = STAGING[raw_table]
    rejected = dict(
        query(database, f"select {_key_sql(raw_table)}, reject_reason from staging.{rejects}")
    )
    kept = {key for (key,) in query(database, f"select {_key_sql(raw_table)} from staging.{clean}")}
    assert rejected == EXPECTED_REJECTS[raw_table]
    assert kept == EXPECTED_CLEAN[raw_table]


def test_padded_ids_are_one_browser_and_one_person(database: Path) -> None:
    """Tab / no-break space / BOM padding is trimmed: e1 and e2 are the same browser, u1."""
    stitched = dict(
        query(
            database,
            "select event_id, anonymous_id || '>' || person_id"
            " from intermediate.int_events_stitched",
        )
    )
    assert stitched["e1"] == "a1>u1"
    assert stitched["e2"] == "a1>u1"
    # a shared device: e9 carries its own user, u9, who wins over a1's first user
    assert stitched["e9"] == "a1>u9"
    (browsers,) = query(
        database,
        "select count(*) from intermediate.int_identities_stitched where anonymous_id like '%a1%'",
    )[0]
    assert browsers == 1


def test_padded_email_hashes_like_the_clean_one(database: Path) -> None:
    salt = os.environ.get("JOURNEY_KPIS_EMAIL_SALT", "")
    expected = hashlib.md5((salt + "alice@example.com").encode()).hexdigest()
    hashes = dict(query(database, "select lead_id, email_hash from staging.stg_crm__leads"))
    assert hashes["l1"] == expected
    assert hashes["l2"] == expected


def test_values_parsed_as_written(database: Path) -> None:
    occurred = dict(
        query(database, "select event_id, occurred_at from staging.stg_tracking__events")
    )
    assert occurred["e7"] == dt.datetime(1997, 6, 1, 9, 30)
    # an explicit +02:00 offset is honoured: 23:30 at +02:00 is 21:30 UTC
    assert occurred["e8"] == dt.datetime(2025, 3, 1, 21, 30)
    assert occurred["e1"] == dt.datetime(2025, 3, 1, 9, 0)
    scores = dict(query(database, "select response_id, score from staging.stg_surveys__responses"))
    assert scores == {"r3": 9, "r5": 5}
    items = dict(query(database, "select order_id, item_count from staging.stg_commerce__orders"))
    assert items == {"o2": 2}
    (spend_date,) = query(database, "select spend_date from staging.stg_ads__marketing_spend")[0]
    assert spend_date == dt.date(1997, 11, 3)
