"""Tests of the synthetic data generator (`datagen`).

Besides format and determinism checks this file holds a small reference implementation of
the staging rules of the raw data contract (`_reject_reason`), used to verify that the
dirty-mode manifests say exactly what a correct staging layer must do.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from datagen import HEADERS, TABLES, GeneratorConfig, generate
from datagen.dirty import KEPT_NOTES, REJECT_REASONS

ROOT = Path(__file__).resolve().parents[1]
START = dt.datetime(2025, 1, 1)
END = dt.datetime(2026, 6, 30, 23, 59, 59)

EVENT_TYPES = (
    "page_view",
    "scroll",
    "content_download",
    "content_share",
    "video_start",
    "video_progress",
    "video_complete",
    "form_submit",
    "signup",
    "trial_start",
    "onboarding_step",
    "onboarding_complete",
    "feature_used",
    "add_to_cart",
    "checkout_start",
    "purchase",
    "in_app_purchase",
    "email_open",
    "email_click",
    "chat_start",
    "support_ticket_opened",
    "support_ticket_resolved",
    "review_posted",
    "referral_sent",
)
SPEND_CHANNELS = (
    "paid_search",
    "paid_social",
    "display",
    "affiliate",
    "email",
    "sms",
    "offline",
    "organic_search",
)
TS_COLUMNS = {
    "events": ("occurred_at", "_loaded_at"),
    "leads": (
        "created_at",
        "mql_at",
        "sql_at",
        "opportunity_at",
        "won_at",
        "lost_at",
        "_loaded_at",
    ),
    "orders": ("ordered_at", "_loaded_at"),
    "survey_responses": ("submitted_at", "_loaded_at"),
    "marketing_spend": ("_loaded_at",),
}
SCORE_RANGE = {
    "nps": (0, 10),
    "csat": (1, 5),
    "ces": (1, 7),
    "review": (1, 5),
    "brand_recall": (0, 1),
}


def read_table(directory: Path, table: str) -> list[dict[str, str]]:
    """Read one contract CSV as dicts."""
    with (directory / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_all(directory: Path) -> dict[str, list[dict[str, str]]]:
    """Read the five contract CSVs."""
    return {t: read_table(directory, t) for t in TABLES}


def parse_ts(value: str) -> dt.datetime:
    """Parse a contract timestamp (`YYYY-MM-DD HH:MM:SS`)."""
    return dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], dict]:
    """The default demo data set (3000 people, seed 42), with latent personas."""
    out = tmp_path_factory.mktemp("demo")
    result = generate(GeneratorConfig(out=out, collect_personas=True))
    return out, result.personas, read_all(out)


@pytest.fixture(scope="module")
def dirty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dirty data set produced through the CLI."""
    out = tmp_path_factory.mktemp("dirty")
    cmd = [sys.executable, "-m", "datagen", "--dirty", "--people", "200", "--seed", "7", "--out"]
    subprocess.run([*cmd, str(out), "--quiet"], check=True, cwd=ROOT)
    return out


# ----------------------------------------------------------------------------- determinism


def _bytes(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.glob("*.csv"))}


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    for name in ("a", "b"):
        generate(GeneratorConfig(people=250, seed=3, out=tmp_path / name, chunk_size=100))
    a, b = _bytes(tmp_path / "a"), _bytes(tmp_path / "b")
    assert sorted(a) == sorted(f"{t}.csv" for t in TABLES)
    assert a == b


def test_dirty_mode_is_deterministic(tmp_path: Path, dirty: Path) -> None:
    generate(GeneratorConfig(people=200, seed=7, out=tmp_path, dirty=True))
    assert _bytes(tmp_path) == _bytes(dirty)


def test_different_seed_differs(tmp_path: Path) -> None:
    generate(GeneratorConfig(people=150, seed=1, out=tmp_path / "a"))
    generate(GeneratorConfig(people=150, seed=2, out=tmp_path / "b"))
    a, b = _bytes(tmp_path / "a"), _bytes(tmp_path / "b")
    assert a["events.csv"] != b["events.csv"]
    assert a["marketing_spend.csv"] != b["marketing_spend.csv"]


def test_committed_demo_seeds_are_current(demo: tuple) -> None:
    """seeds/raw must be exactly `python -m datagen` (regenerate after changing datagen)."""
    out, _, _ = demo
    committed = ROOT / "seeds" / "raw"
    if not (committed / "events.csv").exists():
        pytest.skip("demo seeds not generated")
    for table in TABLES:
        name = f"{table}.csv"
        assert (committed / name).read_bytes() == (out / name).read_bytes(), name


# ----------------------------------------------------------------------------- format


def test_headers_and_dialect(demo: tuple) -> None:
    out, _, _ = demo
    for table in TABLES:
        raw = (out / f"{table}.csv").read_bytes()
        assert raw.split(b"\n", 1)[0].decode() == ",".join(HEADERS[table])
        assert b"\r" not in raw
        assert raw.endswith(b"\n")
        raw.decode("utf-8")


def test_timestamps_inside_period(demo: tuple) -> None:
    _, _, data = demo
    for table, columns in TS_COLUMNS.items():
        for row in data[table]:
            for col in columns:
                if row[col]:
                    assert START <= parse_ts(row[col]) <= END, (table, col, row)
    business = {"events": "occurred_at", "orders": "ordered_at", "survey_responses": "submitted_at"}
    for table, col in business.items():
        assert all(r["_loaded_at"] >= r[col] for r in data[table]), table
    for row in data["marketing_spend"]:
        assert "2025-01-01" <= row["spend_date"] <= "2026-06-30"
        assert row["_loaded_at"] > row["spend_date"]


def test_value_formats(demo: tuple) -> None:
    _, _, data = demo
    events = data["events"]
    assert all(re.fullmatch(r"e_\d{10}", e["event_id"]) for e in events)
    assert len({e["event_id"] for e in events}) == len(events)
    assert all(
        re.fullmatch(r"a_[0-9a-f]{16}", e["anonymous_id"]) for e in events if e["anonymous_id"]
    )
    assert all(re.fullmatch(r"u_\d+", e["user_id"]) for e in events if e["user_id"])
    assert all(e["anonymous_id"] or e["user_id"] for e in events)
    assert {e["device"] for e in events} <= {"desktop", "mobile", "tablet", "app", "other"}
    assert all(e["user_id"] for e in events if e["device"] == "app")
    types = Counter(e["event_type"] for e in events)
    assert set(EVENT_TYPES) <= set(types)
    assert sum(v for k, v in types.items() if k not in EVENT_TYPES) < 0.05 * len(events)
    assert 40_000 <= len(events) <= 80_000
    for e in events:
        if e["properties"]:
            assert isinstance(json.loads(e["properties"]), dict)
        if e["event_type"] == "scroll":
            assert json.loads(e["properties"])["depth_pct"] in (25, 50, 75, 90, 100)
        if e["page_url"]:
            assert e["page_url"].startswith("https://www.journeyco.example/")
    money = re.compile(r"\d+\.\d{2}")
    for o in data["orders"]:
        assert re.fullmatch(r"o_\d+", o["order_id"]) and re.fullmatch(r"u_\d+", o["customer_id"])
        assert o["order_channel"] in ("web", "app", "pos", "sales")
        assert o["status"] in ("completed", "refunded", "cancelled")
        assert money.fullmatch(o["amount"]) and money.fullmatch(o["cost"])
        assert 0 <= float(o["cost"]) < float(o["amount"])
        assert o["currency"] == "USD" and o["is_trial_conversion"] in ("true", "false")
        assert int(o["items"]) >= 1
    for s in data["survey_responses"]:
        lo, hi = SCORE_RANGE[s["survey_type"]]
        assert lo <= int(s["score"]) <= hi
        assert s["survey_channel"] in ("email", "sms", "in_app", "web", "social", "phone")
    for lead in data["leads"]:
        assert lead["lead_source"] in (
            "web_form",
            "demo_request",
            "webinar",
            "content_download",
            "trade_show",
            "outbound",
            "referral",
            "partner",
            "chat",
        )
        assert lead["company_size"] in ("", "1-10", "11-50", "51-200", "201-1000", "1001+")
        assert "@example." in lead["email"].lower()


def test_marketing_spend_shape(demo: tuple) -> None:
    _, _, data = demo
    spend = data["marketing_spend"]
    days = (END.date() - START.date()).days + 1
    keys = Counter((r["spend_date"], r["channel"], r["campaign_id"]) for r in spend)
    assert max(keys.values()) == 1
    campaigns = {(r["channel"], r["campaign_id"]) for r in spend}
    assert len(spend) == days * len(campaigns)
    assert {c for c, _ in campaigns} == set(SPEND_CHANNELS)
    for r in spend:
        assert int(r["impressions"]) >= int(r["clicks"]) >= 0 and float(r["spend"]) >= 0
        search = r["channel"] in ("paid_search", "organic_search")
        assert bool(r["avg_position"]) == search and bool(r["is_branded"]) == search
        if search:
            assert 1.0 <= float(r["avg_position"]) <= 30.0
        if r["channel"] == "organic_search":
            assert r["spend"] == "0.00"
    # utm campaigns of paid visits exist in the spend table, clicks roughly match visits
    ids = {c for _, c in campaigns}
    clicks = Counter()
    for r in spend:
        clicks[r["campaign_id"]] += int(r["clicks"])
    visits = Counter(
        e["utm_campaign"]
        for e in data["events"]
        if e["event_type"] == "page_view"
        and e["utm_medium"].strip().lower() in ("cpc", "paid_social")
    )
    assert set(visits) <= ids
    for campaign, n in visits.items():
        assert n <= clicks[campaign] <= 2.5 * n + 20, campaign


# ----------------------------------------------------------------------------- referential sanity


def test_purchase_events_match_orders(demo: tuple) -> None:
    _, _, data = demo
    latest = {o["order_id"]: o for o in data["orders"]}  # later rows are later loads
    purchases = {}
    for e in data["events"]:
        if e["event_type"] in ("purchase", "in_app_purchase"):
            props = json.loads(e["properties"])
            assert props["order_id"] not in purchases
            purchases[props["order_id"]] = (e, props)
    web_app = {k for k, o in latest.items() if o["order_channel"] in ("web", "app")}
    assert set(purchases) == web_app
    for order_id, (event, props) in purchases.items():
        order = latest[order_id]
        assert math.isclose(props["revenue"], float(order["amount"]))
        assert (
            event["occurred_at"] == order["ordered_at"] and event["user_id"] == order["customer_id"]
        )
        kind = "in_app_purchase" if order["order_channel"] == "app" else "purchase"
        assert event["event_type"] == kind


def test_lead_lifecycle_and_sales_orders(demo: tuple) -> None:
    _, _, data = demo
    stages = ("created_at", "mql_at", "sql_at", "opportunity_at")
    sales_customers = {o["customer_id"] for o in data["orders"] if o["order_channel"] == "sales"}
    for lead in data["leads"]:
        times = [lead[c] for c in stages if lead[c]]
        assert times == sorted(times)
        reached = [bool(lead[c]) for c in stages]
        assert reached == sorted(reached, reverse=True), lead  # no gaps in the funnel
        assert not (lead["won_at"] and lead["lost_at"])
        end = lead["won_at"] or lead["lost_at"]
        if end:
            assert end >= times[-1]
        if lead["won_at"]:
            assert lead["opportunity_at"] and float(lead["deal_amount"]) >= 1000
            if lead["user_id"]:
                assert lead["user_id"] in sales_customers
        elif lead["deal_amount"]:
            assert lead["opportunity_at"] and not lead["lost_at"]
    no_user = [lead for lead in data["leads"] if not lead["user_id"]]
    assert no_user and len(no_user) < 0.3 * len(data["leads"])


def test_superseded_duplicates(demo: tuple) -> None:
    _, _, data = demo
    for table, key, rate in (("leads", "lead_id", 0.03), ("orders", "order_id", 0.01)):
        rows = data[table]
        groups = defaultdict(list)
        for r in rows:
            groups[r[key]].append(r)
        dups = [g for g in groups.values() if len(g) > 1]
        assert 0.3 * rate * len(groups) <= len(dups) <= 2.5 * rate * len(groups), table
        for first, last in (g for g in dups):
            assert first["_loaded_at"] < last["_loaded_at"]
            if table == "orders":
                assert (first["status"], last["status"]) == ("completed", "refunded")
            else:
                assert sum(map(bool, first.values())) < sum(map(bool, last.values()))


def test_identification_and_sessions(demo: tuple) -> None:
    _, _, data = demo
    first_event: dict[str, dict[str, str]] = {}
    for e in data["events"]:  # file order is time order
        if e["user_id"] and e["user_id"] not in first_event:
            first_event[e["user_id"]] = e
    assert all(e["event_type"] in ("signup", "form_submit") for e in first_event.values())
    # anonymous events of a browser before identification exist (to be stitched)
    stitched = {e["anonymous_id"] for e in data["events"] if e["user_id"] and e["anonymous_id"]}
    anon_only = [e for e in data["events"] if not e["user_id"] and e["anonymous_id"] in stitched]
    assert len(anon_only) > 1000
    # utm only on the first page view of a visit: later page views have an internal referrer
    for e in data["events"]:
        if e["event_type"] == "page_view" and e["referrer_url"].startswith(
            "https://www.journeyco."
        ):
            assert not (e["utm_source"] or e["utm_medium"] or e["utm_campaign"])


# ----------------------------------------------------------------------------- behaviour


def _sessions(events: list[dict[str, str]]) -> list[list[dict[str, str]]]:
    """Split web events per browser into visits (30 minutes of inactivity)."""
    by_anon: dict[str, list[dict[str, str]]] = defaultdict(list)
    for e in events:
        if e["anonymous_id"] and e["device"] != "app":
            by_anon[e["anonymous_id"]].append(e)
    sessions = []
    for rows in by_anon.values():
        current: list[dict[str, str]] = []
        last = None
        for e in rows:
            t = parse_ts(e["occurred_at"])
            if last is not None and (t - last).total_seconds() > 1800:
                sessions.append(current)
                current = []
            current.append(e)
            last = t
        sessions.append(current)
    return sessions


def _medium(e: dict[str, str]) -> str:
    medium = e["utm_medium"].strip().lower()
    if medium:
        return medium
    ref = e["referrer_url"]
    if any(s in ref for s in ("google.", "bing.", "duckduckgo.")):
        return "organic_search"
    if ref.startswith(("https://www.g2.", "https://blog.partner-", "https://news.ycombinator")):
        return "referral"
    return "direct" if not ref else "other"


def _nps(scores: list[int]) -> float:
    return 100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores)


def test_persona_contrasts(demo: tuple) -> None:
    _, personas, data = demo
    people = Counter(personas.values())
    buyers: dict[str, set[str]] = defaultdict(set)
    revenue: dict[str, list[float]] = defaultdict(list)
    for o in data["orders"]:
        persona = personas.get(o["customer_id"])
        if persona:
            buyers[persona].add(o["customer_id"])
            revenue[persona].append(float(o["amount"]))
    rate = {p: len(buyers[p]) / n for p, n in people.items()}
    assert rate["anonymous_visitor"] == 0
    assert rate["practitioner"] > 1.5 * rate["bargain_hunter"]
    aov = {p: sum(v) / len(v) for p, v in revenue.items()}
    assert aov["enterprise_buyer"] > 10 * aov["smb_owner"] > 10 * aov["bargain_hunter"] / 3
    assert aov["smb_owner"] > aov["bargain_hunter"]
    nps: dict[str, list[int]] = defaultdict(list)
    csat: dict[str, list[int]] = defaultdict(list)
    for s in data["survey_responses"]:
        persona = personas.get(s["user_id"], "sales_only")
        if s["survey_type"] == "nps":
            nps[persona].append(int(s["score"]))
        elif s["survey_type"] == "csat":
            csat[persona].append(int(s["score"]))
    assert _nps(nps["practitioner"]) > _nps(nps["smb_owner"]) + 10
    assert _nps(nps["smb_owner"]) > _nps(nps["bargain_hunter"]) + 30
    assert _nps(nps["smb_owner"]) > _nps(nps["enterprise_buyer"] + nps["sales_only"]) + 15
    mean = {p: sum(v) / len(v) for p, v in csat.items()}
    assert mean["practitioner"] > mean["bargain_hunter"] + 0.8
    # bargain hunters abandon carts far more often
    carts: dict[str, Counter] = defaultdict(Counter)
    for e in data["events"]:
        if e["user_id"] and e["event_type"] in ("add_to_cart", "purchase"):
            carts[personas[e["user_id"]]][e["event_type"]] += 1
    abandon = {
        p: 1 - c["purchase"] / c["add_to_cart"] for p, c in carts.items() if c["add_to_cart"]
    }
    assert abandon["bargain_hunter"] > abandon["practitioner"] + 0.15


def test_unresolved_tickets_hurt_scores_and_retention(demo: tuple) -> None:
    _, _, data = demo
    opened: dict[str, str] = {}
    resolved = set()
    for e in data["events"]:
        if e["event_type"] == "support_ticket_opened":
            opened[json.loads(e["properties"])["ticket_id"]] = e["user_id"]
        elif e["event_type"] == "support_ticket_resolved":
            resolved.add(json.loads(e["properties"])["ticket_id"])
    unhappy = {u for t, u in opened.items() if t not in resolved}
    assert unhappy
    scores: dict[bool, list[int]] = defaultdict(list)
    for s in data["survey_responses"]:
        if s["survey_type"] in ("csat", "nps") and s["touchpoint"] in (
            "support_ticket",
            "product",
            "",
        ):
            top = 10 if s["survey_type"] == "nps" else 5
            scores[s["user_id"] in unhappy].append(int(s["score"]) / top)
    assert sum(scores[True]) / len(scores[True]) < sum(scores[False]) / len(scores[False]) - 0.1


def test_channel_contrasts(demo: tuple) -> None:
    _, _, data = demo
    visits: Counter = Counter()
    bounces: Counter = Counter()
    for session in _sessions(data["events"]):
        medium = _medium(session[0])
        visits[medium] += 1
        bounces[medium] += len(session) == 1
    bounce = {m: bounces[m] / visits[m] for m in visits}
    assert bounce["paid_social"] > bounce["organic_search"] + 0.15
    assert bounce["display"] > bounce["referral"] + 0.2
    # first visit channel of each browser -> share of browsers that later identify
    first: dict[str, str] = {}
    identified = set()
    for e in data["events"]:
        if e["anonymous_id"] and e["device"] != "app":
            first.setdefault(e["anonymous_id"], _medium(e))
            if e["user_id"]:
                identified.add(e["anonymous_id"])
    share = defaultdict(list)
    for anon, medium in first.items():
        share[medium].append(anon in identified)
    rate = {m: sum(v) / len(v) for m, v in share.items()}
    assert rate["referral"] > 1.5 * rate["display"]
    assert rate["organic_search"] > rate["paid_social"]


# ------------------------------------------------------------------ reference staging rules

NOW = dt.datetime.now(dt.UTC)
_CODES = {
    "status": ("completed", "refunded", "cancelled"),
    "order_channel": ("web", "app", "pos", "sales"),
    "survey_type": tuple(SCORE_RANGE),
    "survey_channel": ("email", "sms", "in_app", "web", "social", "phone"),
    "channel": SPEND_CHANNELS,
}
_BOOLS = ("true", "false", "1", "0", "yes", "no")


def _v(row: dict[str, str], col: str) -> str:
    return (row.get(col) or "").strip()


def _ts(value: str) -> dt.datetime | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:?\d{2})?", value):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _time_reason(row: dict[str, str], col: str, what: str) -> str | None:
    value = _v(row, col)
    if not value:
        return f"missing_{what}"
    parsed = _ts(value)
    if parsed is None:
        return f"malformed_{what}"
    if parsed > NOW + dt.timedelta(days=1):
        return f"future_{what}"
    return None


def _number(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and re.fullmatch(r"-?\d+(\.\d+)?", value) else None


def _key(table: str, row: dict[str, str]) -> tuple[str, str | None]:
    """Return (manifest key, key-fault reason)."""
    if table == "marketing_spend":
        raw = "|".join(row[c] for c in ("spend_date", "channel", "campaign_id"))
        if not _v(row, "spend_date"):
            return raw, "missing_spend_date"
        try:
            dt.date.fromisoformat(_v(row, "spend_date"))
        except ValueError:
            return raw, "malformed_spend_date"
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", _v(row, "spend_date")):
            return raw, "malformed_spend_date"
        for col in ("channel", "campaign_id"):
            if not _v(row, col):
                return raw, f"missing_{col}"
        return raw, None
    col = HEADERS[table][0]
    return (row[col], None) if _v(row, col) else ("", f"missing_{col}")


def _row_reason(table: str, row: dict[str, str]) -> str | None:  # noqa: C901, PLR0911, PLR0912
    """First non-key, non-duplicate fault of a row (None = valid)."""
    if table == "events":
        if not _v(row, "event_type"):
            return "missing_event_type"
        if not _v(row, "anonymous_id") and not _v(row, "user_id"):
            return "missing_identity"
        reason = _time_reason(row, "occurred_at", "occurred_at")
        if reason:
            return reason
        props = None
        if _v(row, "properties"):
            try:
                props = json.loads(_v(row, "properties"))
            except ValueError:
                return "malformed_properties"
            if not isinstance(props, dict):
                return "malformed_properties"
        if _v(row, "event_type").lower() == "scroll":
            depth = (props or {}).get("depth_pct")
            if (
                isinstance(depth, bool)
                or not isinstance(depth, int | float)
                or not 0 <= depth <= 100
            ):
                return "invalid_scroll_depth"
        return None
    if table == "leads":
        reason = _time_reason(row, "created_at", "created_at")
        if reason:
            return reason
        for col in ("mql_at", "sql_at", "opportunity_at", "won_at", "lost_at"):
            if _v(row, col) and _ts(_v(row, col)) is None:
                return "malformed_lifecycle_at"
        deal = _v(row, "deal_amount")
        if deal and _number(deal) is None:
            return "malformed_deal_amount"
        if deal and _number(deal) < 0:
            return "negative_deal_amount"
        return None
    if table == "orders":
        if not _v(row, "customer_id"):
            return "missing_customer_id"
        reason = _time_reason(row, "ordered_at", "ordered_at")
        if reason:
            return reason
        if _v(row, "status").lower() not in _CODES["status"]:
            return "unknown_status"
        if _v(row, "order_channel").lower() not in _CODES["order_channel"]:
            return "unknown_order_channel"
        for col in ("amount", "cost"):
            number = _number(_v(row, col))
            if number is None:
                return f"malformed_{col}"
            if number < 0:
                return f"negative_{col}"
        if not re.fullmatch(r"[1-9]\d*", _v(row, "items")):
            return "invalid_items"
        if _v(row, "is_trial_conversion").lower() not in _BOOLS:
            return "malformed_is_trial_conversion"
        return None
    if table == "survey_responses":
        if not _v(row, "user_id"):
            return "missing_user_id"
        stype = _v(row, "survey_type").lower()
        if stype not in _CODES["survey_type"]:
            return "unknown_survey_type"
        if not _v(row, "score"):
            return "missing_score"
        if not re.fullmatch(r"-?\d+", _v(row, "score")):
            return "malformed_score"
        lo, hi = SCORE_RANGE[stype]
        if not lo <= int(_v(row, "score")) <= hi:
            return "score_out_of_range"
        reason = _time_reason(row, "submitted_at", "submitted_at")
        if reason:
            return reason
        if _v(row, "survey_channel").lower() not in _CODES["survey_channel"]:
            return "unknown_survey_channel"
        return None
    # marketing_spend
    if dt.date.fromisoformat(_v(row, "spend_date")) > NOW.date() + dt.timedelta(days=1):
        return "future_spend_date"
    if _v(row, "channel").lower() not in _CODES["channel"]:
        return "unknown_channel"
    metrics = [_number(_v(row, c)) for c in ("impressions", "clicks", "spend")]
    if any(m is None for m in metrics):
        return "malformed_metric"
    if any(m < 0 for m in metrics):
        return "negative_metric"
    if metrics[1] > metrics[0]:
        return "clicks_exceed_impressions"
    position = _v(row, "avg_position")
    if position and (_number(position) is None or _number(position) < 1):
        return "invalid_avg_position"
    return None


def staging_rejects(data: dict[str, list[dict[str, str]]]) -> Counter:
    """Apply the contract's staging rules; returns a Counter of (table, key, reason)."""
    out: Counter = Counter()
    for table in TABLES:
        rows = data[table]
        keyed: dict[str, list[int]] = defaultdict(list)
        for i, row in enumerate(rows):
            key, fault = _key(table, row)
            if fault:
                out[(table, key, fault)] += 1
            else:
                keyed[key].append(i)
        for key, idx in keyed.items():
            survivor = max(idx, key=lambda i: rows[i]["_loaded_at"].strip())
            for i in idx:
                if i != survivor:
                    out[(table, key, "duplicate")] += 1
                    continue
                reason = _row_reason(table, rows[i])
                if reason:
                    out[(table, key, reason)] += 1
    return out


def _manifest(directory: Path, name: str) -> list[dict[str, str]]:
    with (directory / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_normal_data_passes_staging_rules(demo: tuple) -> None:
    """Clean mode: the only rejects are the superseded loads of leads and orders."""
    _, _, data = demo
    rejects = staging_rejects(data)
    assert rejects
    assert {(t, r) for t, _, r in rejects} == {("leads", "duplicate"), ("orders", "duplicate")}


def test_dirty_manifest_reasons_and_coverage(dirty: Path) -> None:
    rejects = _manifest(dirty, "expected_rejects.csv")
    per_reason = Counter((r["table"], r["reason"]) for r in rejects)
    for table, reasons in REJECT_REASONS.items():
        for reason in reasons:
            assert per_reason[(table, reason)] >= 2, (table, reason)
    assert set(per_reason) <= {(t, r) for t, rs in REJECT_REASONS.items() for r in rs}
    kept = _manifest(dirty, "expected_kept.csv")
    assert {r["note"] for r in kept} == set(KEPT_NOTES)


def test_dirty_csvs_parse_and_keys_exist(dirty: Path) -> None:
    data = read_all(dirty)
    for table in TABLES:
        assert all(len(row) == len(HEADERS[table]) and None not in row for row in data[table])
    comments = [s["comment"] for s in data["survey_responses"]]
    assert any("\n" in c for c in comments) and any("日本語" in c for c in comments)
    keys = {t: Counter(_key(t, row)[0] for row in data[t]) for t in TABLES}
    for entry in _manifest(dirty, "expected_rejects.csv"):
        if entry["key"]:
            assert keys[entry["table"]][entry["key"]] >= 1, entry
    for entry in _manifest(dirty, "expected_kept.csv"):
        assert keys[entry["table"]][entry["key"]] == 1, entry


def test_dirty_manifest_matches_reference_staging(dirty: Path) -> None:
    """The manifest lists exactly what the contract's staging rules reject, nothing else."""
    data = read_all(dirty)
    expected = Counter(
        (r["table"], r["key"], r["reason"]) for r in _manifest(dirty, "expected_rejects.csv")
    )
    assert staging_rejects(data) == expected
    kept = _manifest(dirty, "expected_kept.csv")
    rejected_keys = {(t, k) for t, k, _ in expected}
    assert not [k for k in kept if (k["table"], k["key"]) in rejected_keys]
    known_users = {e["user_id"] for e in data["events"]} | {
        lead["user_id"] for lead in data["leads"]
    }
    by_key = {(t, _key(t, row)[0]): row for t in TABLES for row in data[t]}
    for entry in kept:
        row = by_key[(entry["table"], entry["key"])]
        if entry["note"] == "orphan_key":
            assert (row.get("customer_id") or row.get("user_id")) not in known_users


def test_cli_rejects_bad_arguments(tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "datagen", "--people", "0", "--out", str(tmp_path)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2 and "people" in proc.stderr


def test_parquet_output_matches_csv(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    generate(GeneratorConfig(people=120, seed=5, out=tmp_path / "csv", dirty=True))
    generate(GeneratorConfig(people=120, seed=5, out=tmp_path / "pq", fmt="parquet", dirty=True))
    assert not list((tmp_path / "pq").glob(".datagen-*"))  # temp files cleaned up
    con = duckdb.connect()
    for table in TABLES:
        path = str(tmp_path / "pq" / f"{table}.parquet")
        described = con.execute(
            "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))", [path]
        )
        columns = described.fetchall()
        assert [c for c, _ in columns] == list(HEADERS[table])
        assert {t for _, t in columns} == {"VARCHAR"}
        got = con.execute("SELECT * FROM read_parquet(?)", [path]).fetchall()
        want = [
            tuple(v if v != "" else None for v in row.values())
            for row in read_table(tmp_path / "csv", table)
        ]
        assert got == want, table
