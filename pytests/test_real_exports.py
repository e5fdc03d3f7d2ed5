"""Exports the generator did not make: the project builds on them and reports right.

Two small data sets are written by the tests themselves, in shapes a real export has and
the demo data does not:

- a web shop's export: events and orders only (the other three sources have no file or an
  empty table), no `_loaded_at`, purchase events without an order id, fewer event columns
  than the contract (no `utm_campaign`, `utm_term`, `properties`), and its own site host;
- a 1990s retailer's order history: orders only, dated 1997-1998.

Each is built twice: from files (var `raw_data_path`) and from tables an EL tool would have
loaded into the warehouse's raw schema (`load_demo_data: false`). The KPIs are checked
against a plain-Python computation from the same rows (no SQL, no dbt), written for the
rules these fixtures exercise: sessions split only by day here, the shop's conversions are
its purchase events, revenue and orders count completed orders.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from dbt_harness import DbtProject, query

SHOP_HOST = "shop.example"
TABLES = ("events", "leads", "orders", "survey_responses", "marketing_spend")

# Contract columns of the tables these fixtures leave empty (an EL tool would still create
# them in the warehouse, header only).
EMPTY_TABLE_COLUMNS = {
    "leads": [
        "lead_id", "user_id", "email", "created_at", "lead_source", "job_role", "company_size",
        "industry", "mql_at", "sql_at", "opportunity_at", "won_at", "lost_at", "deal_amount",
    ],
    "survey_responses": [
        "response_id", "user_id", "survey_type", "score", "submitted_at", "survey_channel",
        "touchpoint", "comment",
    ],
    "marketing_spend": [
        "spend_date", "channel", "campaign_id", "impressions", "clicks", "spend",
        "avg_position", "is_branded",
    ],
}  # fmt: skip

SHOP_EVENT_COLUMNS = [
    "event_id", "event_type", "occurred_at", "anonymous_id", "user_id", "page_url",
    "referrer_url", "utm_source", "utm_medium", "device",
]  # fmt: skip
SHOP_ORDER_COLUMNS = [
    "order_id", "customer_id", "ordered_at", "order_channel", "status", "amount", "currency",
    "items",
]  # fmt: skip
RETAIL_ORDER_COLUMNS = [
    "order_id", "customer_id", "ordered_at", "order_channel", "status", "amount", "cost",
    "currency", "items",
]  # fmt: skip

# How a visit arrives: (channel the project must give it, utm_source, utm_medium, referrer).
ARRIVALS = [
    ("direct", "", "", ""),
    ("paid_search", "google", "cpc", ""),
    ("organic_search", "", "", "https://www.google.com/search?q=shop"),
    ("email", "newsletter", "email", ""),
]


@dataclass
class Export:
    """One fixture: its rows per table (text, as a file holds them) and its columns."""

    columns: dict[str, list[str]]
    rows: dict[str, list[dict[str, str]]]

    def write_files(self, directory: Path, absent: tuple[str, ...] = ()) -> None:
        """One CSV per table; tables in `absent` get no file; others with no rows get a header."""
        directory.mkdir(parents=True, exist_ok=True)
        for table, columns in self.columns.items():
            if table in absent:
                continue
            with (directory / f"{table}.csv").open("w", newline="", encoding="utf-8") as out:
                writer = csv.DictWriter(out, fieldnames=columns)
                writer.writeheader()
                writer.writerows(self.rows.get(table, []))

    def load_warehouse(self, database: Path, schema: str = "raw") -> None:
        """Create every table as an EL tool would: all columns text, empty tables included."""
        with duckdb.connect(str(database)) as con:
            con.execute(f"create schema if not exists {schema}")
            for table, columns in self.columns.items():
                column_list = ", ".join(f'"{column}" varchar' for column in columns)
                con.execute(f"create or replace table {schema}.{table} ({column_list})")
                rows = self.rows.get(table, [])
                if rows:
                    placeholders = ", ".join("?" for _ in columns)
                    con.executemany(
                        f"insert into {schema}.{table} values ({placeholders})",
                        [[row[column] or None for column in columns] for row in rows],
                    )


# --------------------------------------------------------------------------------------
# The web shop
# --------------------------------------------------------------------------------------


def make_shop(seed: int = 8) -> Export:
    """80 visitors, 1-3 visits each on different days of Jan-Mar 2024, some buy."""
    rng = random.Random(seed)
    events: list[dict[str, str]] = []
    orders: list[dict[str, str]] = []
    for visitor in range(1, 81):
        anonymous_id = f"anon-{visitor:03d}"
        user_id = f"shopper-{visitor:03d}" if visitor % 3 == 0 else ""
        days = sorted(rng.sample(range(0, 90), rng.randint(1, 3)))
        for visit, day in enumerate(days):
            _, utm_source, utm_medium, referrer = ARRIVALS[rng.randrange(len(ARRIVALS))]
            at = datetime(2024, 1, 1, rng.randint(7, 20), rng.randint(0, 59)) + timedelta(day)
            steps = ["page_view"] * rng.randint(1, 4)
            if rng.random() < 0.5:
                steps.append("add_to_cart")
                if rng.random() < 0.5:
                    steps += ["checkout_start", "purchase"]
            for step, event_type in enumerate(steps):
                first = step == 0
                events.append(
                    {
                        "event_id": f"e-{visitor:03d}-{visit}-{step}",
                        "event_type": event_type,
                        "occurred_at": at.strftime("%Y-%m-%d %H:%M:%S"),
                        "anonymous_id": anonymous_id,
                        # a shopper logs in when buying; the whole browser is theirs then
                        "user_id": user_id if event_type == "purchase" else "",
                        "page_url": f"https://{SHOP_HOST}/p/{rng.randint(1, 30)}",
                        "referrer_url": referrer if first else f"https://{SHOP_HOST}/",
                        "utm_source": utm_source if first else "",
                        "utm_medium": utm_medium if first else "",
                        "device": rng.choice(["desktop", "mobile"]),
                    }
                )
                if event_type == "purchase":
                    orders.append(
                        {
                            "order_id": f"order-{len(orders) + 1:04d}",
                            "customer_id": user_id or anonymous_id,
                            "ordered_at": (at + timedelta(seconds=5)).strftime(
                                "%Y-%m-%dT%H:%M:%SZ"
                            ),
                            "order_channel": "web",
                            "status": rng.choice(["completed"] * 8 + ["refunded", "cancelled"]),
                            "amount": f"{rng.randint(500, 30000) / 100:.2f}",
                            "currency": "EUR",
                            "items": str(rng.randint(1, 4)),
                        }
                    )
                at += timedelta(seconds=rng.randint(20, 240))
    columns = {"events": SHOP_EVENT_COLUMNS, "orders": SHOP_ORDER_COLUMNS, **EMPTY_TABLE_COLUMNS}
    return Export(columns=columns, rows={"events": events, "orders": orders})


def month_of(text: str) -> str:
    return text[:7] + "-01"


def shop_expected(export: Export) -> dict[tuple[str, str], float]:
    """(kpi, month) -> value at channel `all`, persona `all`, from the rows alone.

    A visit is a session (visits are days apart and all events of a visit are minutes
    apart, with the source on the first event only). A person is the visitor's user id
    when any of its events has one, else the anonymous id. A session converts when it holds
    a purchase event (none has an order id).
    """
    person_of: dict[str, str] = {}
    for event in export.rows["events"]:
        if event["user_id"]:
            person_of[event["anonymous_id"]] = event["user_id"]
    sessions: dict[tuple[str, str], dict] = {}
    for event in export.rows["events"]:
        _, visitor, visit, _ = event["event_id"].split("-")
        session = sessions.setdefault(
            (visitor, visit),
            {
                "person": person_of.get(event["anonymous_id"], event["anonymous_id"]),
                "month": month_of(event["occurred_at"]),
                "types": set(),
            },
        )
        session["types"].add(event["event_type"])
    expected: dict[tuple[str, str], float] = {}
    by_month: dict[str, list[dict]] = defaultdict(list)
    for session in sessions.values():
        by_month[session["month"]].append(session)
    for month, month_sessions in by_month.items():
        converting = [s for s in month_sessions if "purchase" in s["types"]]
        carts = [s for s in month_sessions if "add_to_cart" in s["types"]]
        visitors = {s["person"] for s in month_sessions}
        expected[("sessions", month)] = len(month_sessions)
        expected[("unique_visitors", month)] = len(visitors)
        expected[("conversion_rate", month)] = len(converting) / len(month_sessions)
        expected[("visitor_conversion_rate", month)] = len({s["person"] for s in converting}) / len(
            visitors
        )
        if carts:
            abandoned = [s for s in carts if "purchase" not in s["types"]]
            expected[("cart_abandonment_rate", month)] = len(abandoned) / len(carts)
    expected.update(order_expected(export.rows["orders"]))
    return expected


def order_expected(orders: list[dict[str, str]]) -> dict[tuple[str, str], float]:
    """orders, revenue, average_order_value and new_customers per month: completed only."""
    completed = sorted(
        (order for order in orders if order["status"] == "completed"),
        key=lambda order: (order["ordered_at"], order["order_id"]),
    )
    revenue: dict[str, Decimal] = defaultdict(Decimal)
    count: dict[str, int] = defaultdict(int)
    new_customers: dict[str, int] = defaultdict(int)
    seen: set[str] = set()
    for order in completed:
        month = month_of(order["ordered_at"])
        revenue[month] += Decimal(order["amount"])
        count[month] += 1
        if order["customer_id"] not in seen:
            seen.add(order["customer_id"])
            new_customers[month] += 1
    expected: dict[tuple[str, str], float] = {}
    for month in count:
        expected[("new_customers", month)] = new_customers.get(month, 0)
        expected[("orders", month)] = count[month]
        expected[("revenue", month)] = float(revenue[month])
        expected[("average_order_value", month)] = float(revenue[month]) / count[month]
    return expected


# --------------------------------------------------------------------------------------
# The 1990s retailer
# --------------------------------------------------------------------------------------


def make_retailer(seed: int = 97) -> Export:
    """400 orders of 90 customers, January 1997 to December 1998, orders only."""
    rng = random.Random(seed)
    orders = []
    for number in range(1, 401):
        at = datetime(1997, 1, 1) + timedelta(minutes=rng.randint(0, 730 * 24 * 60 - 1))
        amount = Decimal(rng.randint(100, 250000)) / 100
        orders.append(
            {
                "order_id": f"R{number:05d}",
                "customer_id": f"C{rng.randint(1, 90):03d}",
                "ordered_at": at.strftime("%Y-%m-%d %H:%M:%S"),
                "order_channel": rng.choice(["pos", "pos", "sales", "web"]),
                "status": rng.choice(["completed"] * 9 + ["refunded"]),
                "amount": f"{amount:.2f}",
                "cost": f"{amount * Decimal('0.6'):.2f}",
                "currency": "USD",
                "items": str(rng.randint(1, 12)),
            }
        )
    columns = {
        "orders": RETAIL_ORDER_COLUMNS,
        "events": SHOP_EVENT_COLUMNS,
        **EMPTY_TABLE_COLUMNS,
    }
    return Export(columns=columns, rows={"orders": orders})


# --------------------------------------------------------------------------------------
# Builds and comparisons
# --------------------------------------------------------------------------------------


def built_values(database: Path, kpis: set[str]) -> dict[tuple[str, str], float]:
    kpi_list = ", ".join(f"'{kpi}'" for kpi in sorted(kpis))
    rows = query(
        database,
        f"""
        select kpi_name, strftime(period_start, '%Y-%m-%d'), value
        from marts.mart_kpi_values
        where period_grain = 'month' and channel = 'all' and persona = 'all'
            and kpi_name in ({kpi_list})
        """,
    )
    return {(kpi, month): value for kpi, month, value in rows}


def assert_kpis_match(database: Path, expected: dict[tuple[str, str], float]) -> None:
    actual = built_values(database, {kpi for kpi, _ in expected})
    wrong = [
        (key, value, actual.get(key))
        for key, value in sorted(expected.items())
        if actual.get(key) is None or actual[key] != pytest.approx(value, rel=1e-9, abs=1e-9)
    ]
    extra = sorted(set(actual) - set(expected))
    assert not wrong, f"KPI (kpi, month), expected, built: {wrong[:15]}"
    assert not extra, f"KPI rows the fixture cannot have: {extra[:15]}"


def build(project: DbtProject, vars_: dict) -> None:
    project.build("--exclude-resource-type", "unit_test", vars_=vars_)


@pytest.fixture(scope="module")
def shop() -> Export:
    return make_shop()


@pytest.fixture(scope="module")
def retailer() -> Export:
    return make_retailer()


def test_shop_fixture_is_what_it_claims(shop: Export) -> None:
    """The fixture really has the shapes under test (else the checks below prove little)."""
    purchases = [e for e in shop.rows["events"] if e["event_type"] == "purchase"]
    assert len(purchases) >= 10
    assert {"_loaded_at", "properties", "utm_campaign"}.isdisjoint(shop.columns["events"])
    months = {month for _, month in shop_expected(shop)}
    assert months == {"2024-01-01", "2024-02-01", "2024-03-01"}
    expected = shop_expected(shop)
    assert all(expected[("conversion_rate", month)] > 0 for month in months)


@pytest.mark.parametrize("loading", ["files", "warehouse"])
def test_web_shop_export(tmp_path: Path, shop: Export, loading: str) -> None:
    project = DbtProject(tmp_path / "build")
    vars_: dict = {"site_hosts": [SHOP_HOST]}
    if loading == "files":
        # leads and surveys have no file at all; marketing spend is a header-only file
        shop.write_files(tmp_path / "export", absent=("leads", "survey_responses"))
        vars_["raw_data_path"] = str(tmp_path / "export")
    else:
        project.workdir.mkdir(parents=True, exist_ok=True)
        shop.load_warehouse(project.database)
        vars_["load_demo_data"] = False
    build(project, vars_)

    expected = shop_expected(shop)
    assert_kpis_match(project.database, expected)
    # every session converts through its own purchase event: no channel has a zero rate
    # where it has a buyer, and the session KPIs are split by the session's channel
    by_channel = query(
        project.database,
        """
        select channel, sum(numerator), sum(denominator)
        from marts.mart_kpi_values
        where kpi_name = 'conversion_rate' and period_grain = 'month' and persona = 'all'
            and channel != 'all'
        group by channel
        """,
    )
    sessions_by_channel: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    channel_of_visit: dict[tuple[str, str], str] = {}
    for event in shop.rows["events"]:
        _, visitor, visit, step = event["event_id"].split("-")
        if step == "0":
            channel = next(
                name
                for name, source, medium, referrer in ARRIVALS
                if (source, medium, referrer)
                == (event["utm_source"], event["utm_medium"], event["referrer_url"])
            )
            channel_of_visit[(visitor, visit)] = channel
            sessions_by_channel[channel][1] += 1
    for event in shop.rows["events"]:
        if event["event_type"] == "purchase":
            _, visitor, visit, _ = event["event_id"].split("-")
            sessions_by_channel[channel_of_visit[(visitor, visit)]][0] += 1
    assert {channel: (num, den) for channel, num, den in by_channel} == {
        channel: tuple(counts) for channel, counts in sessions_by_channel.items()
    }


@pytest.mark.parametrize("loading", ["files", "warehouse"])
def test_orders_only_export_from_the_nineties(
    tmp_path: Path, retailer: Export, loading: str
) -> None:
    project = DbtProject(tmp_path / "build")
    vars_: dict = {}
    if loading == "files":
        retailer.write_files(
            tmp_path / "export", absent=("events", "leads", "survey_responses", "marketing_spend")
        )
        vars_["raw_data_path"] = str(tmp_path / "export")
    else:
        project.workdir.mkdir(parents=True, exist_ok=True)
        retailer.load_warehouse(project.database)
        vars_["load_demo_data"] = False
    build(project, vars_)

    expected = order_expected(retailer.rows["orders"])
    assert len({month for _, month in expected}) == 24
    assert_kpis_match(project.database, expected)
    # the calendar starts where the data does
    first_day, last_day = query(
        project.database, "select min(date_day), max(date_day) from marts.dim_date"
    )[0]
    assert str(first_day) <= "1997-01-01" and str(last_day) >= "1998-12-31"
    assert str(first_day) >= "1990-01-01", "the calendar should follow the data, not a fixed range"
    # no KPI of an empty source has a row
    web_rows = query(
        project.database,
        "select count(*) from marts.mart_kpi_values"
        " where kpi_name in ('sessions', 'nps', 'marketing_spend')",
    )[0][0]
    assert web_rows == 0


def test_orders_export_with_unreadable_lines(tmp_path: Path, retailer: Export) -> None:
    """The retailer's file with three lines broken as real exports break them (a cp1252
    byte, an unquoted comma, a truncated last line): those three orders are rejected as
    unreadable, and every KPI equals the computation over the other orders."""
    export = tmp_path / "export"
    retailer.write_files(export, absent=("events", "leads", "survey_responses", "marketing_spend"))
    path = export / "orders.csv"
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b""
    broken = {
        # line number (1 = header) -> the bytes that replace it
        11: lines[10].replace(b",USD,", b",US\xe9D,"),
        101: lines[100].replace(b",USD,", b",USD,extra,"),
        len(lines) - 1: lines[-2][: len(lines[-2]) // 2],
    }
    for number, data in broken.items():
        assert data != lines[number - 1]
        lines[number - 1] = data
    path.write_bytes(b"\n".join(lines[:-2] + [lines[-2]]))  # no line end after the last
    broken_ids = {retailer.rows["orders"][number - 2]["order_id"] for number in broken}

    project = DbtProject(tmp_path / "build")
    build(project, {"raw_data_path": str(export)})

    rejected = query(
        project.database,
        "select source_line_number from staging.stg_commerce__orders_rejects"
        " where reject_reason = 'unreadable_line' order by 1",
    )
    assert [line for (line,) in rejected] == sorted(broken)
    kept = [order for order in retailer.rows["orders"] if order["order_id"] not in broken_ids]
    assert len(kept) == len(retailer.rows["orders"]) - 3
    assert_kpis_match(project.database, order_expected(kept))
