"""Roll-ups a BI user computes from `mart_kpi_values` give the numbers of the raw facts.

The test writes its own small raw export (the five tables of the contract, January to June
2025), builds the project on it, and recomputes in plain Python, from the raw rows and the
catalog's definitions (no SQL, no dbt), every ratio and additive KPI below over a quarter
and over the whole history, per channel and for `all`. The documented roll-up query, run
over `mart_kpi_values`, must give the same numbers:

- ratio: `sum(numerator) / sum(denominator)` over the period rows of one grain;
- additive: `sum(value)` over the same rows;
- non-additive (distinct counts, stocks, medians, predictions): read at their own grain,
  never summed, so the test checks their aggregation kind and their value per month.

What the fixture holds, and why (each is a way a roll-up went wrong before issue 10):

- two paid channels with spend every day (`paid_search`, `paid_social`), months in which
  one of them acquires no new customer (CAC's denominator is 0 there: the row must stay,
  or the quarter loses that month's spend);
- organic channels (`organic_search`, `email`), tracked `direct` visits, and customers or
  orders with no session in the attribution window (`unattributed`, never `direct`): two
  sales-led customers and an untracked web shopper with no events at all, and a repeat
  order placed 40 days after the customer's last visit;
- an order whose last touch (e-mail, direct) differs from its customer's acquisition channel,
  and one attributed to a browsing session that is not the purchase session;
- customers with 1, 2 and 3 completed orders, a refunded and a cancelled order;
- NPS and CSAT answers; customers inactive for more than `churn_inactivity_days` (90).
"""

from __future__ import annotations

import csv
import json
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pytest
from dbt_harness import REPO_ROOT, DbtProject, query

FIRST_DAY = date(2025, 1, 1)
LAST_DAY = date(2025, 6, 30)
SITE = "https://www.journeyco.example"
SESSION_TIMEOUT_S = 30 * 60  # var session_timeout_minutes
LOOKBACK = timedelta(days=30)  # var attribution_lookback_days
CHURN_DAYS = 90  # var churn_inactivity_days

ALL = "all"
UNATTRIBUTED = "unattributed"
PAID = ("paid_search", "paid_social")  # the channels with spend (every day of the fixture)
CHANNELS = (ALL, "paid_search", "paid_social", "organic_search", "email", "direct", UNATTRIBUTED)

# Engagement events (the stage map's is_engagement_event) among the types the fixture uses:
# a page view is not one.
ENGAGEMENT_EVENTS = {"scroll", "add_to_cart", "checkout_start", "purchase"}

COLUMNS = {
    "events": [
        "event_id", "event_type", "occurred_at", "anonymous_id", "user_id", "page_url",
        "referrer_url", "utm_source", "utm_medium", "utm_campaign", "utm_term", "device",
        "properties",
    ],
    "leads": [
        "lead_id", "user_id", "email", "created_at", "lead_source", "job_role", "company_size",
        "industry", "mql_at", "sql_at", "opportunity_at", "won_at", "lost_at", "deal_amount",
    ],
    "orders": [
        "order_id", "customer_id", "ordered_at", "order_channel", "status", "amount", "cost",
        "currency", "is_trial_conversion", "items",
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

# --------------------------------------------------------------------------------------
# The fixture: raw rows, as an export holds them (text)
# --------------------------------------------------------------------------------------

# How a visit of each channel arrives: (utm_source, utm_medium, referrer_url, utm_campaign).
ARRIVALS = {
    "paid_search": ("google", "cpc", "", "ps_generic"),
    "paid_social": ("facebook", "paid_social", "", "soc_prospecting"),
    "organic_search": ("", "", "https://www.google.com/", ""),
    "email": ("newsletter", "email", "", "nl_monthly"),
    "direct": ("", "", "", ""),
}

# The events of a visit: (event type, seconds after the first event). `buy` ends with the
# purchase of the visit's order; every kind a customer uses ends on an engagement event, so
# "activity" is the same whether or not page views count as activity.
VISIT_KINDS = {
    "bounce": [("page_view", 0)],
    "glance": [("page_view", 0), ("scroll", 5)],  # not bounced, not engaged (5 s, 1 page)
    "browse": [("page_view", 0), ("page_view", 40), ("scroll", 70)],
    "cart": [("page_view", 0), ("add_to_cart", 30), ("scroll", 45)],
    "buy": [
        ("page_view", 0), ("page_view", 30), ("add_to_cart", 60), ("checkout_start", 90),
        ("purchase", 120),
    ],
}  # fmt: skip


def ts(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


@dataclass
class Export:
    rows: dict[str, list[dict[str, str]]] = field(
        default_factory=lambda: {table: [] for table in COLUMNS}
    )

    def visit(
        self,
        person: str,
        at: str,
        channel: str,
        kind: str,
        *,
        identified: bool = True,
        order: tuple[str, ...] | None = None,
    ) -> None:
        """A visit of `person` starting at `at`; `order` = (order_id, status, amount, cost)
        is placed by its purchase event (kind `buy`; order_id '' for a purchase event
        without order id, which then places no order)."""
        start = datetime.fromisoformat(at)
        utm_source, utm_medium, referrer, campaign = ARRIVALS[channel]
        steps = VISIT_KINDS[kind]
        for number, (event_type, offset) in enumerate(steps):
            occurred_at = start + timedelta(seconds=offset)
            first = number == 0
            properties: dict[str, str] = {}
            if event_type == "purchase" and order and order[0]:
                properties["order_id"] = order[0]
            if event_type == "scroll":
                properties["depth_pct"] = "75"
            self.rows["events"].append(
                {
                    "event_id": f"e_{person}_{start:%m%d%H%M}_{number}",
                    "event_type": event_type,
                    "occurred_at": ts(occurred_at),
                    "anonymous_id": f"a_{person}",
                    "user_id": f"u_{person}" if identified else "",
                    "page_url": f"{SITE}/{'checkout' if event_type == 'purchase' else 'p'}",
                    "referrer_url": referrer if first else "",
                    "utm_source": utm_source if first else "",
                    "utm_medium": utm_medium if first else "",
                    "utm_campaign": campaign if first else "",
                    "utm_term": "",
                    "device": "desktop",
                    "properties": json.dumps(properties) if properties else "",
                }
            )
            if event_type == "purchase" and order and order[0]:
                order_id, status, amount, cost = order
                self.order(
                    order_id, person, ts(occurred_at + timedelta(seconds=5)), status, amount, cost
                )

    def order(
        self,
        order_id: str,
        person: str,
        at: str,
        status: str,
        amount: str,
        cost: str,
        order_channel: str = "web",
    ) -> None:
        self.rows["orders"].append(
            {
                "order_id": order_id,
                "customer_id": f"u_{person}",
                "ordered_at": at,
                "order_channel": order_channel,
                "status": status,
                "amount": amount,
                "cost": cost,
                "currency": "USD",
                "is_trial_conversion": "false",
                "items": "1",
            }
        )

    def write(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for table, columns in COLUMNS.items():
            with (directory / f"{table}.csv").open("w", newline="", encoding="utf-8") as out:
                writer = csv.DictWriter(out, fieldnames=columns)
                writer.writeheader()
                writer.writerows(self.rows[table])


def make_export(seed: int = 10) -> Export:
    rng = random.Random(seed)
    export = Export()
    visit, order = export.visit, export.order

    def buy(person: str, at: str, channel: str, *order_fields: str) -> None:
        """A visit that places an order (order_id, status, amount, cost) with its purchase."""
        visit(person, at, channel, "buy", order=order_fields)

    # Customers. New customers per acquisition channel and month (first completed order):
    #   Jan paid_social c04, direct c09 | Feb paid_search c01, organic c06, unattributed s01
    #   Mar paid_search c02, email c08   | Apr organic c07, unattributed s02
    #   May paid_social c05, unattributed s03 | Jun paid_search c03, direct c10
    # so paid_search acquires nobody in Jan, Apr, May and paid_social nobody in Feb-Apr, Jun.
    # c01: three completed orders, last-touch paid_search, email, then unattributed (the third
    # is placed 40 days after the last visit).
    buy("c01", "2025-02-10 10:00:00", "paid_search", "o01", "completed", "120.00", "40.00")
    buy("c01", "2025-03-15 11:00:00", "email", "o02", "completed", "80.50", "20.00")
    visit("c01", "2025-04-10 09:00:00", "paid_search", "browse")
    order("o03", "c01", "2025-05-20 15:00:00", "completed", "60.00", "15.00", "app")
    # c02: two orders; the second is placed in the app, two days after a paid_search visit.
    visit("c02", "2025-02-20 16:00:00", "paid_search", "glance")
    buy("c02", "2025-03-03 10:30:00", "paid_search", "o04", "completed", "200.00", "90.00")
    visit("c02", "2025-06-01 12:00:00", "paid_search", "browse")
    order("o05", "c02", "2025-06-03 09:00:00", "completed", "150.00", "50.00", "app")
    buy("c03", "2025-06-12 14:00:00", "paid_search", "o06", "completed", "99.90", "30.00")
    # c04: acquired by paid_social, buys again on a direct visit, then a refunded order; last
    # activity 2025-03-05, churned 90 days later (June).
    buy("c04", "2025-01-12 13:00:00", "paid_social", "o07", "completed", "45.00", "10.00")
    buy("c04", "2025-02-20 18:00:00", "direct", "o08", "completed", "55.00", "12.00")
    buy("c04", "2025-03-05 10:00:00", "paid_social", "o09", "refunded", "70.00", "20.00")
    buy("c05", "2025-05-08 11:00:00", "paid_social", "o10", "completed", "300.00", "100.00")
    order("o11", "c05", "2025-05-25 10:00:00", "cancelled", "40.00", "10.00", "app")
    # c06: one order in February, churned in May.
    buy("c06", "2025-02-08 09:00:00", "organic_search", "o12", "completed", "75.00", "25.00")
    visit("c07", "2025-04-02 10:00:00", "organic_search", "browse")
    buy("c07", "2025-04-10 10:00:00", "organic_search", "o13", "completed", "130.00", "40.00")
    # c08: two orders in March, churned in June.
    buy("c08", "2025-03-05 08:30:00", "email", "o14", "completed", "40.00", "8.00")
    buy("c08", "2025-03-25 14:00:00", "email", "o15", "completed", "60.00", "18.00")
    # c09: one order on a direct visit in January, churned in April.
    buy("c09", "2025-01-07 12:00:00", "direct", "o16", "completed", "25.00", "5.00")
    buy("c10", "2025-06-20 17:00:00", "direct", "o17", "completed", "210.00", "70.00")
    # Untracked customers: sales-led deals and a web shopper with no events at all.
    order("o18", "s01", "2025-02-03 09:00:00", "completed", "12000.00", "4000.00", "sales")
    order("o19", "s01", "2025-04-14 10:00:00", "completed", "8000.00", "2500.00", "sales")
    order("o20", "s02", "2025-04-22 11:00:00", "completed", "5000.00", "1500.00", "sales")
    order("o21", "s03", "2025-05-05 19:00:00", "completed", "90.00", "30.00")
    order("o22", "s03", "2025-05-12 20:00:00", "refunded", "35.00", "10.00")

    # Visitors who never buy: 1 to 4 visits each on distinct days, half of them identified.
    days = (LAST_DAY - FIRST_DAY).days + 1
    for number in range(1, 17):
        person = f"v{number:02d}"
        for day in sorted(rng.sample(range(days), rng.randint(1, 4))):
            at = datetime.combine(FIRST_DAY + timedelta(day), datetime.min.time())
            at += timedelta(hours=rng.randint(8, 20), minutes=rng.randint(0, 59))
            visit(
                person,
                ts(at),
                rng.choice(list(ARRIVALS)),
                rng.choice(["bounce", "bounce", "glance", "browse", "cart"]),
                identified=number % 2 == 0,
            )
    # A purchase event without order id: a converting session, no order, no customer.
    visit("v03", "2025-03-18 10:00:00", "paid_social", "buy", identified=False, order=("",) * 4)

    # Survey answers of identified, tracked people (customers and identified visitors).
    respondents = [f"c{n:02d}" for n in range(1, 11)] + [f"v{n:02d}" for n in range(2, 17, 2)]
    for number in range(1, 61):
        survey_type = "nps" if number % 3 else "csat"
        at = datetime.combine(FIRST_DAY + timedelta(rng.randrange(days)), datetime.min.time())
        export.rows["survey_responses"].append(
            {
                "response_id": f"r{number:03d}",
                "user_id": f"u_{rng.choice(respondents)}",
                "survey_type": survey_type,
                "score": str(rng.randint(0, 10) if survey_type == "nps" else rng.randint(1, 5)),
                "submitted_at": ts(at + timedelta(hours=rng.randint(8, 20))),
                "survey_channel": "email",
                "touchpoint": "",
                "comment": "",
            }
        )

    # A few leads (the contract's shape; no KPI below reads them).
    for number, (person, created, won) in enumerate(
        [("c01", "2025-02-01", ""), ("c02", "2025-02-21", "2025-03-03"), ("v02", "2025-03-10", "")],
        start=1,
    ):
        export.rows["leads"].append(
            {
                "lead_id": f"l{number}",
                "user_id": f"u_{person}",
                "email": f"{person}@example.com",
                "created_at": f"{created} 09:00:00",
                "lead_source": "web_form",
                "job_role": "",
                "company_size": "",
                "industry": "",
                "mql_at": "",
                "sql_at": "",
                "opportunity_at": "",
                "won_at": f"{won} 12:00:00" if won else "",
                "lost_at": "",
                "deal_amount": "200.00" if won else "",
            }
        )

    # Spend every day on both paid channels (so "the channels with spend" is the same set
    # in every period and slice).
    for day in range(days):
        spend_date = (FIRST_DAY + timedelta(day)).isoformat()
        for channel, campaign, position, branded in [
            ("paid_search", "ps_brand", (10, 16), "true"),
            ("paid_search", "ps_generic", (15, 35), "false"),
            ("paid_social", "soc_prospecting", None, ""),
        ]:
            export.rows["marketing_spend"].append(
                {
                    "spend_date": spend_date,
                    "channel": channel,
                    "campaign_id": campaign,
                    "impressions": str(rng.randint(100, 1500)),
                    "clicks": str(rng.randint(0, 30)),
                    "spend": f"{rng.randint(500, 6000) / 100:.2f}",
                    "avg_position": f"{rng.randint(*position) / 10:.1f}" if position else "",
                    "is_branded": branded,
                }
            )
    return export


# --------------------------------------------------------------------------------------
# Plain-Python facts, from the raw rows and the catalog's definitions
# --------------------------------------------------------------------------------------

SEARCH_ENGINES = ("google", "bing")
SOCIAL_NETWORKS = ("facebook", "instagram", "linkedin")


def channel_of(utm_source: str, utm_medium: str, referrer_url: str) -> str:
    """The default channel grouping, for the sources the fixture uses."""
    host = urlsplit(referrer_url).hostname or ""
    external = bool(host) and not host.endswith("journeyco.example")
    source = utm_source or (host if external else "")
    is_search = any(engine in source for engine in SEARCH_ENGINES)
    is_social = any(network in source for network in SOCIAL_NETWORKS)
    if utm_medium in ("cpc", "ppc") or utm_medium.startswith("paid"):
        if is_search:
            return "paid_search"
        if is_social:
            return "paid_social"
    if utm_medium in ("email", "newsletter"):
        return "email"
    if not utm_medium and is_search:
        return "organic_search"
    if not source and not utm_medium:
        return "direct"
    raise AssertionError(f"the fixture has a source this test cannot classify: {source}")


@dataclass
class Session:
    person: str
    started_at: datetime
    channel: str
    ended_at: datetime
    page_views: int = 0
    events: int = 0
    engagement_events: int = 0
    converting: bool = False
    first_ever: bool = False
    has_add_to_cart: bool = False
    has_purchase: bool = False

    @property
    def day(self) -> date:
        return self.started_at.date()

    @property
    def bounced(self) -> bool:
        return self.page_views <= 1 and self.engagement_events == 0

    @property
    def duration_s(self) -> float:
        return (self.ended_at - self.started_at).total_seconds()

    @property
    def engaged(self) -> bool:
        return self.duration_s >= 10 or self.page_views >= 2 or self.converting


@dataclass
class Fact:
    """One dated fact of a slice: its measures by name."""

    day: date
    channel: str
    measures: dict[str, float]


@dataclass
class Facts:
    sessions: list[Session]
    acquisition_channel: dict[str, str]
    spend: list[Fact]
    orders: list[Fact]  # completed orders, by the customer's acquisition channel
    attributed: list[Fact]  # completed orders, by their last-touch channel
    new_customers: list[Fact]
    answers: list[Fact]
    customers: dict[str, dict]  # person -> first order date, second order date, churn date


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text)


def sessionize(events: list[dict[str, str]], completed: set[str]) -> list[Session]:
    """Sessions per the catalog: a person's events, a new session after 30 minutes without an
    event or at an event whose source differs from the session's; a session's channel is
    its first event's. A person is the user id an anonymous id was ever seen with."""
    user_of: dict[str, str] = {}
    for event in events:
        if event["user_id"]:
            user_of[event["anonymous_id"]] = event["user_id"]
    by_person: dict[str, list[dict[str, str]]] = defaultdict(list)
    for event in events:
        by_person[user_of.get(event["anonymous_id"], event["anonymous_id"])].append(event)
    sessions: list[Session] = []
    for person, person_events in by_person.items():
        current: Session | None = None
        current_source: tuple[str, str, str] = ("", "", "")
        for event in sorted(person_events, key=lambda e: (e["occurred_at"], e["event_id"])):
            at = parse(event["occurred_at"])
            source = (event["utm_source"], event["utm_medium"], event["referrer_url"])
            if (
                current is None
                or (at - current.ended_at).total_seconds() > SESSION_TIMEOUT_S
                or (any(source) and source != current_source)
            ):
                current = Session(person, at, channel_of(*source), at, first_ever=current is None)
                current_source = source
                sessions.append(current)
            current.ended_at = at
            current.page_views += event["event_type"] == "page_view"
            current.events += 1
            current.has_add_to_cart |= event["event_type"] == "add_to_cart"
            current.has_purchase |= event["event_type"] == "purchase"
            current.engagement_events += event["event_type"] in ENGAGEMENT_EVENTS
            if event["event_type"] == "purchase":
                order_id = json.loads(event["properties"] or "{}").get("order_id")
                current.converting |= order_id is None or order_id in completed
    return sessions


def compute_facts(export: Export) -> Facts:
    rows = export.rows
    completed = sorted(
        (order for order in rows["orders"] if order["status"] == "completed"),
        key=lambda order: (order["ordered_at"], order["order_id"]),
    )
    sessions = sessionize(rows["events"], {order["order_id"] for order in completed})
    first_session: dict[str, Session] = {}
    for session in sorted(sessions, key=lambda s: s.started_at):
        first_session.setdefault(session.person, session)

    def acquisition(person: str) -> str:
        return first_session[person].channel if person in first_session else UNATTRIBUTED

    def last_touch(person: str, at: datetime) -> str:
        touches = [
            s for s in sessions if s.person == person and at - LOOKBACK <= s.started_at <= at
        ]
        return max(touches, key=lambda s: s.started_at).channel if touches else UNATTRIBUTED

    orders, attributed, new_customers = [], [], []
    customers: dict[str, dict] = {}
    for order in completed:
        person, at = order["customer_id"], parse(order["ordered_at"])
        amount = float(Decimal(order["amount"]))
        margin = float(Decimal(order["amount"]) - Decimal(order["cost"]))
        measures = {"revenue": amount, "margin": margin, "orders": 1}
        orders.append(Fact(at.date(), acquisition(person), measures))
        attributed.append(Fact(at.date(), last_touch(person, at), measures))
        customer = customers.setdefault(person, {"orders": []})
        customer["orders"].append(at.date())
        if len(customer["orders"]) == 1:
            new_customers.append(Fact(at.date(), acquisition(person), {"new_customers": 1}))

    # Churn: no completed order and no activity (engagement events) for 90 days after the
    # last one; dated at the last activity + 90 days, when that is on or before the as-of
    # date (the latest date of the data).
    activity: dict[str, list[datetime]] = defaultdict(list)
    user_of = {e["anonymous_id"]: e["user_id"] for e in rows["events"] if e["user_id"]}
    for event in rows["events"]:
        if event["event_type"] in ENGAGEMENT_EVENTS:
            person = user_of.get(event["anonymous_id"], event["anonymous_id"])
            activity[person].append(parse(event["occurred_at"]))
    for order in completed:
        activity[order["customer_id"]].append(parse(order["ordered_at"]))
    as_of = max(
        [parse(e["occurred_at"]).date() for e in rows["events"]]
        + [parse(o["ordered_at"]).date() for o in rows["orders"]]
        + [parse(r["submitted_at"]).date() for r in rows["survey_responses"]]
        + [date.fromisoformat(s["spend_date"]) for s in rows["marketing_spend"]]
    )
    for person, customer in customers.items():
        churn_at = (max(activity[person]) + timedelta(days=CHURN_DAYS)).date()
        customer["channel"] = acquisition(person)
        customer["churned"] = churn_at if churn_at <= as_of else None

    spend = [
        Fact(
            date.fromisoformat(row["spend_date"]),
            row["channel"],
            {
                "spend": float(Decimal(row["spend"])),
                "impressions": int(row["impressions"]),
                "clicks": int(row["clicks"]),
            },
        )
        for row in rows["marketing_spend"]
    ]
    answers = []
    for answer in rows["survey_responses"]:
        score = int(answer["score"])
        is_nps, is_csat = answer["survey_type"] == "nps", answer["survey_type"] == "csat"
        answers.append(
            Fact(
                parse(answer["submitted_at"]).date(),
                acquisition(answer["user_id"]),
                {
                    "nps_answers": is_nps,
                    "nps_points": 100 * ((score >= 9) - (score <= 6)) if is_nps else 0,
                    "csat_answers": is_csat,
                    "csat_satisfied": is_csat and score >= 4,
                },
            )
        )
    return Facts(
        sessions=sessions,
        acquisition_channel={p: acquisition(p) for p in first_session},
        spend=spend,
        orders=orders,
        attributed=attributed,
        new_customers=new_customers,
        answers=answers,
        customers=customers,
    )


def session_facts(facts: Facts) -> list[Fact]:
    return [
        Fact(
            s.day,
            s.channel,
            {
                "sessions": 1,
                "converting": s.converting,
                "bounced": s.bounced,
                "engaged": s.engaged,
                "first_ever": s.first_ever,
                "page_views": s.page_views,
                "events": s.events,
                "duration_s": s.duration_s,
                "add_to_cart": s.has_add_to_cart,
                "abandoned": s.has_add_to_cart and not s.has_purchase,
            },
        )
        for s in facts.sessions
    ]


# --------------------------------------------------------------------------------------
# Expected roll-ups
# --------------------------------------------------------------------------------------

Window = tuple[date, date]


def total(
    facts: Iterable[Fact],
    measure: str,
    window: Window,
    channel: str,
    all_channels: Iterable[str] | None = None,
) -> float:
    """Sum of a measure over the facts of the window and channel (`all`: every fact, or only
    those of `all_channels` when given)."""
    first, last = window
    return sum(
        fact.measures[measure]
        for fact in facts
        if first <= fact.day <= last
        and (
            fact.channel == channel
            or (channel == ALL and (all_channels is None or fact.channel in all_channels))
        )
    )


@dataclass
class Kpi:
    name: str
    aggregation: str  # ratio | additive
    # (facts, window, channel) -> (numerator, denominator); the denominator None for additive
    compute: Callable[[Facts, Window, str], tuple[float, float | None]]
    channels: tuple[str, ...] = CHANNELS


def ratio(num_source: str, num: str, den_source: str, den: str, num_all=None) -> Callable:
    def compute(facts: Facts, window: Window, channel: str) -> tuple[float, float]:
        return (
            total(fact_list(facts, num_source), num, window, channel, num_all),
            total(fact_list(facts, den_source), den, window, channel),
        )

    return compute


def additive(source: str, measure: str) -> Callable:
    def compute(facts: Facts, window: Window, channel: str) -> tuple[float, None]:
        return total(fact_list(facts, source), measure, window, channel), None

    return compute


def fact_list(facts: Facts, source: str) -> list[Fact]:
    if source == "sessions":
        return session_facts(facts)
    return getattr(facts, source)


def marketing_roi(facts: Facts, window: Window, channel: str) -> tuple[float, float]:
    margin = total(facts.attributed, "margin", window, channel, PAID)
    spend = total(facts.spend, "spend", window, channel)
    return margin - spend, spend


SPEND_CHANNELS = (ALL, *PAID)

KPIS = [
    # spend / new customers acquired through the channel (`all`: all spend, all new customers)
    Kpi(
        "customer_acquisition_cost",
        "ratio",
        ratio("spend", "spend", "new_customers", "new_customers"),
    ),
    # last-touch attributed revenue / the channel's spend; `all` pools the paid channels
    Kpi(
        "return_on_ad_spend",
        "ratio",
        ratio("attributed", "revenue", "spend", "spend", num_all=PAID),
        SPEND_CHANNELS,
    ),
    Kpi("marketing_roi", "ratio", marketing_roi, SPEND_CHANNELS),
    # blended: all completed revenue / all spend, channel `all` only
    Kpi(
        "marketing_efficiency_ratio",
        "ratio",
        ratio("orders", "revenue", "spend", "spend"),
        (ALL,),
    ),
    Kpi(
        "click_through_rate", "ratio", ratio("spend", "clicks", "spend", "impressions"),
        SPEND_CHANNELS,
    ),
    Kpi("conversion_rate", "ratio", ratio("sessions", "converting", "sessions", "sessions")),
    Kpi("bounce_rate", "ratio", ratio("sessions", "bounced", "sessions", "sessions")),
    Kpi("engagement_rate", "ratio", ratio("sessions", "engaged", "sessions", "sessions")),
    Kpi("new_visitor_share", "ratio", ratio("sessions", "first_ever", "sessions", "sessions")),
    Kpi("pages_per_session", "ratio", ratio("sessions", "page_views", "sessions", "sessions")),
    Kpi("events_per_session", "ratio", ratio("sessions", "events", "sessions", "sessions")),
    Kpi(
        "avg_session_duration_s",
        "ratio",
        ratio("sessions", "duration_s", "sessions", "sessions"),
    ),
    Kpi(
        "cart_abandonment_rate",
        "ratio",
        ratio("sessions", "abandoned", "sessions", "add_to_cart"),
    ),
    Kpi("average_order_value", "ratio", ratio("orders", "revenue", "orders", "orders")),
    Kpi("nps", "ratio", ratio("answers", "nps_points", "answers", "nps_answers")),
    Kpi("csat", "ratio", ratio("answers", "csat_satisfied", "answers", "csat_answers")),
    Kpi("revenue", "additive", additive("orders", "revenue")),
    Kpi("orders", "additive", additive("orders", "orders")),
    Kpi("new_customers", "additive", additive("new_customers", "new_customers")),
    Kpi("sessions", "additive", additive("sessions", "sessions")),
    Kpi("marketing_spend", "additive", additive("spend", "spend"), SPEND_CHANNELS),
    Kpi("impressions", "additive", additive("spend", "impressions"), SPEND_CHANNELS),
    Kpi("clicks", "additive", additive("spend", "clicks"), SPEND_CHANNELS),
]  # fmt: skip

# Non-additive KPIs: distinct counts, stocks and shares of a total repeated on every channel
# row, read at their own grain (checked per month and channel).
NON_ADDITIVE = ["unique_visitors", "traffic_share", "churn_rate", "repeat_purchase_rate"]

# (label, period grain, first period start, last day)
WINDOWS = [
    ("2025-Q1 by month", "month", date(2025, 1, 1), date(2025, 3, 31)),
    ("2025-Q2 by month", "month", date(2025, 4, 1), date(2025, 6, 30)),
    ("history by month", "month", FIRST_DAY, LAST_DAY),
    ("history by week", "week", date(2024, 12, 30), LAST_DAY),
    ("history by day", "day", FIRST_DAY, LAST_DAY),
]


def expected_value(kpi: Kpi, facts: Facts, window: Window, channel: str) -> float | None:
    numerator, denominator = kpi.compute(facts, window, channel)
    if kpi.aggregation == "additive":
        return numerator or None  # a slice with nothing has no row
    return numerator / denominator if denominator else None


def month_starts() -> list[date]:
    return [date(2025, month, 1) for month in range(1, 7)]


def month_end(start: date) -> date:
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def expected_non_additive(facts: Facts, kpi: str) -> dict[tuple[str, date], float | None]:
    """(channel, month start) -> value at month grain."""
    expected: dict[tuple[str, date], float | None] = {}
    for start in month_starts():
        end = month_end(start)
        for channel in CHANNELS:

            def in_channel(member_channel: str, channel: str = channel) -> bool:
                return channel == ALL or member_channel == channel

            if kpi == "unique_visitors":
                people = {
                    s.person
                    for s in facts.sessions
                    if start <= s.day <= end and in_channel(s.channel)
                }
                expected[(channel, start)] = len(people) or None
                continue
            if kpi == "traffic_share":
                month = [s for s in facts.sessions if start <= s.day <= end]
                mine = [s for s in month if in_channel(s.channel)]
                expected[(channel, start)] = len(mine) / len(month) if mine else None
                continue
            customers = [c for c in facts.customers.values() if in_channel(c["channel"])]
            if kpi == "churn_rate":
                at_start = [
                    c
                    for c in customers
                    if c["orders"][0] < start and (c["churned"] is None or c["churned"] >= start)
                ]
                churned = [c for c in at_start if c["churned"] and c["churned"] <= end]
                expected[(channel, start)] = len(churned) / len(at_start) if at_start else None
            elif kpi == "repeat_purchase_rate":
                to_date = [c for c in customers if c["orders"][0] <= end]
                repeat = [c for c in to_date if len(c["orders"]) >= 2 and c["orders"][1] <= end]
                expected[(channel, start)] = len(repeat) / len(to_date) if to_date else None
    return expected


# --------------------------------------------------------------------------------------
# The documented roll-up queries, over the built mart
# --------------------------------------------------------------------------------------

RATIO_ROLLUP = """
select
    channel,
    sum(numerator) / nullif(sum(denominator), 0) as value
from marts.mart_kpi_values
where
    kpi_name = '{kpi_name}'
    and period_grain = '{period_grain}'
    and persona = 'all'
    and period_start between '{first_period}' and '{last_period}'
group by channel
"""

ADDITIVE_ROLLUP = """
select
    channel,
    sum(value) as value
from marts.mart_kpi_values
where
    kpi_name = '{kpi_name}'
    and period_grain = '{period_grain}'
    and persona = 'all'
    and period_start between '{first_period}' and '{last_period}'
group by channel
"""


def rollup(database: Path, kpi: Kpi, grain: str, first: date, last: date) -> dict[str, float]:
    sql = (RATIO_ROLLUP if kpi.aggregation == "ratio" else ADDITIVE_ROLLUP).format(
        kpi_name=kpi.name, period_grain=grain, first_period=first, last_period=last
    )
    return {channel: value for channel, value in query(database, sql)}


def same(expected: float | None, actual: float | None) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    return actual == pytest.approx(expected, rel=1e-9, abs=1e-9)


# --------------------------------------------------------------------------------------
# Fixtures and tests
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def export() -> Export:
    return make_export()


@pytest.fixture(scope="module")
def facts(export: Export) -> Facts:
    return compute_facts(export)


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory, export: Export) -> tuple[DbtProject, dict]:
    workdir = tmp_path_factory.mktemp("kpi_rollups")
    export.write(workdir / "export")
    project = DbtProject(workdir / "build")
    vars_ = {"raw_data_path": str(workdir / "export")}
    # models and seeds only: the data tests and unit tests run in the main suite
    project.build("--exclude-resource-type", "unit_test", "test", vars_=vars_)
    return project, vars_


@pytest.fixture(scope="module")
def built(build: tuple[DbtProject, dict]) -> Path:
    return build[0].database


def test_fixture_has_the_cases_under_test(facts: Facts) -> None:
    """The fixture really holds what the roll-ups must survive (else they prove little)."""
    new_by_month: dict[tuple[str, int], int] = defaultdict(int)
    for fact in facts.new_customers:
        new_by_month[(fact.channel, fact.day.month)] += 1
    for channel in PAID:
        assert any(new_by_month[(channel, month)] == 0 for month in range(1, 7)), channel
        assert any(new_by_month[(channel, month)] > 0 for month in range(1, 7)), channel
    # a quarter in which a paid channel acquires in one month only, with spend in all three
    assert [new_by_month[("paid_search", month)] > 0 for month in (4, 5, 6)] == [0, 0, 1]
    assert {f.channel for f in facts.new_customers} >= {
        "paid_search", "paid_social", "organic_search", "email", "direct", UNATTRIBUTED,
    }  # fmt: skip
    assert {f.channel for f in facts.attributed} >= {*PAID, "email", "direct", UNATTRIBUTED}
    order_counts = sorted(len(c["orders"]) for c in facts.customers.values())
    assert {1, 2, 3} <= set(order_counts)
    assert any(c["churned"] for c in facts.customers.values())
    sessions = session_facts(facts)
    for measure in ("converting", "bounced", "engaged", "first_ever", "abandoned"):
        assert 0 < total(sessions, measure, (FIRST_DAY, LAST_DAY), ALL) < len(sessions)
    assert total(facts.answers, "nps_answers", (FIRST_DAY, LAST_DAY), ALL) >= 20
    history = (FIRST_DAY, LAST_DAY)
    for kpi in KPIS:
        assert expected_value(kpi, facts, history, ALL) is not None, kpi.name
    # ROAS `all` (paid channels pooled) differs from blended revenue / spend
    assert total(facts.attributed, "revenue", history, ALL, PAID) < total(
        facts.orders, "revenue", history, ALL
    )


@pytest.mark.parametrize(
    ("kpi", "channel"),
    [
        pytest.param(kpi, channel, id=f"{kpi.name}-{channel}")
        for kpi in KPIS
        for channel in kpi.channels
    ],
)
def test_rollup_matches_raw_facts(built: Path, facts: Facts, kpi: Kpi, channel: str) -> None:
    """The documented roll-up of the KPI over a quarter and the whole history (at month,
    week and day grain) equals the value recomputed from the raw rows."""
    wrong = []
    for label, grain, first, last in WINDOWS:
        window = (max(first, FIRST_DAY), last)
        expected = expected_value(kpi, facts, window, channel)
        actual = rollup(built, kpi, grain, first, last).get(channel)
        if not same(expected, actual):
            wrong.append(f"{label}: expected {expected}, roll-up gives {actual}")
    assert not wrong, f"{kpi.name} for channel {channel}:\n" + "\n".join(wrong)


def expected_kinds() -> dict[str, str]:
    kinds = {kpi.name: kpi.aggregation for kpi in KPIS}
    kinds.update({name: "non_additive" for name in NON_ADDITIVE})
    return kinds


def test_dim_kpis_states_how_every_kpi_aggregates(built: Path) -> None:
    """dim_kpis (joined to mart_kpi_values by kpi_name) gives every KPI's aggregation kind."""
    kinds = dict(query(built, "select kpi_name, aggregation from marts.dim_kpis"))
    wrong = {
        name: kinds.get(name) for name, kind in expected_kinds().items() if kinds.get(name) != kind
    }
    assert not wrong, f"aggregation kinds that differ from {expected_kinds()}: {wrong}"
    kpis_in_mart = {
        name for (name,) in query(built, "select distinct kpi_name from marts.mart_kpi_values")
    }
    assert kpis_in_mart <= set(kinds), f"KPIs without a kind: {kpis_in_mart - set(kinds)}"
    assert set(kinds.values()) <= {"ratio", "additive", "non_additive"}


def test_every_kpi_row_states_how_it_aggregates(built: Path) -> None:
    """mart_kpi_values itself says, on every row, how its KPI aggregates."""
    rows = query(built, "select distinct kpi_name, aggregation from marts.mart_kpi_values")
    kinds: dict[str, set[str]] = defaultdict(set)
    for name, kind in rows:
        kinds[name].add(kind)
    wrong = {
        name: kinds.get(name)
        for name, kind in expected_kinds().items()
        if kinds.get(name) != {kind}
    }
    assert not wrong, f"aggregation kinds on mart_kpi_values rows: {wrong}"


def test_zero_denominator_rows_are_kept(built: Path, facts: Facts) -> None:
    """A month in which a paid channel acquires nobody keeps its CAC row: the spend as
    numerator, a denominator of 0 and a null value (the catalog's rule)."""
    rows = query(
        built,
        """
        select channel, period_start, numerator, denominator, value
        from marts.mart_kpi_values
        where kpi_name = 'customer_acquisition_cost' and period_grain = 'month'
            and persona = 'all' and channel in ('paid_search', 'paid_social')
        """,
    )
    actual = {(channel, start): (num, den, value) for channel, start, num, den, value in rows}
    wrong = []
    for channel in PAID:
        for start in month_starts():
            window = (start, month_end(start))
            spend = total(facts.spend, "spend", window, channel)
            new = total(facts.new_customers, "new_customers", window, channel)
            row = actual.get((channel, start))
            expected = (spend, new, spend / new if new else None)
            if row is None or not all(map(same, expected, row)):
                wrong.append(f"{channel} {start}: expected {expected}, mart has {row}")
    assert not wrong, "CAC rows of the paid channels by month:\n" + "\n".join(wrong)


def test_marketing_efficiency_ratio_is_blended(built: Path) -> None:
    """Blended revenue / spend has no attribution: channel `all` only, at every grain."""
    channels = query(
        built,
        "select distinct channel from marts.mart_kpi_values"
        " where kpi_name = 'marketing_efficiency_ratio'",
    )
    assert channels == [("all",)]


@pytest.mark.parametrize("kpi_name", NON_ADDITIVE)
def test_non_additive_kpi_at_its_own_grain(built: Path, facts: Facts, kpi_name: str) -> None:
    """A non-additive KPI is read at its own grain: its monthly value equals the raw facts."""
    expected = expected_non_additive(facts, kpi_name)
    rows = query(
        built,
        f"""
        select channel, period_start, value
        from marts.mart_kpi_values
        where kpi_name = '{kpi_name}' and period_grain = 'month' and persona = 'all'
        """,
    )
    actual = {(channel, start): value for channel, start, value in rows}
    wrong = [
        f"{channel} {start}: expected {value}, mart has {actual.get((channel, start))}"
        for (channel, start), value in sorted(expected.items())
        if not same(value, actual.get((channel, start)))
    ]
    assert not wrong, f"{kpi_name} by month:\n" + "\n".join(wrong)


# --------------------------------------------------------------------------------------
# The roll-up queries users are given: analyses/kpi_rollup_*.sql and the README
# --------------------------------------------------------------------------------------

ROLLUP_ANALYSES = ("kpi_rollup_ratio", "kpi_rollup_additive", "kpi_rollup_non_additive")


@pytest.fixture(scope="module")
def analyses(build: tuple[DbtProject, dict]) -> dict[str, list[dict]]:
    """The roll-up analyses, compiled by dbt and run over the fixture's build: rows as dicts."""
    project, vars_ = build
    result = project.dbt("compile", "--select", *ROLLUP_ANALYSES, vars_=vars_)
    assert result.returncode == 0, f"dbt compile failed:\n{result.stdout[-4000:]}"
    compiled = project.workdir / "target" / "compiled" / "journey_kpis" / "analyses"
    rows: dict[str, list[dict]] = {}
    for name in ROLLUP_ANALYSES:
        sql = (compiled / f"{name}.sql").read_text()
        with duckdb.connect(str(project.database), read_only=True) as con:
            cursor = con.execute(sql)
            columns = [column[0] for column in cursor.description]
            rows[name] = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return rows


def test_rollup_analyses_match_raw_facts(facts: Facts, analyses: dict[str, list[dict]]) -> None:
    """analyses/kpi_rollup_ratio.sql and kpi_rollup_additive.sql, the queries the README
    points users to, give the raw facts' values by quarter and over the whole history."""
    spans = {
        ("quarter", date(2025, 1, 1)): (date(2025, 1, 1), date(2025, 3, 31)),
        ("quarter", date(2025, 4, 1)): (date(2025, 4, 1), date(2025, 6, 30)),
        ("history", None): (FIRST_DAY, LAST_DAY),
    }
    wrong = []
    for kpi in KPIS:
        analysis = "kpi_rollup_ratio" if kpi.aggregation == "ratio" else "kpi_rollup_additive"
        actual = {
            (row["channel"], row["span"], row["span_start"]): row["value"]
            for row in analyses[analysis]
            if row["kpi_name"] == kpi.name
        }
        for channel in kpi.channels:
            for (span, span_start), window in spans.items():
                expected = expected_value(kpi, facts, window, channel)
                value = actual.get((channel, span, span_start))
                if not same(expected, value):
                    wrong.append(
                        f"{kpi.name} {channel} {span} {span_start}: expected {expected}, "
                        f"{analysis} gives {value}"
                    )
    assert not wrong, "\n".join(wrong)


def test_non_additive_analysis_reads_only_non_additive_kpis(
    analyses: dict[str, list[dict]],
) -> None:
    names = {row["kpi_name"] for row in analyses["kpi_rollup_non_additive"]}
    assert set(NON_ADDITIVE) <= names
    assert not names & {kpi.name for kpi in KPIS}
    for kind, analysis in [("ratio", "kpi_rollup_ratio"), ("additive", "kpi_rollup_additive")]:
        names = {row["kpi_name"] for row in analyses[analysis]}
        assert {kpi.name for kpi in KPIS if kpi.aggregation == kind} <= names, analysis
        assert not names & set(NON_ADDITIVE), f"{analysis} sums a non-additive KPI"


def readme_sql_blocks() -> dict[str, str]:
    """The SQL blocks of the README's section on roll-ups, by the aggregation kind they
    follow (`ratio`, `additive`, `non_additive`)."""
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    start = text.find("## Rolling KPIs up in a BI tool")
    assert start >= 0, "the README has no section 'Rolling KPIs up in a BI tool'"
    end = text.find("\n## ", start + 1)
    section = text[start : end if end > 0 else None]
    blocks: dict[str, str] = {}
    for kind in ("ratio", "additive", "non_additive"):
        at = section.find(f"**`{kind}`**")
        assert at >= 0, f"the README's roll-up section does not cover kind {kind}"
        sql_start = section.index("```sql", at) + len("```sql")
        blocks[kind] = " ".join(section[sql_start : section.index("```", sql_start)].split())
    return blocks


def test_readme_shows_the_rollup_this_test_checks() -> None:
    """The README's roll-up per kind is the one the tests above run: re-divided sums for a
    ratio, summed values for an additive KPI, one grain and persona `all`; none for a
    non-additive KPI."""
    blocks = readme_sql_blocks()
    for kind, formula in [
        ("ratio", "sum(numerator) / nullif(sum(denominator), 0)"),
        ("additive", "sum(value)"),
    ]:
        for part in (
            formula,
            f"aggregation = '{kind}'",
            "period_grain = 'month'",
            "persona = 'all'",
        ):
            assert part in blocks[kind], f"README's {kind} roll-up lacks {part!r}"
    assert "sum(" not in blocks["non_additive"] and "avg(" not in blocks["non_additive"]
