"""Independent KPI check: marts.mart_kpi_values against a plain-Python recomputation.

kpi_reference.py recomputes a representative set of KPIs from the raw demo CSVs and the
reference seeds, without dbt or SQL. The tests below first check that reference itself on
tiny hand-computed inputs, then compare it with the dbt mart at month grain for every channel
and persona slice (the `all` roll-ups included).
"""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import kpi_reference as ref
import pytest
from kpi_reference import (
    ALL,
    Config,
    Customer,
    Event,
    KpiKey,
    KpiRow,
    Lead,
    Order,
    PersonFacts,
    RawInputs,
    SessionEvent,
    Spend,
    SurveyResponse,
)

SEEDS = ref.load_seeds(ref.REPO_ROOT / "seeds" / "reference")
MAX_REPORTED = 20


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


# --------------------------------------------------------------------------------------
# The reference's building blocks, on tiny hand-made inputs
# --------------------------------------------------------------------------------------


def test_config_defaults_match_the_project_vars() -> None:
    """The reference's defaults are the vars of dbt_project.yml (else it checks other rules)."""
    text = (ref.REPO_ROOT / "dbt_project.yml").read_text(encoding="utf-8")

    def var(name: str) -> str:
        match = re.search(rf"^\s+{name}:\s*(.+?)\s*$", text, re.MULTILINE)
        assert match, name
        return match.group(1)

    config = Config()
    assert tuple(json.loads(var("site_hosts"))) == config.site_hosts
    assert int(var("session_timeout_minutes")) == config.session_timeout_minutes
    assert tuple(json.loads(var("conversion_event_types"))) == config.conversion_event_types
    assert int(var("mql_threshold")) == config.mql_threshold
    assert int(var("churn_inactivity_days")) == config.churn_inactivity_days
    assert int(var("attribution_lookback_days")) == config.attribution_lookback_days
    assert int(var("trial_conversion_window_days")) == config.trial_conversion_window_days
    assert json.loads(var("as_of_date")) == "" and config.as_of_date is None


def test_text_cleaning_and_parsing() -> None:
    assert ref.clean_text("  a b ") == "a b"
    assert ref.clean_text("   ") is None
    assert ref.clean_code(" Paid_Social ") == "paid_social"
    assert ref.parse_timestamp("2025-03-01T10:00:00Z") == ts("2025-03-01 10:00:00")
    assert ref.parse_timestamp("2025-03-01 12:00:00+02:00") == ts("2025-03-01 10:00:00")
    assert ref.parse_timestamp("yesterday") is None
    assert ref.parse_int("7.0") == 7 and ref.parse_int("7.5") is None
    assert ref.json_text('{"order_id": "o_1", "n": 3}', "order_id") == "o_1"
    assert ref.json_text('{"order_id": "o_1", "n": 3}', "n") == "3"
    assert ref.json_text("not json", "order_id") is None


def test_latest_load_wins_on_duplicate_keys() -> None:
    rows = [
        {"id": "k1", "status": "completed", "_loaded_at": "2025-01-01 10:00:00"},
        {"id": " k1 ", "status": "refunded", "_loaded_at": "2025-01-03 10:00:00"},
        {"id": "k1", "status": "cancelled", "_loaded_at": "2025-01-02 10:00:00"},
        {"id": "k2", "status": "b", "_loaded_at": "2025-01-01 10:00:00"},
        {"id": "k2", "status": "a", "_loaded_at": "2025-01-01 10:00:00"},  # tie: smallest wins
        {"id": "k3", "status": "x", "_loaded_at": "garbage"},  # unparseable = oldest
        {"id": "k3", "status": "y", "_loaded_at": "2024-01-01 00:00:00"},
        {"id": " ", "status": "z", "_loaded_at": "2025-01-01 00:00:00"},  # no key: dropped
    ]
    kept = {ref.clean_text(r["id"]): r["status"] for r in ref.latest_load(rows, ["id"], ["status"])}
    assert kept == {"k1": "refunded", "k2": "a", "k3": "y"}


def test_sql_like_translation() -> None:
    assert ref.sql_like("paid_social", "paid%")
    assert ref.sql_like("paid", "paid%")
    assert not ref.sql_like("unpaid", "paid%")
    assert ref.sql_like("www.google.com", "%google.%")
    assert not ref.sql_like("googlecom", "%google.%")  # `.` is literal
    assert ref.sql_like("lnkd.in", "lnkd.in") and not ref.sql_like("lnkdxin", "lnkd.in")
    assert ref.sql_like("qrx", "qr_") and not ref.sql_like("qr", "qr_")  # `_` = one char
    assert not ref.sql_like(None, "%")


def test_referrer_hosts() -> None:
    hosts = ("journeyco.example",)
    assert ref.external_referrer_host("https://www.journeyco.example/pricing", hosts) is None
    assert ref.external_referrer_host("https://journeyco.example/", hosts) is None
    assert ref.external_referrer_host("https://www.Google.com/", hosts) == "www.google.com"
    assert ref.external_referrer_host("https://notjourneyco.example/", hosts) == (
        "notjourneyco.example"
    )
    assert ref.external_referrer_host(None, hosts) is None
    assert ref.url_path("https://www.journeyco.example/signup?ref=R1") == "/signup"
    assert ref.url_path("https://www.journeyco.example") == "/"


@pytest.mark.parametrize(
    ("utm_source", "utm_medium", "referrer_host", "channel"),
    [
        ("google", "cpc", None, "paid_search"),
        ("bing", "paid_search", None, "paid_search"),
        ("facebook", "paid_social", None, "paid_social"),
        ("linkedin", "social", None, "organic_social"),
        ("criteo", "retargeting", None, "display"),
        ("dealspot", "affiliate", None, "affiliate"),
        ("newsletter", "email", None, "email"),
        ("sms", "sms", None, "sms"),
        ("trade_show", "offline", None, "offline"),
        ("referral_program", "referral", None, "referral"),
        ("feedly", "partner_feed", None, "other"),
        ("unknown_src", "(none)", None, "other"),  # a literal `(none)` is not a missing medium
        (None, None, "www.google.com", "organic_search"),
        (None, None, "duckduckgo.com", "organic_search"),
        (None, None, "t.co", "organic_social"),
        (None, None, "news.ycombinator.com", "referral"),
        (None, None, None, "direct"),
        ("google", None, None, "organic_search"),
    ],
)
def test_channel_rules(
    utm_source: str | None, utm_medium: str | None, referrer_host: str | None, channel: str
) -> None:
    assert ref.classify_channel(utm_source, utm_medium, referrer_host, SEEDS) == channel


def test_source_category() -> None:
    patterns = SEEDS.source_categories
    assert ref.source_category("google", None, patterns) == "search"
    assert ref.source_category(None, "www.facebook.com", patterns) == "social"
    assert ref.source_category("crm", None, patterns) == "unknown"
    assert ref.source_category(None, None, patterns) == "none"
    # utm_source wins over the referrer
    assert ref.source_category("crm", "www.google.com", patterns) == "unknown"


def test_identity_stitching() -> None:
    events = [
        Event("e1", "page_view", ts("2025-01-01 10:00:00"), anonymous_id="a1"),
        Event("e2", "signup", ts("2025-01-01 10:05:00"), anonymous_id="a1", user_id="u1"),
        Event("e3", "login", ts("2025-01-02 10:00:00"), anonymous_id="a1", user_id="u2"),
        Event("e4", "page_view", ts("2025-01-01 09:00:00"), anonymous_id="a2"),
        Event("e5", "email_open", ts("2025-01-03 09:00:00"), user_id="u3"),
    ]
    stitched = ref.stitch_identities(events)
    assert stitched == {"a1": "u1"}  # first user by occurred_at wins for anonymous events
    persons = [ref.person_of_event(e, stitched) for e in events]
    # earlier anonymous events too; e3 carries its own user (a shared device): u2 keeps it
    assert persons == ["u1", "u1", "u2", "a2", "u3"]


def session_event(
    minute: float, source: ref.SourceTuple | None = None, person: str = "p1", eid: str = ""
) -> SessionEvent:
    at = ts("2025-01-01 10:00:00") + timedelta(minutes=minute)
    return SessionEvent(person, eid or f"e{minute:08.2f}", at, source)


def sessions_of(events: list[SessionEvent]) -> list[list[str]]:
    first_of = ref.sessionize(events, 30)
    grouped: dict[str, list[str]] = {}
    for event in sorted(events, key=lambda e: (e.occurred_at, e.event_id)):
        grouped.setdefault(first_of[event.event_id], []).append(event.event_id)
    return list(grouped.values())


def test_sessionize_30_minute_gap_stays_31_minute_gap_splits() -> None:
    events = [session_event(0), session_event(30), session_event(61)]
    assert [len(s) for s in sessions_of(events)] == [2, 1]


def test_sessionize_gap_is_measured_in_seconds() -> None:
    # 30 min 0 s stays; 30 min 1 s splits, although both cross 30 minute boundaries only
    events = [session_event(0), session_event(30), session_event(60 + 1 / 60)]
    assert [len(s) for s in sessions_of(events)] == [2, 1]


def test_sessionize_source_change_splits_and_sourceless_events_do_not() -> None:
    google = ("google", "cpc", None)
    email = ("newsletter", "email", None)
    events = [
        session_event(0, google),
        session_event(5),  # no source: stays
        session_event(10, google),  # same source: stays
        session_event(15, email),  # new source: splits
        session_event(20),
        session_event(25, google),  # new source again: splits
    ]
    assert [len(s) for s in sessions_of(events)] == [3, 2, 1]


def test_sessionize_source_after_a_sourceless_start_splits() -> None:
    events = [session_event(0), session_event(1, (None, None, "www.google.com"))]
    assert [len(s) for s in sessions_of(events)] == [1, 1]


def test_sessionize_is_per_person_and_ordered_by_time_then_event_id() -> None:
    events = [
        session_event(0, person="p1", eid="b"),
        session_event(0, person="p1", eid="a"),
        session_event(10, person="p2", eid="c"),
        session_event(50, person="p1", eid="d"),
    ]
    first_of = ref.sessionize(events, 30)
    assert first_of == {"a": "a", "b": "a", "c": "c", "d": "d"}


def test_nps() -> None:
    assert ref.nps([10, 9, 7, 3]) == 25
    assert ref.nps([7, 8]) == 0
    assert ref.nps([0, 6, 9]) == pytest.approx(-100 / 3)
    assert ref.nps([]) is None
    assert [ref.nps_points(s) for s in (0, 6, 7, 8, 9, 10)] == [-100, -100, 0, 0, 100, 100]


def test_lead_score_caps_and_floors() -> None:
    def pv(i: int, path: str) -> Event:
        url = f"https://www.journeyco.example{path}"
        return Event(f"pv{i}", "page_view", ts("2025-01-01 10:00:00"), page_url=url)

    events = [pv(i, "/blog/x") for i in range(12)]  # 12 page views: capped at 10
    events += [pv(100 + i, "/pricing") for i in range(3)]  # +3 page views, pricing 30 -> 20
    events.append(Event("f1", "form_submit", ts("2025-01-01 10:00:00"), form_id="demo_request"))
    events.append(Event("f2", "page_view", ts("2025-01-01 10:00:00"), form_id="demo_request"))
    rules = SEEDS.scoring_rules
    # page views 10 (cap) + pricing 20 (cap) + demo form 30 + student -20 + 201-1000 10
    assert ref.lead_score("student", "201-1000", events, rules) == 10 + 20 + 30 - 20 + 10
    assert ref.lead_score("unknown", "unknown", [], rules) == 0
    assert ref.capped(-40, -20, -20) == -20 and ref.capped(45, 30, 10) == 30


@pytest.mark.parametrize(
    ("facts", "persona"),
    [
        (PersonFacts("executive", "1001+"), "enterprise_buyer"),
        (PersonFacts("manager", "11-50", completed_orders=3), "smb_owner"),
        (PersonFacts("developer", "unknown"), "practitioner"),
        # a lead that matches no CRM rule falls through to behaviour
        (
            PersonFacts("student", "1-10", completed_orders=2, revenue=Decimal(100)),
            "bargain_hunter",
        ),
        (PersonFacts(None, None, completed_orders=1, revenue=Decimal("60.00")), "bargain_hunter"),
        (PersonFacts(None, None, completed_orders=1, revenue=Decimal("60.01")), "unassigned"),
        (PersonFacts(None, None, engagement_events=20), "practitioner"),
        (PersonFacts(None, None, engagement_events=19), "unassigned"),
        (PersonFacts(None, None), "unassigned"),
    ],
)
def test_persona_rules(facts: PersonFacts, persona: str) -> None:
    assert ref.assign_persona(facts, SEEDS.persona_rules) == persona


def test_churn_dating_and_customers_at_start() -> None:
    as_of = date(2025, 6, 30)
    assert ref.churned_at(ts("2025-03-01 12:00:00"), 90, as_of) == ts("2025-05-30 12:00:00")
    assert ref.churned_at(ts("2025-04-01 00:00:00"), 90, as_of) == ts("2025-06-30 00:00:00")
    assert ref.churned_at(ts("2025-04-01 23:59:59"), 90, as_of) == ts("2025-06-30 23:59:59")
    assert ref.churned_at(ts("2025-04-02 00:00:00"), 90, as_of) is None  # due after as-of
    at_midnight = Customer("u2", ts("2025-01-01 10:00"), None, ts("2025-01-31"), ts("2025-05-01"))
    assert ref.is_customer_at_start(at_midnight, date(2025, 5, 1))  # churned_at >= start
    assert not ref.is_customer_at_start(at_midnight, date(2025, 6, 1))
    customer = Customer(
        "u1",
        first_order_at=ts("2025-01-15 10:00:00"),
        second_order_at=None,
        last_activity_at=ts("2025-03-01 12:00:00"),
        churned_at=ts("2025-05-30 12:00:00"),
    )
    at_start = {
        m: ref.is_customer_at_start(customer, m)
        for m in ref.months_between(date(2025, 1, 1), date(2025, 6, 1))
    }
    assert at_start == {
        date(2025, 1, 1): False,  # first order not before the period start
        date(2025, 2, 1): True,
        date(2025, 3, 1): True,
        date(2025, 4, 1): True,
        date(2025, 5, 1): True,  # churned during May: still a customer at its start
        date(2025, 6, 1): False,
    }


def test_months() -> None:
    assert ref.next_month(date(2025, 12, 1)) == date(2026, 1, 1)
    assert ref.month_start(ts("2025-02-28 23:59:59")) == date(2025, 2, 1)
    assert list(ref.months_between(date(2025, 11, 20), date(2026, 1, 1))) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
    ]


def test_monthly_totals_compute_rollups_directly() -> None:
    items = [
        (date(2025, 1, 3), "email", "smb_owner", 1, 1),
        (date(2025, 1, 9), "email", "practitioner", 0, 3),
        (date(2025, 1, 9), "direct", "practitioner", 2, 2),
        (date(2025, 2, 1), "direct", "practitioner", 1, 4),
    ]
    totals = ref.monthly_totals(items)
    jan = date(2025, 1, 1)
    assert totals[("email", "smb_owner", jan)] == [1, 1]
    assert totals[("email", ALL, jan)] == [1, 4]
    assert totals[(ALL, "practitioner", jan)] == [2, 5]
    assert totals[(ALL, ALL, jan)] == [3, 6]  # 0.5: not the mean of the slice ratios
    assert totals[(ALL, ALL, date(2025, 2, 1))] == [1, 4]
    assert len(totals) == 8 + 4  # January: 3 slices + 5 distinct roll-ups; February: 4
    channel_only = ref.monthly_totals(items, slice_personas=False)
    assert set(channel_only) == {
        ("email", ALL, jan),
        ("direct", ALL, jan),
        (ALL, ALL, jan),
        ("direct", ALL, date(2025, 2, 1)),
        (ALL, ALL, date(2025, 2, 1)),
    }


def tiny_inputs() -> RawInputs:
    """Two identified people and one anonymous visitor over three months (hand-computed)."""
    site = "https://www.journeyco.example"
    events = [
        # u1: anonymous first via a Google ad, then signs up in the same session
        Event(
            "e01",
            "page_view",
            ts("2025-01-05 10:00"),
            "a1",
            page_url=f"{site}/",
            utm_source="google",
            utm_medium="cpc",
        ),
        Event(
            "e02",
            "page_view",
            ts("2025-01-05 10:01"),
            "a1",
            page_url=f"{site}/pricing",
            referrer_url=f"{site}/",
        ),  # internal referrer: not a source
        Event("e03", "signup", ts("2025-01-05 10:02"), "a1", "u1", f"{site}/signup"),
        # u1 comes back directly two days later, buys (completed order o1)
        Event("e04", "page_view", ts("2025-01-07 09:00"), "a9", "u1", f"{site}/shop"),
        Event("e05", "purchase", ts("2025-01-07 09:03"), "a9", "u1", order_id="o1"),
        # server-side purchase of o2: no session
        Event("e06", "purchase", ts("2025-02-10 08:00"), None, "u1", order_id="o2"),
        # u2: one bounced page view from a newsletter, then a refunded purchase session
        Event(
            "e07",
            "page_view",
            ts("2025-01-20 12:00"),
            "a2",
            "u2",
            page_url=f"{site}/",
            utm_source="newsletter",
            utm_medium="email",
        ),
        Event("e08", "page_view", ts("2025-02-01 12:00"), "a2", "u2", f"{site}/shop"),
        Event("e09", "purchase", ts("2025-02-01 12:05"), "a2", "u2", order_id="o3"),
        # anonymous visitor from an external referrer: one page view (bounce)
        Event(
            "e10",
            "page_view",
            ts("2025-02-02 08:00"),
            "a3",
            page_url=f"{site}/blog/x",
            referrer_url="https://news.ycombinator.com/",
        ),
    ]
    orders = [
        Order("o1", "u1", ts("2025-01-07 09:03:00"), "completed", Decimal("100.00")),
        Order("o2", "u1", ts("2025-02-10 08:00:00"), "completed", Decimal("50.50")),
        Order("o3", "u2", ts("2025-02-01 12:05:00"), "refunded", Decimal("80.00")),
        Order("o4", "u2", ts("2025-02-15 12:00:00"), "completed", Decimal("40.00")),
    ]
    leads = [
        Lead("l1", "u1", ts("2025-01-05 10:02:00"), "executive", "1001+"),
        Lead(
            "l2",
            None,
            ts("2025-01-06 10:00:00"),
            "manager",
            "11-50",
            mql_at=ts("2025-01-07 00:00:00"),
        ),
    ]
    responses = [
        SurveyResponse("r1", "u1", "nps", 10, ts("2025-01-08 10:00:00")),
        SurveyResponse("r2", "u2", "nps", 3, ts("2025-01-21 10:00:00")),
        SurveyResponse("r3", "u2", "csat", 5, ts("2025-02-21 10:00:00")),
    ]
    spend = [
        Spend(date(2025, 1, 1), "paid_search", "ps1", 1000, 10, Decimal("30.00")),
        Spend(date(2025, 1, 2), "email", "em1", 500, 5, Decimal("10.00")),
        Spend(date(2025, 3, 31), "email", "em1", 100, 1, Decimal("5.00")),
    ]
    return RawInputs(events, leads, orders, responses, spend)


def test_tiny_journey_model() -> None:
    model = ref.build_journey_model(tiny_inputs(), SEEDS, Config())
    assert model.as_of == date(2025, 3, 31)  # the spend date is the latest date
    sessions = sorted(model.sessions, key=lambda s: s.started_at)
    summary = [
        (s.person_id, s.channel, s.page_views, s.is_bounced, s.is_converting) for s in sessions
    ]
    assert summary == [
        ("u1", "paid_search", 2, False, False),  # internal referrer on e02: no split
        ("u1", "direct", 1, False, True),
        ("u2", "email", 1, True, False),
        ("u2", "direct", 1, False, False),  # purchase of a refunded order: not converting
        ("a3", "referral", 1, True, False),
    ]
    assert model.acquisition_channel == {"u1": "paid_search", "u2": "email", "a3": "referral"}
    assert model.channel_of("lead:l2") == "unattributed"  # no session: never `direct`
    assert model.persona == {
        "u1": "enterprise_buyer",
        "u2": "bargain_hunter",  # no lead; one completed order of 40
        "a3": "unassigned",
        "lead:l2": "smb_owner",
    }
    # l1: executive 15 + 1001+ 15 + 3 page views + pricing 10 + signup 10 = 53 (MQL)
    # l2 (no user: no events): manager 10 + 11-50 0 = 10, MQL through the CRM's mql_at
    assert model.lead_scores == {"l1": 53, "l2": 10}
    assert model.lead_is_mql == {"l1": True, "l2": True}
    u1, u2 = model.customers["u1"], model.customers["u2"]
    assert (u1.first_order_at, u1.second_order_at) == (
        ts("2025-01-07 09:03"),
        ts("2025-02-10 08:00"),
    )
    assert u2.second_order_at is None and u1.churned_at is None and u2.churned_at is None


def test_lead_score_ignores_events_after_the_close() -> None:
    """l1 won at 10:01:30: the signup (10:02) and the later page view add nothing."""
    raw = tiny_inputs()
    won = ts("2025-01-05 10:01:30")
    leads = [
        dataclasses.replace(lead, won_at=won) if lead.lead_id == "l1" else lead
        for lead in raw.leads
    ]
    model = ref.build_journey_model(dataclasses.replace(raw, leads=leads), SEEDS, Config())
    # executive 15 + 1001+ 15 + 2 page views + pricing 10 (signup and 3rd page view later)
    assert model.lead_scores["l1"] == 42


def test_tiny_kpis() -> None:
    raw = tiny_inputs()
    rows = ref.compute_kpis(raw, ref.build_journey_model(raw, SEEDS, Config()))
    jan, feb, mar = date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)

    def get(kpi: str, month: date, channel: str = ALL, persona: str = ALL) -> tuple:
        row = rows[(kpi, channel, persona, month)]
        return (row.numerator, row.denominator, row.value)

    assert get("nps", jan) == (0, 2, 0.0)
    assert get("nps", jan, "paid_search", "enterprise_buyer") == (100, 1, 100.0)
    assert get("nps", jan, ALL, "bargain_hunter") == (-100, 1, -100.0)
    assert get("csat", feb, "email") == (1, 1, 1.0)
    assert get("conversion_rate", jan) == (1, 3, pytest.approx(1 / 3))
    assert get("conversion_rate", feb, "direct") == (0, 1, 0.0)
    assert get("bounce_rate", jan) == (1, 3, pytest.approx(1 / 3))
    assert get("bounce_rate", feb, "referral", "unassigned") == (1, 1, 1.0)
    assert get("average_order_value", feb) == (Decimal("90.50"), 2, 45.25)
    assert get("average_order_value", feb, "email", "bargain_hunter") == (Decimal(40), 1, 40.0)
    assert get("click_through_rate", jan) == (15, 1500, 0.01)
    assert ("click_through_rate", ALL, "enterprise_buyer", jan) not in rows
    # CAC: spend of the channel / new customers acquired through it
    assert get("customer_acquisition_cost", jan) == (Decimal(40), 1, 40.0)
    assert get("customer_acquisition_cost", jan, "paid_search") == (Decimal(30), 1, 30.0)
    assert get("customer_acquisition_cost", jan, "email") == (Decimal(10), 0, None)
    assert get("customer_acquisition_cost", feb, "email") == (Decimal(0), 1, 0.0)
    assert get("customer_acquisition_cost", mar, "email") == (Decimal(5), 0, None)
    assert get("lead_to_mql_rate", jan) == (2, 2, 1.0)
    assert get("lead_to_mql_rate", jan, "unattributed", "smb_owner") == (1, 1, 1.0)
    # stocks: u1 first order Jan, second Feb; u2 first order Feb
    assert get("repeat_purchase_rate", jan) == (0, 1, 0.0)
    assert get("repeat_purchase_rate", feb) == (1, 2, 0.5)
    assert get("repeat_purchase_rate", mar) == (1, 2, 0.5)
    assert ("churn_rate", ALL, ALL, jan) not in rows  # nobody was a customer on Jan 1
    assert get("churn_rate", feb) == (0, 1, 0.0)
    assert get("churn_rate", mar) == (0, 2, 0.0)
    assert ("repeat_purchase_rate", ALL, ALL, date(2025, 4, 1)) not in rows  # after as-of


def test_tiny_last_touch_roas_and_marketing_efficiency() -> None:
    """Unattributed is not direct; ROAS pools paid channels; MER is blended revenue / spend."""
    tiny = tiny_inputs()
    # o5: u2 buys 200 on January 25, five days after the newsletter (email) session.
    o5 = Order("o5", "u2", ts("2025-01-25 12:00:00"), "completed", Decimal("200.00"))
    raw = dataclasses.replace(tiny, orders=[*tiny.orders, o5])
    model = ref.build_journey_model(raw, SEEDS, Config())
    by_id = {o.order_id: o for o in raw.orders}
    assert model.last_touch_channel(by_id["o1"]) == "direct"  # a tracked direct visit
    assert model.last_touch_channel(by_id["o2"]) == "unattributed"  # last session 34 days before
    assert model.last_touch_channel(by_id["o5"]) == "email"
    # last_non_direct (var attribution_kpi_model's default, used by ROAS and CAC): o1's direct
    # last touch gives way to u1's Google ad session two days earlier.
    assert model.last_non_direct_channel("u1", by_id["o1"].ordered_at) == "paid_search"
    assert model.last_non_direct_channel("u1", by_id["o2"].ordered_at) == "unattributed"
    rows = ref.compute_kpis(raw, model)
    jan, feb, mar = date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)

    def get(kpi: str, month: date, channel: str = ALL) -> tuple:
        row = rows[(kpi, channel, ALL, month)]
        return (row.numerator, row.denominator, row.value)

    # ROAS (last_non_direct): paid channels (paid_search, email) only; o1's 100 goes to
    # paid_search (its last non-direct touch), unattributed o2 counts in no ROAS.
    assert get("return_on_ad_spend", jan) == (Decimal(300), Decimal(40), 7.5)
    assert get("return_on_ad_spend", jan, "email") == (Decimal(200), Decimal(10), 20.0)
    assert get("return_on_ad_spend", jan, "paid_search") == (
        Decimal(100),
        Decimal(30),
        pytest.approx(100 / 30),
    )
    assert get("return_on_ad_spend", mar, "email") == (Decimal(0), Decimal(5), 0.0)
    assert not [
        k for k in rows if k[0] == "return_on_ad_spend" and k[1] in ("direct", "unattributed")
    ]
    # February has no spend, but o4 (u2, 40, last touch direct) goes to its earlier email
    # touch: a paid channel with revenue and no spend keeps its row (40 / 0).
    assert get("return_on_ad_spend", feb) == (Decimal(40), 0, None)
    assert get("return_on_ad_spend", feb, "email") == (Decimal(40), 0, None)
    # MER: every completed order's revenue / all spend; a month without spend keeps its row.
    assert get("marketing_efficiency_ratio", jan) == (Decimal(300), Decimal(40), 7.5)
    assert get("marketing_efficiency_ratio", feb) == (Decimal("90.50"), 0, None)
    assert {k[1] for k in rows if k[0] == "marketing_efficiency_ratio"} == {ALL}


def test_tiny_churn_rate() -> None:
    """Churned in the period / customers at its start, with as_of pushed far enough."""
    raw = tiny_inputs()
    model = ref.build_journey_model(raw, SEEDS, Config(as_of_date=date(2025, 6, 30)))
    # u1: last activity 2025-02-10 08:00 (server-side purchase) -> churned 2025-05-11 08:00
    # u2: last activity 2025-02-15 12:00 (order o4) -> churned 2025-05-16 12:00
    assert model.customers["u1"].churned_at == ts("2025-05-11 08:00:00")
    assert model.customers["u2"].churned_at == ts("2025-05-16 12:00:00")
    rows = ref.compute_kpis(raw, model)
    may, jun = date(2025, 5, 1), date(2025, 6, 1)
    assert rows[("churn_rate", ALL, ALL, may)][4:] == (2, 2, 1.0)
    assert rows[("churn_rate", "email", "bargain_hunter", may)][4:] == (1, 1, 1.0)
    assert ("churn_rate", ALL, ALL, jun) not in rows  # no customer left at the start of June


def test_tiny_activity_video_and_trials() -> None:
    """Activity = engagement events or completed orders; videos and trials (catalog)."""
    site = "https://www.journeyco.example"
    raw = tiny_inputs()
    extra = [
        # u2 opens an e-mail after their last order (passive: not activity)
        Event("x01", "email_open", ts("2025-03-31 09:00"), None, "u2"),
        # u1 restarts a video in a new organic session and completes it once: 1 / 2
        Event(
            "x02",
            "video_start",
            ts("2025-03-10 10:00"),
            "a9",
            "u1",
            f"{site}/v",
            utm_source="google",
            utm_medium="organic",
        ),
        Event("x03", "video_start", ts("2025-03-10 10:02"), "a9", "u1", f"{site}/v"),
        Event("x04", "video_complete", ts("2025-03-10 10:09"), "a9", "u1", f"{site}/v"),
        # trials: u1's converts with o5 exactly 30 days later; u2's later order is too late
        Event("x05", "trial_start", ts("2025-03-01 08:00"), None, "u1"),
        Event("x06", "trial_start", ts("2025-03-01 08:00"), None, "u2"),
    ]
    orders = [
        Order("o5", "u1", ts("2025-03-31 08:00:00"), "completed", Decimal("10.00")),
        Order("o6", "u2", ts("2025-03-31 08:00:01"), "completed", Decimal("10.00")),
    ]
    raw = RawInputs(raw.events + extra, raw.leads, raw.orders + orders, raw.responses, raw.spend)
    model = ref.build_journey_model(raw, SEEDS, Config(as_of_date=date(2025, 3, 31)))
    rows = ref.compute_kpis(raw, model)
    mar = date(2025, 3, 1)
    # u2's later e-mail open is not activity: the last activity is the order o6
    assert model.customers["u2"].last_activity_at == ts("2025-03-31 08:00:01")
    assert rows[("video_completion_rate", "organic_search", ALL, mar)][4:] == (1, 2, 0.5)
    assert rows[("trial_to_paid_rate", ALL, ALL, mar)][4:] == (1, 2, 0.5)
    # March: u1 (video, trial, order) and u2 (trial, order o6) active; the e-mail open alone
    # would not have made u2 active
    assert rows[("active_users", ALL, ALL, mar)][4:] == (2, None, 2.0)
    # January: u1 (signup, purchase) and u2 (page view only: not active)
    assert rows[("active_users", ALL, ALL, date(2025, 1, 1))][4:] == (1, None, 1.0)


def test_reference_on_the_demo_data_is_plausible(reference: dict[KpiKey, KpiRow]) -> None:
    """Guards against a reference that silently computes nothing."""
    for kpi in ref.KPI_STAGES:
        for month in (date(2025, 6, 1), date(2026, 3, 1)):
            row = reference[(kpi, ALL, ALL, month)]
            if kpi in ref.TOTAL_KPIS:
                assert row.denominator is None and row.numerator > 0, row
            else:
                assert row.denominator > 0 and row.value is not None, row
    for row in reference.values():
        if row.value is None or row.kpi_name in ref.TOTAL_KPIS:
            continue
        if row.kpi_name == "nps":
            assert -100 <= row.value <= 100
        elif row.kpi_name == "customer_effort_score":
            assert 1 <= row.value <= 7
        elif row.kpi_name == "avg_time_on_page_s":
            assert row.value >= 0, row
        elif row.kpi_name not in ref.MONEY_NUMERATOR_KPIS:
            assert 0 <= row.value <= 1, row
    personas = {key[2] for key in reference}
    assert {"enterprise_buyer", "smb_owner", "practitioner", "bargain_hunter", ALL} <= personas


# --------------------------------------------------------------------------------------
# The comparison with the dbt mart
# --------------------------------------------------------------------------------------

MartRow = tuple[str, object, object, object]  # journey_stage, numerator, denominator, value


@pytest.fixture(scope="module")
def reference() -> dict[KpiKey, KpiRow]:
    _, rows = ref.compute_reference()
    return rows


def read_mart(database: Path) -> dict[KpiKey, list[MartRow]] | None:
    """Month-grain rows of marts.mart_kpi_values for the recomputed KPIs (None: no table)."""
    kpis = ", ".join(f"'{kpi}'" for kpi in ref.KPI_STAGES)
    with duckdb.connect(str(database), read_only=True) as con:
        exists = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'marts' and table_name = 'mart_kpi_values'"
        ).fetchall()[0][0]
        if not exists:
            return None
        result = con.execute(
            f"""
            select kpi_name, channel, persona, period_start, journey_stage,
                   numerator, denominator, value
            from marts.mart_kpi_values
            where period_grain = 'month' and kpi_name in ({kpis})
            """
        ).fetchall()
    rows: dict[KpiKey, list[MartRow]] = {}
    for kpi, channel, persona, period_start, stage, num, den, value in result:
        rows.setdefault((kpi, channel, persona, period_start), []).append((stage, num, den, value))
    return rows


@pytest.fixture(scope="module")
def mart(demo_db: Path) -> dict[KpiKey, list[MartRow]]:
    rows = read_mart(demo_db)
    if rows is None:
        pytest.fail("marts.mart_kpi_values is not in the demo build")
    return rows


def _is_zero(number: object) -> bool:
    return number is None or Decimal(str(number)) == 0


def _same_number(mart_value: object, reference_value: ref.Number | None, money: bool) -> bool:
    if mart_value is None or reference_value is None:
        return mart_value is None and reference_value is None
    difference = abs(Decimal(str(mart_value)) - Decimal(reference_value))
    return difference <= Decimal("1e-6") if money else difference == 0


def _same_value(mart_value: object, reference_value: float | None) -> bool:
    if mart_value is None or reference_value is None:
        return mart_value is None and reference_value is None
    return math.isclose(float(mart_value), reference_value, rel_tol=1e-9, abs_tol=1e-12)


def compare_kpi(
    kpi: str, reference: dict[KpiKey, KpiRow], mart: dict[KpiKey, list[MartRow]]
) -> list[str]:
    """Readable differences between the reference and the mart for one KPI (empty: agree)."""
    expected = {key: row for key, row in reference.items() if key[0] == kpi}
    actual = {key: rows for key, rows in mart.items() if key[0] == kpi}
    problems: list[str] = []

    def label(key: KpiKey) -> str:
        return f"{key[1]}/{key[2]} {key[3]:%Y-%m}"

    for key in sorted(actual):
        if len(actual[key]) > 1:
            problems.append(f"{label(key)}: {len(actual[key])} mart rows at one grain")
    keeps_zero_denominator = kpi in ref.KEEPS_ZERO_DENOMINATOR_ROWS

    def is_required(row: KpiRow) -> bool:
        """A ratio row the mart must hold: a denominator, or (where kept) a numerator."""
        return row.denominator != 0 or (keeps_zero_denominator and row.numerator != 0)

    for key in sorted(k for k, row in expected.items() if is_required(row)):
        if key not in actual:
            row = expected[key]
            problems.append(
                f"{label(key)}: missing from the mart (reference {row.numerator}/"
                f"{row.denominator} = {row.value})"
            )
    for key in sorted(k for k, rows in actual.items() if not _is_zero(rows[0][2])):
        if key not in expected:
            _, num, den, value = actual[key][0]
            problems.append(f"{label(key)}: not in the reference (mart {num}/{den} = {value})")
    money = kpi in ref.MONEY_NUMERATOR_KPIS
    for key in sorted(expected.keys() & actual.keys()):
        row = expected[key]
        _, num, den, value = actual[key][0]
        if not (
            _same_number(num, row.numerator, money)
            and _same_number(den, row.denominator, kpi in ref.MONEY_DENOMINATOR_KPIS)
            and _same_value(value, row.value)
        ):
            problems.append(
                f"{label(key)}: mart {num}/{den} = {value}"
                f" | reference {row.numerator}/{row.denominator} = {row.value}"
            )
    return problems


def test_compare_kpi_reports_differences() -> None:
    """The comparison itself can fail: missing, extra, duplicated and differing rows."""
    jan, feb, mar = date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)
    reference = {
        ("csat", ALL, ALL, jan): KpiRow("csat", ALL, ALL, jan, 3, 4, 0.75),
        ("csat", ALL, ALL, feb): KpiRow("csat", ALL, ALL, feb, 1, 2, 0.5),
        ("csat", "sms", ALL, feb): KpiRow("csat", "sms", ALL, feb, 0, 0, None),
    }
    agreeing = {
        ("csat", ALL, ALL, jan): [("retention", Decimal("3.000000"), 4, Decimal("0.75"))],
        ("csat", ALL, ALL, feb): [("retention", 1.0, 2.0, 0.5)],
    }
    assert compare_kpi("csat", reference, agreeing) == []
    broken = {
        ("csat", ALL, ALL, jan): [("retention", 3, 4, 0.7500001)],
        ("csat", ALL, ALL, mar): [("retention", 1, 1, 1.0), ("retention", 1, 1, 1.0)],
    }
    problems = compare_kpi("csat", reference, broken)
    assert len(problems) == 4, problems
    assert any("all/all 2025-02: missing" in p for p in problems)
    assert any("all/all 2025-03: not in the reference" in p for p in problems)
    assert any("2 mart rows" in p for p in problems)
    assert any("mart 3/4 = 0.7500001 | reference 3/4 = 0.75" in p for p in problems)
    money = {
        ("average_order_value", ALL, ALL, jan): KpiRow(
            "average_order_value", ALL, ALL, jan, Decimal("10.005"), 2, 5.0025
        )
    }
    close = {("average_order_value", ALL, ALL, jan): [("conversion", 10.0050004, 2, 5.0025)]}
    assert compare_kpi("average_order_value", money, close) == []


def write_fake_mart(database: Path, rows: list[KpiRow]) -> None:
    """A marts.mart_kpi_values holding the given rows, typed as a dbt contract would type it."""
    with duckdb.connect(str(database)) as con:
        con.execute("create schema marts")
        con.execute(
            """
            create table marts.mart_kpi_values (
                kpi_name varchar, journey_stage varchar, channel varchar, persona varchar,
                period_grain varchar, period_start date, numerator decimal(28, 6),
                denominator decimal(28, 6), value double
            )
            """
        )
    # through a CSV file: DuckDB's executemany is slow for a few thousand rows
    csv_path = database.with_suffix(".csv")
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        for row in rows:
            value = "" if row.value is None else repr(row.value)
            stage = ref.KPI_STAGES[row.kpi_name]
            writer.writerow(
                [row.kpi_name, stage, row.channel, row.persona, "month", row.period_start]
                + [row.numerator, row.denominator, value]
            )
    with duckdb.connect(str(database)) as con:
        con.execute(
            f"""
            insert into marts.mart_kpi_values
            select * from read_csv('{csv_path}', header = false, columns = {{
                'kpi_name': 'varchar', 'journey_stage': 'varchar', 'channel': 'varchar',
                'persona': 'varchar', 'period_grain': 'varchar', 'period_start': 'date',
                'numerator': 'decimal(28, 6)', 'denominator': 'decimal(28, 6)',
                'value': 'double'
            }})
            """
        )


def test_comparison_round_trips_through_duckdb(
    tmp_path: Path, reference: dict[KpiKey, KpiRow]
) -> None:
    """The reference written to a DuckDB mart and read back agrees; a changed row does not."""
    duckdb.connect(str(tmp_path / "empty.duckdb")).close()
    assert read_mart(tmp_path / "empty.duckdb") is None
    rows = list(reference.values())
    write_fake_mart(tmp_path / "same.duckdb", rows)
    same = read_mart(tmp_path / "same.duckdb")
    assert same is not None
    assert all(compare_kpi(kpi, reference, same) == [] for kpi in ref.KPI_STAGES)

    key = ("churn_rate", ALL, ALL, date(2026, 3, 1))
    changed = reference[key]._replace(numerator=reference[key].numerator + 1)
    dropped = min(k for k in reference if k[0] == "nps" and k[1] != ALL)
    others = [row for k, row in reference.items() if k not in (key, dropped)]
    write_fake_mart(tmp_path / "other.duckdb", [*others, changed])
    other = read_mart(tmp_path / "other.duckdb")
    assert other is not None
    assert len(compare_kpi("churn_rate", reference, other)) == 1
    assert compare_kpi("nps", reference, other) == [
        f"{dropped[1]}/{dropped[2]} {dropped[3]:%Y-%m}: missing from the mart (reference "
        f"{reference[dropped].numerator}/{reference[dropped].denominator} = "
        f"{reference[dropped].value})"
    ]


def test_reference_cleaning_matches_staging(demo_db: Path) -> None:
    """The reference starts from the same clean rows as staging (localises a KPI mismatch)."""
    raw = ref.load_raw(ref.REPO_ROOT / "seeds" / "raw")
    expected = {
        "stg_tracking__events": {
            (e.event_id, e.event_type, e.occurred_at, e.anonymous_id, e.user_id)
            + (e.page_url, e.referrer_url, e.utm_source, e.utm_medium, e.order_id, e.form_id)
            for e in raw.events
        },
        "stg_crm__leads": {
            (x.lead_id, x.user_id, x.created_at, x.job_role, x.company_size, x.mql_at)
            for x in raw.leads
        },
        "stg_commerce__orders": {
            (x.order_id, x.customer_id, x.ordered_at, x.status, x.amount) for x in raw.orders
        },
        "stg_surveys__responses": {
            (x.response_id, x.user_id, x.survey_type, x.score, x.submitted_at)
            for x in raw.responses
        },
        "stg_ads__marketing_spend": {
            (x.spend_date, x.channel, x.campaign_id, x.impressions, x.clicks, x.spend)
            for x in raw.spend
        },
    }
    columns = {
        "stg_tracking__events": "event_id, event_type, occurred_at, anonymous_id, user_id, "
        "page_url, referrer_url, utm_source, utm_medium, order_id, form_id",
        "stg_crm__leads": "lead_id, user_id, created_at, job_role, company_size, mql_at",
        "stg_commerce__orders": "order_id, customer_id, ordered_at, status, amount",
        "stg_surveys__responses": "response_id, user_id, survey_type, score, submitted_at",
        "stg_ads__marketing_spend": "spend_date, channel, campaign_id, impressions, clicks, spend",
    }
    with duckdb.connect(str(demo_db), read_only=True) as con:
        for model, select_list in columns.items():
            staged = set(con.execute(f"select {select_list} from staging.{model}").fetchall())
            differing = sorted(staged ^ expected[model], key=str)[:5]
            assert not differing, (model, differing)
            assert staged


@pytest.mark.parametrize("kpi", list(ref.KPI_STAGES))
def test_mart_matches_the_python_recomputation(
    kpi: str, reference: dict[KpiKey, KpiRow], mart: dict[KpiKey, list[MartRow]]
) -> None:
    problems = compare_kpi(kpi, reference, mart)
    shown = "\n".join(problems[:MAX_REPORTED])
    assert not problems, (
        f"{kpi}: {len(problems)} month-grain rows differ (first {MAX_REPORTED}):\n{shown}"
    )


def test_mart_kpis_sit_in_their_home_stage(mart: dict[KpiKey, list[MartRow]]) -> None:
    stages = {(key[0], rows[0][0]) for key, rows in mart.items()}
    wrong = sorted((kpi, stage) for kpi, stage in stages if stage != ref.KPI_STAGES[kpi])
    assert not wrong, wrong
    assert {kpi for kpi, _ in stages} == set(ref.KPI_STAGES)
