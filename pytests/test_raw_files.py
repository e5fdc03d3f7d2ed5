"""Raw data the project did not generate: hostile files, missing columns, empty files.

Every fixture is written here, byte by byte (not by the generator), and kept small. The
expectations are computed in Python from the bytes themselves: records are counted with
the `csv` module over the bytes decoded with errors='surrogateescape', and the line of
each bad record is counted from the line feeds before it.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest
from dbt_harness import REPO_ROOT, STAGING, DbtProject, query

STAGING_ONLY = (
    "--select",
    "staging",
    "--indirect-selection",
    "cautious",
    "--exclude-resource-type",
    "unit_test",
)

HEADERS = {
    "events": [
        "event_id", "event_type", "occurred_at", "anonymous_id", "user_id", "page_url",
        "referrer_url", "utm_source", "utm_medium", "utm_campaign", "utm_term", "device",
        "properties", "_loaded_at",
    ],
    "leads": [
        "lead_id", "user_id", "email", "created_at", "lead_source", "job_role", "company_size",
        "industry", "mql_at", "sql_at", "opportunity_at", "won_at", "lost_at", "deal_amount",
        "_loaded_at",
    ],
    "orders": [
        "order_id", "customer_id", "ordered_at", "order_channel", "status", "amount", "cost",
        "currency", "is_trial_conversion", "items", "_loaded_at",
    ],
    "survey_responses": [
        "response_id", "user_id", "survey_type", "score", "submitted_at", "survey_channel",
        "touchpoint", "comment", "_loaded_at",
    ],
    "marketing_spend": [
        "spend_date", "channel", "campaign_id", "impressions", "clicks", "spend",
        "avg_position", "is_branded", "_loaded_at",
    ],
}  # fmt: skip

LOADED_AT = "2025-03-01 00:00:00"


def clean_row(table: str, n: int) -> dict[str, str]:
    """A row that breaks no rule of its table (n makes its key unique)."""
    at = f"2025-02-{1 + n % 28:02d} 10:{n % 60:02d}:00"
    rows = {
        "events": {
            "event_id": f"e{n}",
            "event_type": "page_view",
            "occurred_at": at,
            "anonymous_id": f"a{n}",
            "page_url": f"https://journeyco.example/p/{n}",
            "device": "mobile",
            "properties": '{"engagement_time_s": 3}',
        },
        "leads": {
            "lead_id": f"l{n}",
            "email": f"person{n}@example.com",
            "created_at": at,
            "lead_source": "web_form",
        },
        "orders": {
            "order_id": f"o{n}",
            "customer_id": f"u{n}",
            "ordered_at": at,
            "order_channel": "web",
            "status": "completed",
            "amount": "12.50",
            "currency": "EUR",
            "items": "1",
        },
        "survey_responses": {
            "response_id": f"r{n}",
            "user_id": f"u{n}",
            "survey_type": "nps",
            "score": str(n % 11),
            "submitted_at": at,
            "survey_channel": "email",
        },
        "marketing_spend": {
            "spend_date": f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}",
            "channel": "paid_search",
            "campaign_id": f"c{n:06d}",
            "impressions": "100",
            "clicks": "3",
            "spend": "4.20",
        },
    }[table]
    return {**rows, "_loaded_at": LOADED_AT}


def encode_row(columns: list[str], row: dict[str, str]) -> bytes:
    """One CSV record (quoted only where needed, as the csv module writes it)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([row.get(column, "") for column in columns])
    return out.getvalue().encode("utf-8")


@dataclass
class RawFile:
    """The bytes of one raw file, and where its bad records are."""

    columns: list[str]
    parts: list[bytes] = field(default_factory=list)
    # (line number the record starts on, raw text the rejects model must show)
    bad_lines: list[tuple[int, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.parts.append((",".join(self.columns) + "\n").encode())

    def add(self, row: dict[str, str]) -> None:
        self.parts.append(encode_row(self.columns, row))

    def add_bad(self, raw: bytes, shown: str | None = None) -> None:
        """A record DuckDB cannot read; `shown` is its expected raw_line."""
        line = 1 + b"".join(self.parts).count(b"\n")
        text = raw.rstrip(b"\n").decode("utf-8") if shown is None else shown
        self.bad_lines.append((line, text))
        self.parts.append(raw)

    @property
    def data(self) -> bytes:
        return b"".join(self.parts)


def escaped(raw: bytes) -> str:
    """A line that is not valid UTF-8, as raw_line shows it (bytes outside printable ASCII,
    and the backslash, as \\xNN)."""
    return "".join(
        chr(byte) if 0x20 <= byte <= 0x7E and byte != 0x5C else f"\\x{byte:02X}"
        for byte in raw.rstrip(b"\n")
    )


def count_records(path: Path) -> int:
    """Records in a raw CSV (header excluded), read by Python's csv module."""
    if not path.exists() or path.stat().st_size == 0:
        return 0
    text = path.read_bytes().decode("utf-8", errors="surrogateescape")
    rows = [row for row in csv.reader(io.StringIO(text, newline="")) if row]
    return max(len(rows) - 1, 0)


def hostile_files() -> dict[str, RawFile]:
    """One fault per table, each in the middle of otherwise clean rows."""
    files = {table: RawFile(columns) for table, columns in HEADERS.items()}

    events = files["events"]
    for n in range(1, 6):
        events.add(clean_row("events", n))
    # a quoted field spanning two lines: DuckDB's record count and the file's line numbers
    # part ways from here on
    events.add({**clean_row("events", 6), "properties": '{"engagement_time_s":\n 4}'})
    bad = encode_row(events.columns, clean_row("events", 7)).replace(b"/p/7", b"/p/\xff7")
    events.add_bad(bad, escaped(bad))
    for n in range(8, 12):
        events.add(clean_row("events", n))

    leads = files["leads"]
    for n in range(1, 5):
        leads.add(clean_row("leads", n))
    bad = encode_row(leads.columns, {**clean_row("leads", 5), "email": "jos\xe9@example.com"})
    bad = bad.replace("jos\xe9".encode(), "jos\xe9".encode("cp1252"))
    leads.add_bad(bad, escaped(bad))
    for n in range(6, 9):
        leads.add(clean_row("leads", n))

    orders = files["orders"]
    for n in range(1, 5):
        orders.add(clean_row("orders", n))
    # a thousands separator, unquoted: one field too many
    bad = encode_row(orders.columns, clean_row("orders", 5)).replace(b"12.50", b"1,250.00")
    orders.add_bad(bad)
    for n in range(6, 9):
        orders.add(clean_row("orders", n))

    surveys = files["survey_responses"]
    for n in range(1, 8):
        surveys.add(clean_row("survey_responses", n))
    # the export stopped mid-record: no line feed, too few fields
    surveys.add_bad(encode_row(surveys.columns, clean_row("survey_responses", 8))[:20])

    spend = files["marketing_spend"]
    for n in range(1, 34399):
        row = clean_row("marketing_spend", n)
        if n == 30500:
            # the first quoted field of the file, far past DuckDB's sniffing sample
            row["campaign_id"] = "summer, sale"
        spend.add(row)
    return files


def write(directory: Path, files: dict[str, RawFile]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for table, raw_file in files.items():
        (directory / f"{table}.csv").write_bytes(raw_file.data)


def counts(database: Path, table: str) -> tuple[int, int]:
    clean, rejects, _ = STAGING[table]
    return (
        query(database, f"select count(*) from staging.{clean}")[0][0],
        query(database, f"select count(*) from staging.{rejects}")[0][0],
    )


def unreadable(database: Path, table: str) -> list[tuple]:
    _, rejects, _ = STAGING[table]
    return query(
        database,
        f"""
        select source_file, source_line_number, raw_line
        from staging.{rejects}
        where reject_reason = 'unreadable_line'
        order by source_line_number
        """,
    )


def test_fixture_faults_are_real() -> None:
    """The spend file really is >30k rows with its first quote after row 30,000 (else the
    dialect test proves nothing), and every other table has exactly one bad record."""
    files = hostile_files()
    spend = files["marketing_spend"].data
    assert spend.count(b"\n") - 1 > 30000
    assert spend[: spend.index(b'"')].count(b"\n") > 30000
    with pytest.raises(UnicodeDecodeError):
        files["events"].data.decode("utf-8")
    with pytest.raises(UnicodeDecodeError):
        files["leads"].data.decode("utf-8")
    assert {table: len(f.bad_lines) for table, f in files.items()} == {
        "events": 1,
        "leads": 1,
        "orders": 1,
        "survey_responses": 1,
        "marketing_spend": 0,
    }
    assert not files["survey_responses"].data.endswith(b"\n")


def test_hostile_files_load_line_by_line(tmp_path: Path) -> None:
    """Each unreadable line is rejected with its file, line and text; the rest loads."""
    files = hostile_files()
    raw_dir = tmp_path / "export"
    write(raw_dir, files)
    project = DbtProject(tmp_path / "build")
    project.build(*STAGING_ONLY, vars_={"raw_data_path": str(raw_dir)})

    for table, raw_file in files.items():
        path = raw_dir / f"{table}.csv"
        records = count_records(path)
        clean, rejects = counts(project.database, table)
        assert clean + rejects == records, table
        # nothing else in these files breaks a rule: the bad line is the only reject
        assert rejects == len(raw_file.bad_lines), table
        assert unreadable(project.database, table) == [
            (str(path), line, text) for line, text in raw_file.bad_lines
        ], table


def test_empty_absent_and_header_only_files(tmp_path: Path) -> None:
    """A 0-byte file, an absent file and a header-only file are empty tables (the first two
    with a warning naming the file); the other files load as usual."""
    raw_dir = tmp_path / "export"
    raw_dir.mkdir()
    (raw_dir / "events.csv").write_bytes(b"")
    header_only = RawFile(HEADERS["survey_responses"])
    (raw_dir / "survey_responses.csv").write_bytes(header_only.data)
    for table in ("orders", "marketing_spend"):
        raw_file = RawFile(HEADERS[table])
        for n in range(1, 4):
            raw_file.add(clean_row(table, n))
        (raw_dir / f"{table}.csv").write_bytes(raw_file.data)
    assert not (raw_dir / "leads.csv").exists()

    project = DbtProject(tmp_path / "build")
    result = project.build(*STAGING_ONLY, vars_={"raw_data_path": str(raw_dir)})

    log = " ".join(result.stdout.split())
    assert f"file '{raw_dir}/events.csv' (source tracking.events) is empty (0 bytes)" in log
    assert f"file '{raw_dir}/leads.csv' (source crm.leads) does not exist" in log
    assert "survey_responses.csv" not in log, "a header-only file is not worth a warning"
    for table in ("events", "leads", "survey_responses"):
        assert counts(project.database, table) == (0, 0), table
    for table in ("orders", "marketing_spend"):
        assert counts(project.database, table) == (3, 0), table


def test_missing_raw_file_is_an_empty_table(tmp_path: Path) -> None:
    """Even a directory that does not exist: every table is empty, every file named."""
    project = DbtProject(tmp_path / "build")
    result = project.dbt(
        "run", "--select", "base_crm__leads_checked", vars_={"raw_data_path": str(tmp_path / "x")}
    )
    assert result.returncode == 0, result.stdout[-4000:]
    for table in HEADERS:
        assert f"'{tmp_path / 'x'}/{table}.csv'" in result.stdout
    assert query(project.database, "select count(*) from staging.base_crm__leads_checked") == [(0,)]


# The contract faults of the next test, and the lines the error must show for them.
DROPPED_COLUMNS = {
    "events": ["occurred_at", "anonymous_id", "user_id", "_loaded_at"],
    "orders": ["amount", "status"],
    "marketing_spend": ["clicks", "avg_position"],
}
EXPECTED_ERROR_LINES = [
    "source tracking.events (",
    "- occurred_at: when it happened: sessions, periods and the future check",
    "- one of anonymous_id, user_id (identity): ",
    "source commerce.orders (",
    "- status: completed/refunded/cancelled: revenue counts completed orders",
    "- amount: revenue, AOV, LTV, ROAS",
    "source ads.marketing_spend (",
    "- clicks: CTR, CPC",
]


def contract_fixture() -> dict[str, RawFile]:
    files = {}
    for table, columns in HEADERS.items():
        kept = [column for column in columns if column not in DROPPED_COLUMNS.get(table, [])]
        raw_file = RawFile(kept)
        for n in range(1, 3):
            raw_file.add(clean_row(table, n))
        files[table] = raw_file
    return files


@pytest.mark.parametrize("loading", ["files", "warehouse"])
def test_missing_required_columns_stop_the_run(tmp_path: Path, loading: str) -> None:
    """One error lists every missing required column of every table, before any model."""
    files = contract_fixture()
    project = DbtProject(tmp_path / "build")
    if loading == "files":
        write(tmp_path / "export", files)
        vars_ = {"raw_data_path": str(tmp_path / "export")}
    else:
        project.workdir.mkdir(parents=True)
        with duckdb.connect(str(project.database)) as con:
            con.execute("create schema raw")
            for table, raw_file in files.items():
                column_list = ", ".join(f"{column} varchar" for column in raw_file.columns)
                con.execute(f"create table raw.{table} ({column_list})")
        vars_ = {"load_demo_data": False}
    result = project.dbt("build", *STAGING_ONLY, vars_=vars_)

    assert result.returncode != 0
    output = result.stdout
    assert "Raw data contract: required columns are missing" in output
    for line in EXPECTED_ERROR_LINES:
        assert line in output, line
    # optional columns are not reported as errors, and the complete tables not at all
    error = output[output.index("Raw data contract: required") :]
    for name in ("avg_position", "_loaded_at", "source crm.leads", "source surveys."):
        assert name not in error, name
    if loading == "files":
        assert f"file '{tmp_path / 'export'}/events.csv'" in error
    else:
        assert '"raw"."events"' in error
    # the check ran before any model
    built = query(
        project.database,
        "select count(*) from information_schema.tables where table_schema = 'staging'",
    )
    assert built == [(0,)]


def test_demo_copy_with_faults_builds_the_whole_project(tmp_path: Path) -> None:
    """The demo files as a real export might deliver them: no `_loaded_at` in events, one
    invalid byte in one event row, Windows line ends in orders. The whole project builds,
    the log says `_loaded_at` is read as null, and every record is accounted for."""
    raw_dir = tmp_path / "export"
    raw_dir.mkdir()
    for table in HEADERS:
        shutil.copy(REPO_ROOT / "seeds" / "raw" / f"{table}.csv", raw_dir / f"{table}.csv")
    events_path = raw_dir / "events.csv"
    with events_path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    keep = [i for i, name in enumerate(rows[0]) if name != "_loaded_at"]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([[row[i] for i in keep] for row in rows])
    data = out.getvalue().encode("utf-8")
    # one invalid UTF-8 byte in the event type of the first page view after line 1000
    start = data.index(b",page_view,", len(b"\n".join(data.split(b"\n")[:1000])))
    start = data.rindex(b"\n", 0, start) + 1
    end = data.index(b"\n", start)
    bad_record = data[start:end].replace(b",page_view,", b",page_vi\xffew,", 1)
    data = data[:start] + bad_record + data[end:]
    bad_line = 1 + data[:start].count(b"\n")
    events_path.write_bytes(data)
    orders_path = raw_dir / "orders.csv"
    orders_path.write_bytes(orders_path.read_bytes().replace(b"\n", b"\r\n"))

    project = DbtProject(tmp_path / "build")
    result = project.build(
        "--exclude-resource-type", "unit_test", vars_={"raw_data_path": str(raw_dir)}
    )

    log = " ".join(result.stdout.split())
    assert re.search(
        r"source tracking\.events \(file '[^']*events\.csv'\) has no column _loaded_at: "
        r"optional, read as null",
        log,
    )
    assert unreadable(project.database, "events") == [
        (str(events_path), bad_line, escaped(bad_record))
    ]
    for table in HEADERS:
        clean, rejects = counts(project.database, table)
        assert clean + rejects == count_records(raw_dir / f"{table}.csv"), table
    # CRLF line ends are line ends, not part of the last value
    assert query(
        project.database,
        "select count(*) from staging.stg_commerce__orders_rejects"
        " where reject_reason = 'unreadable_line' or loaded_at like '%' || chr(13)",
    ) == [(0,)]
    assert query(project.database, "select count(*) from marts.mart_kpi_values")[0][0] > 0
