"""Independent reference implementation of a representative set of journey KPIs.

Everything here is recomputed in plain Python (standard library only) from the raw demo CSVs
(seeds/raw) and the reference seeds (seeds/reference). Nothing is read from the dbt build, so
pytests/test_kpi_recompute.py can compare `marts.mart_kpi_values` against numbers that were
produced by a second, independent implementation of the binding rules of the issue-4 design
("Exact KPI rules" and "KPI layer").

Readings taken where the design leaves room (each is also stated where it is implemented):

1. Site hosts: a referrer is internal when its host *is* a site host or a sub-domain of one
   (`www.journeyco.example` is internal for site_hosts = ['journeyco.example']). Only an
   external referrer is a source, sets `has_referrer = yes` or feeds the source category.
2. Source category: from the lower-cased utm_source when there is one, else from the host of
   an external referrer; `none` when there is neither, `unknown` when no pattern matches.
   traffic_source_categories patterns are tried in file order, the first match wins.
3. utm_medium LIKE: `(none)` matches only a missing medium (a literal `(none)` medium, as in
   the demo's `unknown_src` rows, is NOT missing); `%` also matches a missing medium; any
   other pattern needs a medium.
4. Session split: the gap is measured exactly (seconds > timeout x 60), not as a count of
   minute boundaries. A source-carrying event splits when its tuple (utm_source, utm_medium,
   external referrer host) differs from the tuple of the session's first event (the all-null
   tuple for a session that started without a source).
5. Persona rules: `crm` rules need a lead (the latest by created_at, then lead_id); `behaviour`
   and `catch_all` rules apply to everyone (identified or not) whose earlier rules did not
   match; completed orders, AOV and engagement events count over the person's whole history
   (all stitched events, server-side ones included).
6. NPS, CSAT and CES denominators count answers (a person answering twice counts twice).
7. as_of = latest date among all clean events, orders (any status), survey answers and spend
   dates. A customer is churned when the DATE of churned_at is <= as_of (the data is taken as
   complete through the whole as-of day); churn_rate and repeat_purchase_rate are emitted
   only for months with period_start <= as_of and a denominator > 0.
8. CAC slices by channel over the union of channels with spend or with new customers in the
   month: a channel with new customers and no spend (e.g. direct) has CAC = 0, a channel with
   spend and no new customer keeps its row (spend / 0, value None), and the mart must hold it.
   A new customer counts for the last_non_direct channel (see 11) of their first completed
   order (var attribution_kpi_model at its default), not their acquisition channel.
9. Lead scoring counts the stitched events of the lead's person up to the lead's close
   (won_at or lost_at, the earlier if both; an open lead counts them all), also events
   before the lead was created. A lead without user_id is the person `lead:<lead_id>` (no
   events, `unattributed`: a person without a session has no acquisition touch, never
   `direct`).
10. A session's purchase event converts when its `order_id` property is an order whose latest
    load is `completed`, or when it has no `order_id` at all (a conversion on its own
    evidence); a session converts once however many purchases it holds. Server-side events
    (no anonymous_id) belong to the person (activity, lead score, engagement) but to no
    session.
11. Touches of an order: the buyer's sessions that started at or before the order and no
    more than attribution_lookback_days before it (both bounds inclusive). Last touch: the
    latest of them; last_non_direct (the default of var attribution_kpi_model): the latest
    touch whose channel is not direct, else the latest direct touch; `unattributed` when
    there is no touch. ROAS = last_non_direct revenue of completed orders / spend, for paid channels
    (spend > 0 somewhere in the data) only; its `all` row pools the paid channels. A paid
    channel with revenue and no spend in a month keeps its row (revenue / 0).
    marketing_efficiency_ratio = all completed revenue / all spend, channel `all` only.
12. Activity (catalog "Activity": MAU, churn) = an event whose type the stage map marks
    is_engagement_event (types missing from it count), or a completed order. page_view,
    email_open and support_ticket_resolved are not activity. active_users counts distinct
    identified people (a user_id, or an anonymous id stitched to one; a customer known only
    to commerce is identified too) active in the month, by the person's acquisition channel.
13. video_completion_rate = video_complete events / video_start events of the month, and
    avg_time_on_page_s = engagement_time_s of page views / page views that carry one, each
    event sliced by the channel of its own session (events without a session are left out),
    like the session KPIs.
14. trial_to_paid_rate: trial_start events of the month (person's acquisition channel) that
    have a completed order of the person at or after the trial and at most
    trial_conversion_window_days later (to the second) / trial_start events.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache, cached_property
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

ALL = "all"
DIRECT = "direct"
UNATTRIBUTED = "unattributed"

# Home journey stage of every KPI this module recomputes (the KPI catalog's stage column).
KPI_STAGES: dict[str, str] = {
    "nps": "advocacy",
    "csat": "retention",
    "customer_effort_score": "retention",
    "conversion_rate": "conversion",
    "bounce_rate": "consideration",
    "average_order_value": "conversion",
    "customer_acquisition_cost": "conversion",
    "churn_rate": "retention",
    "repeat_purchase_rate": "retention",
    "lead_to_mql_rate": "conversion",
    "click_through_rate": "awareness",
    "return_on_ad_spend": "conversion",
    "marketing_efficiency_ratio": "conversion",
    "active_users": "onboarding",
    "video_completion_rate": "consideration",
    "avg_time_on_page_s": "consideration",
    "trial_to_paid_rate": "conversion",
}
# KPIs that are counts (denominator null, value = numerator), not ratios.
TOTAL_KPIS = frozenset({"active_users"})
# KPIs whose numerator is money (compared within an absolute tolerance, not exactly).
MONEY_NUMERATOR_KPIS = frozenset(
    {
        "average_order_value",
        "customer_acquisition_cost",
        "return_on_ad_spend",
        "marketing_efficiency_ratio",
    }
)
# KPIs whose denominator is money (spend).
MONEY_DENOMINATOR_KPIS = frozenset({"return_on_ad_spend", "marketing_efficiency_ratio"})
# KPIs sliced by channel only (persona is always `all`).
CHANNEL_ONLY_KPIS = frozenset(
    {
        "customer_acquisition_cost",
        "click_through_rate",
        "return_on_ad_spend",
        "marketing_efficiency_ratio",
    }
)
# KPIs whose rows with a zero denominator and a non-zero numerator must be in the mart (the
# catalog's rule: such a row is kept, value null, so that roll-ups lose nothing).
KEEPS_ZERO_DENOMINATOR_ROWS = frozenset(
    {"customer_acquisition_cost", "return_on_ad_spend", "marketing_efficiency_ratio"}
)

SURVEY_SCORE_RANGES: dict[str, tuple[int, int]] = {
    "nps": (0, 10),
    "csat": (1, 5),
    "ces": (1, 7),
    "review": (1, 5),
    "brand_recall": (0, 1),
}
ORDER_STATUSES = frozenset({"completed", "refunded", "cancelled"})


# --------------------------------------------------------------------------------------
# Configuration (the project's vars; defaults = dbt_project.yml)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    """The dbt vars the reference depends on (defaults mirror dbt_project.yml)."""

    site_hosts: tuple[str, ...] = ("journeyco.example",)
    session_timeout_minutes: int = 30
    conversion_event_types: tuple[str, ...] = ()
    mql_threshold: int = 50
    churn_inactivity_days: int = 90
    attribution_lookback_days: int = 30
    trial_conversion_window_days: int = 30
    as_of_date: date | None = None


# --------------------------------------------------------------------------------------
# Raw rows (cleaned to the degree staging does for the demo data)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """One clean tracked event (stg_tracking__events, the fields the KPIs need)."""

    event_id: str
    event_type: str
    occurred_at: datetime
    anonymous_id: str | None = None
    user_id: str | None = None
    page_url: str | None = None
    referrer_url: str | None = None
    utm_source: str | None = None
    utm_medium: str | None = None
    order_id: str | None = None
    form_id: str | None = None
    engagement_time_s: Decimal | None = None


@dataclass(frozen=True)
class Lead:
    """One clean CRM lead (stg_crm__leads)."""

    lead_id: str
    user_id: str | None
    created_at: datetime
    job_role: str = "unknown"
    company_size: str = "unknown"
    mql_at: datetime | None = None
    won_at: datetime | None = None
    lost_at: datetime | None = None

    @property
    def closed_at(self) -> datetime | None:
        """When the deal was decided (won or lost; the earlier if both), else None."""
        closes = [moment for moment in (self.won_at, self.lost_at) if moment is not None]
        return min(closes) if closes else None

    @property
    def person_id(self) -> str:
        """The user_id, or `lead:<lead_id>` for a lead that was never tied to a user."""
        return self.user_id if self.user_id is not None else f"lead:{self.lead_id}"


@dataclass(frozen=True)
class Order:
    """One clean order (stg_commerce__orders)."""

    order_id: str
    customer_id: str
    ordered_at: datetime
    status: str
    amount: Decimal

    @property
    def is_completed(self) -> bool:
        """True for status `completed` (refunded and cancelled orders are not revenue)."""
        return self.status == "completed"


@dataclass(frozen=True)
class SurveyResponse:
    """One clean survey answer (stg_surveys__responses)."""

    response_id: str
    user_id: str
    survey_type: str
    score: int
    submitted_at: datetime


@dataclass(frozen=True)
class Spend:
    """One clean marketing-spend row (stg_ads__marketing_spend)."""

    spend_date: date
    channel: str
    campaign_id: str
    impressions: int
    clicks: int
    spend: Decimal


@dataclass(frozen=True)
class RawInputs:
    """The five raw tables after cleaning and de-duplication."""

    events: list[Event]
    leads: list[Lead]
    orders: list[Order]
    responses: list[SurveyResponse]
    spend: list[Spend]


# --------------------------------------------------------------------------------------
# Reference seeds
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelRule:
    """One row of seed channel_rules."""

    rule_order: int
    channel: str
    source_category: str
    utm_medium_like: str
    has_referrer: str


@dataclass(frozen=True)
class SourceCategoryPattern:
    """One row of seed traffic_source_categories."""

    pattern: str
    source_category: str


@dataclass(frozen=True)
class ScoringRule:
    """One row of seed lead_scoring_rules."""

    rule_id: str
    signal_type: str
    match_value: str
    points: int
    max_points: int


@dataclass(frozen=True)
class PersonaRule:
    """One row of seed persona_rules."""

    rule_order: int
    persona: str
    basis: str
    job_roles: str = "*"
    company_sizes: str = "*"
    min_completed_orders: int | None = None
    max_avg_order_value: Decimal | None = None
    min_engagement_events: int | None = None


@dataclass(frozen=True)
class Seeds:
    """The reference seeds the KPIs depend on."""

    channel_rules: list[ChannelRule]
    source_categories: list[SourceCategoryPattern]
    engagement_by_event_type: dict[str, bool]
    scoring_rules: list[ScoringRule]
    persona_rules: list[PersonaRule]


# --------------------------------------------------------------------------------------
# Text cleaning and parsing (mirrors macros/parsing.sql for the values the demo holds)
# --------------------------------------------------------------------------------------


# Unicode White_Space characters and the byte-order mark (macro trim_whitespace).
WHITESPACE = (
    "\t\n\v\f\r \x85\xa0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000\ufeff"
)  # fmt: skip


def clean_text(value: str | None) -> str | None:
    """Trim white space at both ends (tabs, no-break spaces, BOM, ...); blank -> None."""
    if value is None:
        return None
    value = value.strip(WHITESPACE)
    return value or None


def clean_code(value: str | None) -> str | None:
    """clean_text, lower-cased."""
    text = clean_text(value)
    return text.lower() if text is not None else None


def parse_timestamp(value: str | None) -> datetime | None:
    """ISO-8601 timestamp -> naive UTC datetime (an explicit offset is honoured); else None."""
    text = clean_text(value)
    if text is None:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def parse_date(value: str | None) -> date | None:
    """`YYYY-MM-DD` -> date; else None."""
    text = clean_text(value)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_decimal(value: str | None) -> Decimal | None:
    """Decimal number or None."""
    text = clean_text(value)
    if text is None:
        return None
    try:
        number = Decimal(text)
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


def parse_int(value: str | None) -> int | None:
    """Whole number read exactly (`7`, `+7`, `7.0`; not `7.5` or `9.9999999`) or None."""
    text = clean_text(value)
    if text is None or not re.fullmatch(r"[+-]?[0-9]+(\.0*)?", text):
        return None
    number = int(text.split(".")[0])
    return number if -(2**63) <= number < 2**63 else None


def json_text(properties: str | None, key: str) -> str | None:
    """Value of a top-level key of a JSON object as text (None when absent or not an object)."""
    if properties is None:
        return None
    try:
        parsed = json.loads(properties)
    except ValueError:
        return None
    if not isinstance(parsed, dict) or parsed.get(key) is None:
        return None
    value = parsed[key]
    return value if isinstance(value, str) else json.dumps(value)


def latest_load(
    rows: Iterable[dict[str, str]],
    key: Sequence[str],
    tiebreak: Sequence[str],
) -> list[dict[str, str]]:
    """Keep one row per natural key: the latest `_loaded_at` wins.

    Mirrors macros/staging.sql load_rank: ties on `_loaded_at` go to the smallest raw values of
    the tiebreak columns (in order, blank last); an unparseable `_loaded_at` counts as oldest.
    The key is compared on the cleaned (trimmed) text. Rows with a blank key are dropped.
    """

    def rank(row: dict[str, str]) -> tuple:
        loaded = parse_timestamp(row.get("_loaded_at"))
        loaded_key = (0, -loaded.timestamp()) if loaded else (1, 0.0)
        ties = tuple(
            (1, "") if clean_text(row.get(c)) is None else (0, clean_text(row.get(c)))
            for c in tiebreak
        )
        return (loaded_key, ties)

    best: dict[tuple, dict[str, str]] = {}
    for row in rows:
        natural_key = tuple(clean_text(row.get(column)) for column in key)
        if any(part is None for part in natural_key):
            continue
        if natural_key not in best or rank(row) < rank(best[natural_key]):
            best[natural_key] = row
    return list(best.values())


def read_csv(path: Path) -> list[dict[str, str]]:
    """Read a CSV file into dicts (all values text)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_raw(raw_dir: Path) -> RawInputs:
    """Read and clean the five raw CSVs (dedup on the natural key, codes trimmed/lower-cased).

    Only the staging checks that can matter for the demo data are repeated: rows whose key,
    timestamp or score cannot be used are dropped (staging rejects them too).
    """
    events: list[Event] = []
    event_rows = latest_load(
        read_csv(raw_dir / "events.csv"),
        ["event_id"],
        [
            "event_type",
            "occurred_at",
            "anonymous_id",
            "user_id",
            "page_url",
            "referrer_url",
            "utm_source",
            "utm_medium",
            "utm_campaign",
            "utm_term",
            "device",
            "properties",
        ],
    )
    for row in event_rows:
        occurred_at = parse_timestamp(row["occurred_at"])
        event_type = clean_code(row["event_type"])
        anonymous_id, user_id = clean_text(row["anonymous_id"]), clean_text(row["user_id"])
        if occurred_at is None or event_type is None or (anonymous_id is None and user_id is None):
            continue
        properties = clean_text(row["properties"])
        events.append(
            Event(
                event_id=clean_text(row["event_id"]) or "",
                event_type=event_type,
                occurred_at=occurred_at,
                anonymous_id=anonymous_id,
                user_id=user_id,
                page_url=clean_text(row["page_url"]),
                referrer_url=clean_text(row["referrer_url"]),
                utm_source=clean_code(row["utm_source"]),
                utm_medium=clean_code(row["utm_medium"]),
                order_id=json_text(properties, "order_id"),
                form_id=json_text(properties, "form_id"),
                engagement_time_s=parse_decimal(json_text(properties, "engagement_time_s")),
            )
        )

    leads: list[Lead] = []
    lead_columns = [
        "user_id",
        "email",
        "lead_source",
        "job_role",
        "company_size",
        "industry",
        "deal_amount",
        "created_at",
        "mql_at",
        "sql_at",
        "opportunity_at",
        "won_at",
        "lost_at",
    ]
    for row in latest_load(read_csv(raw_dir / "leads.csv"), ["lead_id"], lead_columns):
        created_at = parse_timestamp(row["created_at"])
        if created_at is None:
            continue
        company_size = clean_code(row["company_size"])
        leads.append(
            Lead(
                lead_id=clean_text(row["lead_id"]) or "",
                user_id=clean_text(row["user_id"]),
                created_at=created_at,
                job_role=clean_code(row["job_role"]) or "unknown",
                company_size=company_size
                if company_size in {"1-10", "11-50", "51-200", "201-1000", "1001+"}
                else "unknown",
                mql_at=parse_timestamp(row["mql_at"]),
                won_at=parse_timestamp(row["won_at"]),
                lost_at=parse_timestamp(row["lost_at"]),
            )
        )

    orders: list[Order] = []
    order_columns = [
        "customer_id",
        "order_channel",
        "status",
        "currency",
        "amount",
        "cost",
        "items",
        "is_trial_conversion",
        "ordered_at",
    ]
    for row in latest_load(read_csv(raw_dir / "orders.csv"), ["order_id"], order_columns):
        ordered_at = parse_timestamp(row["ordered_at"])
        amount = parse_decimal(row["amount"])
        status = clean_code(row["status"])
        customer_id = clean_text(row["customer_id"])
        if ordered_at is None or amount is None or customer_id is None:
            continue
        if status not in ORDER_STATUSES:
            continue
        orders.append(
            Order(
                order_id=clean_text(row["order_id"]) or "",
                customer_id=customer_id,
                ordered_at=ordered_at,
                status=status,
                amount=amount,
            )
        )

    responses: list[SurveyResponse] = []
    response_columns = [
        "user_id",
        "survey_type",
        "survey_channel",
        "touchpoint",
        "comment",
        "score",
        "submitted_at",
    ]
    rows = read_csv(raw_dir / "survey_responses.csv")
    for row in latest_load(rows, ["response_id"], response_columns):
        survey_type = clean_code(row["survey_type"])
        score = parse_int(row["score"])
        submitted_at = parse_timestamp(row["submitted_at"])
        user_id = clean_text(row["user_id"])
        if survey_type not in SURVEY_SCORE_RANGES or score is None or submitted_at is None:
            continue
        low, high = SURVEY_SCORE_RANGES[survey_type]
        if user_id is None or not low <= score <= high:
            continue
        responses.append(
            SurveyResponse(
                response_id=clean_text(row["response_id"]) or "",
                user_id=user_id,
                survey_type=survey_type,
                score=score,
                submitted_at=submitted_at,
            )
        )

    spend: list[Spend] = []
    spend_rows = [
        {**row, "channel": clean_code(row["channel"]) or ""}
        for row in read_csv(raw_dir / "marketing_spend.csv")
    ]
    spend_columns = ["impressions", "clicks", "spend", "avg_position", "is_branded"]
    for row in latest_load(spend_rows, ["spend_date", "channel", "campaign_id"], spend_columns):
        spend_date = parse_date(row["spend_date"])
        impressions, clicks = parse_int(row["impressions"]), parse_int(row["clicks"])
        amount = parse_decimal(row["spend"])
        if spend_date is None or impressions is None or clicks is None or amount is None:
            continue
        spend.append(
            Spend(
                spend_date=spend_date,
                channel=row["channel"],
                campaign_id=clean_text(row["campaign_id"]) or "",
                impressions=impressions,
                clicks=clicks,
                spend=amount,
            )
        )
    return RawInputs(events=events, leads=leads, orders=orders, responses=responses, spend=spend)


def _optional_int(value: str) -> int | None:
    return int(value) if value.strip() else None


def load_seeds(reference_dir: Path) -> Seeds:
    """Read the reference seeds the recomputed KPIs depend on."""
    channel_rules = sorted(
        (
            ChannelRule(
                rule_order=int(row["rule_order"]),
                channel=row["channel"].strip(),
                source_category=row["source_category"].strip(),
                utm_medium_like=row["utm_medium_like"].strip(),
                has_referrer=row["has_referrer"].strip(),
            )
            for row in read_csv(reference_dir / "channel_rules.csv")
        ),
        key=lambda rule: rule.rule_order,
    )
    source_categories = [
        SourceCategoryPattern(row["pattern"].strip(), row["source_category"].strip())
        for row in read_csv(reference_dir / "traffic_source_categories.csv")
    ]
    engagement = {
        row["event_type"].strip().lower(): row["is_engagement_event"].strip().lower() == "true"
        for row in read_csv(reference_dir / "journey_stage_map.csv")
    }
    scoring_rules = [
        ScoringRule(
            rule_id=row["rule_id"],
            signal_type=row["signal_type"].strip(),
            match_value=row["match_value"].strip(),
            points=int(row["points"]),
            max_points=int(row["max_points"]),
        )
        for row in read_csv(reference_dir / "lead_scoring_rules.csv")
    ]
    persona_rules = sorted(
        (
            PersonaRule(
                rule_order=int(row["rule_order"]),
                persona=row["persona"].strip(),
                basis=row["basis"].strip(),
                job_roles=row["job_roles"].strip(),
                company_sizes=row["company_sizes"].strip(),
                min_completed_orders=_optional_int(row["min_completed_orders"]),
                max_avg_order_value=parse_decimal(row["max_avg_order_value"]),
                min_engagement_events=_optional_int(row["min_engagement_events"]),
            )
            for row in read_csv(reference_dir / "persona_rules.csv")
        ),
        key=lambda rule: rule.rule_order,
    )
    return Seeds(channel_rules, source_categories, engagement, scoring_rules, persona_rules)


# --------------------------------------------------------------------------------------
# Channels
# --------------------------------------------------------------------------------------


@cache
def like_regex(pattern: str) -> re.Pattern[str]:
    """Compile a SQL LIKE pattern (`%` any run of characters, `_` one character)."""
    parts = [".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in pattern]
    return re.compile("".join(parts), re.DOTALL)


def sql_like(value: str | None, pattern: str) -> bool:
    """`value LIKE pattern` (False for a NULL value, as a SQL filter treats NULL)."""
    return value is not None and like_regex(pattern).fullmatch(value) is not None


def url_host(url: str | None) -> str | None:
    """Lower-cased host of a URL, or None."""
    if url is None:
        return None
    try:
        return urlsplit(url).hostname or None
    except ValueError:
        return None


def url_path(url: str | None) -> str | None:
    """Path of a URL (`/pricing`), or None when there is no URL."""
    if url is None:
        return None
    try:
        return urlsplit(url).path or "/"
    except ValueError:
        return None


def is_site_host(host: str, site_hosts: Iterable[str]) -> bool:
    """True when host is one of the site hosts or a sub-domain of one (reading 1)."""
    return any(host == site or host.endswith("." + site) for site in site_hosts)


def external_referrer_host(referrer_url: str | None, site_hosts: Iterable[str]) -> str | None:
    """Host of the referrer when it is external (not one of the site's own hosts)."""
    host = url_host(referrer_url)
    if host is None or is_site_host(host, site_hosts):
        return None
    return host


def source_category(
    utm_source: str | None,
    external_host: str | None,
    patterns: Sequence[SourceCategoryPattern],
) -> str:
    """search / social / unknown / none for a source (reading 2)."""
    value = utm_source if utm_source is not None else external_host
    if value is None:
        return "none"
    for pattern in patterns:
        if sql_like(value.lower(), pattern.pattern):
            return pattern.source_category
    return "unknown"


def medium_matches(utm_medium: str | None, pattern: str) -> bool:
    """utm_medium LIKE pattern, with `(none)` = missing medium and `%` = anything (reading 3)."""
    if pattern == "(none)":
        return utm_medium is None
    if utm_medium is None:
        return set(pattern) == {"%"}
    return sql_like(utm_medium, pattern)


def classify_channel(
    utm_source: str | None,
    utm_medium: str | None,
    external_host: str | None,
    seeds: Seeds,
) -> str:
    """Channel of one event's source: the first channel rule (by rule_order) that matches."""
    category = source_category(utm_source, external_host, seeds.source_categories)
    for rule in seeds.channel_rules:
        if rule.source_category not in ("any", category):
            continue
        if not medium_matches(utm_medium, rule.utm_medium_like):
            continue
        if rule.has_referrer == "yes" and external_host is None:
            continue
        if rule.has_referrer == "no" and external_host is not None:
            continue
        return rule.channel
    return "other"


# --------------------------------------------------------------------------------------
# Identity and sessions
# --------------------------------------------------------------------------------------


def stitch_identities(events: Iterable[Event]) -> dict[str, str]:
    """anonymous_id -> user_id: the first user_id it was seen with (by occurred_at, event_id)."""
    stitched: dict[str, str] = {}
    identified = sorted(
        (e for e in events if e.anonymous_id is not None and e.user_id is not None),
        key=lambda e: (e.occurred_at, e.event_id),
    )
    for event in identified:
        assert event.anonymous_id is not None and event.user_id is not None
        stitched.setdefault(event.anonymous_id, event.user_id)
    return stitched


def person_of_event(event: Event, stitched: Mapping[str, str]) -> str:
    """person_id of an event: its own user_id, else the stitched user of its anonymous_id,
    else the anonymous_id (a shared device: the logged-in user keeps their own events)."""
    if event.user_id is not None:
        return event.user_id
    assert event.anonymous_id is not None
    return stitched.get(event.anonymous_id, event.anonymous_id)


SourceTuple = tuple[str | None, str | None, str | None]


@dataclass(frozen=True)
class SessionEvent:
    """The fields sessionisation looks at."""

    person_id: str
    event_id: str
    occurred_at: datetime
    source: SourceTuple | None  # None: the event carries no source


def event_source(event: Event, site_hosts: Iterable[str]) -> SourceTuple | None:
    """(utm_source, utm_medium, external referrer host), or None when the event has no source."""
    host = external_referrer_host(event.referrer_url, site_hosts)
    if event.utm_source is None and event.utm_medium is None and host is None:
        return None
    return (event.utm_source, event.utm_medium, host)


def sessionize(events: Iterable[SessionEvent], timeout_minutes: int) -> dict[str, str]:
    """event_id -> event_id of the first event of its session.

    Per person, in (occurred_at, event_id) order, a new session starts when the gap to the
    previous event is more than timeout_minutes (exactly: seconds > timeout x 60), or when
    the event carries a source that differs from the source of the session's first event
    (None = the session started without a source). Events without a source never split.
    """
    by_person: dict[str, list[SessionEvent]] = defaultdict(list)
    for event in events:
        by_person[event.person_id].append(event)
    timeout = timedelta(minutes=timeout_minutes)
    first_of: dict[str, str] = {}
    for person_events in by_person.values():
        person_events.sort(key=lambda e: (e.occurred_at, e.event_id))
        session_first: SessionEvent | None = None
        previous: SessionEvent | None = None
        for event in person_events:
            new_session = (
                session_first is None
                or previous is None
                or event.occurred_at - previous.occurred_at > timeout
                or (event.source is not None and event.source != session_first.source)
            )
            if new_session:
                session_first = event
            assert session_first is not None
            first_of[event.event_id] = session_first.event_id
            previous = event
    return first_of


@dataclass
class Session:
    """One built session with the attributes the session KPIs need."""

    first_event_id: str
    person_id: str
    started_at: datetime
    channel: str
    page_views: int = 0
    engagement_events: int = 0
    is_converting: bool = False

    @property
    def is_bounced(self) -> bool:
        """At most one page view and no engagement event."""
        return self.page_views <= 1 and self.engagement_events == 0


def is_engagement_event(event_type: str, engagement_by_type: Mapping[str, bool]) -> bool:
    """Seed journey_stage_map; event types missing from it are generic engagement (True)."""
    return engagement_by_type.get(event_type, True)


# --------------------------------------------------------------------------------------
# Leads and personas
# --------------------------------------------------------------------------------------


def capped(total: int, max_points: int, points: int) -> int:
    """A rule's total capped at max_points (a floor for negative points)."""
    return max(total, max_points) if points < 0 else min(total, max_points)


def lead_score(
    job_role: str | None,
    company_size: str | None,
    person_events: Iterable[Event],
    rules: Sequence[ScoringRule],
) -> int:
    """CRM points (counted once) + behaviour points of the person's events, capped per rule."""
    events = list(person_events)
    score = 0
    for rule in rules:
        if rule.signal_type == "job_role":
            occurrences = int(job_role == rule.match_value)
        elif rule.signal_type == "company_size":
            occurrences = int(company_size == rule.match_value)
        elif rule.signal_type == "event_type":
            occurrences = sum(1 for e in events if e.event_type == rule.match_value)
        elif rule.signal_type == "page_path":
            occurrences = sum(
                1
                for e in events
                if e.event_type == "page_view" and sql_like(url_path(e.page_url), rule.match_value)
            )
        elif rule.signal_type == "form_id":
            occurrences = sum(
                1 for e in events if e.event_type == "form_submit" and e.form_id == rule.match_value
            )
        else:
            raise ValueError(f"unknown signal_type {rule.signal_type!r}")
        score += capped(occurrences * rule.points, rule.max_points, rule.points)
    return score


@dataclass(frozen=True)
class PersonFacts:
    """What persona rules look at for one person."""

    job_role: str | None = None  # None: the person has no lead
    company_size: str | None = None
    completed_orders: int = 0
    revenue: Decimal = Decimal(0)
    engagement_events: int = 0

    @property
    def average_order_value(self) -> Decimal | None:
        """Revenue / completed orders (None without orders)."""
        return self.revenue / self.completed_orders if self.completed_orders else None


def _option_matches(options: str, value: str | None) -> bool:
    if options == "*":
        return True
    return value is not None and value in options.split("|")


def assign_persona(facts: PersonFacts, rules: Sequence[PersonaRule]) -> str:
    """Persona of the first matching rule by rule_order (reading 5).

    `*` matches any value (also no lead); `|` separates options; an empty condition is no
    condition. A `crm` rule needs the person to have a lead.
    """
    for rule in sorted(rules, key=lambda r: r.rule_order):
        has_lead = facts.job_role is not None
        if rule.basis == "crm" and not has_lead:
            continue
        if not _option_matches(rule.job_roles, facts.job_role):
            continue
        if not _option_matches(rule.company_sizes, facts.company_size):
            continue
        if (
            rule.min_completed_orders is not None
            and facts.completed_orders < rule.min_completed_orders
        ):
            continue
        if rule.max_avg_order_value is not None:
            aov = facts.average_order_value
            if aov is None or aov > rule.max_avg_order_value:
                continue
        if (
            rule.min_engagement_events is not None
            and facts.engagement_events < rule.min_engagement_events
        ):
            continue
        return rule.persona
    return "unassigned"


# --------------------------------------------------------------------------------------
# Customers and churn
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Customer:
    """A person with at least one completed order."""

    person_id: str
    first_order_at: datetime
    second_order_at: datetime | None
    last_activity_at: datetime
    churned_at: datetime | None


def churned_at(
    last_activity_at: datetime, churn_inactivity_days: int, as_of: date
) -> datetime | None:
    """last activity + window when its date is <= as_of (the as-of day is complete), else None."""
    due = last_activity_at + timedelta(days=churn_inactivity_days)
    return due if due.date() <= as_of else None


def is_customer_at_start(customer: Customer, period_start: date) -> bool:
    """First completed order before period_start and not churned before it."""
    start = datetime.combine(period_start, datetime.min.time())
    return customer.first_order_at < start and (
        customer.churned_at is None or customer.churned_at >= start
    )


# --------------------------------------------------------------------------------------
# Periods and slicing
# --------------------------------------------------------------------------------------


def month_start(day: date | datetime) -> date:
    """First day of the month of a date or timestamp."""
    return date(day.year, day.month, 1)


def next_month(month: date) -> date:
    """First day of the following month."""
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def months_between(first: date, last: date) -> Iterator[date]:
    """Month starts from month(first) to month(last), inclusive."""
    month = month_start(first)
    while month <= last:
        yield month
        month = next_month(month)


def slice_keys(channel: str, persona: str, slice_personas: bool = True) -> list[tuple[str, str]]:
    """The (channel, persona) slices one row counts in: itself and the `all` roll-ups."""
    personas = [persona, ALL] if slice_personas else [ALL]
    return [(c, p) for c in (channel, ALL) for p in personas]


Number = int | Decimal


def monthly_totals(
    items: Iterable[tuple[date | datetime, str, str, Number, Number]],
    slice_personas: bool = True,
) -> dict[tuple[str, str, date], list[Number]]:
    """Sum (numerator, denominator) per (channel, persona, month), `all` computed directly.

    items: (period date, channel, persona, numerator part, denominator part).
    """
    totals: dict[tuple[str, str, date], list[Number]] = defaultdict(lambda: [0, 0])
    for when, channel, persona, numerator, denominator in items:
        month = month_start(when)
        for slice_channel, slice_persona in slice_keys(channel, persona, slice_personas):
            pair = totals[(slice_channel, slice_persona, month)]
            pair[0] += numerator
            pair[1] += denominator
    return dict(totals)


class KpiRow(NamedTuple):
    """One month-grain row of the reference KPI table (denominator None for a count)."""

    kpi_name: str
    channel: str
    persona: str
    period_start: date
    numerator: Number
    denominator: Number | None
    value: float | None


KpiKey = tuple[str, str, str, date]


def ratio_value(numerator: Number, denominator: Number) -> float | None:
    """numerator / denominator, None when the denominator is 0."""
    if denominator == 0:
        return None
    return float(Decimal(numerator) / Decimal(denominator))


def nps_points(score: int) -> int:
    """+100 for a promoter (9-10), -100 for a detractor (0-6), 0 for a passive (7-8)."""
    return 100 if score >= 9 else -100 if score <= 6 else 0


def nps(scores: Iterable[int]) -> float | None:
    """NPS of a list of 0..10 answers: % promoters - % detractors (None when empty)."""
    points = [nps_points(score) for score in scores]
    return ratio_value(sum(points), len(points))


# --------------------------------------------------------------------------------------
# The journey model (people, sessions, leads, customers)
# --------------------------------------------------------------------------------------


@dataclass
class JourneyModel:
    """People, sessions, leads and customers derived from the raw inputs."""

    config: Config
    as_of: date
    sessions: list[Session]
    acquisition_channel: dict[str, str]
    persona: dict[str, str]
    lead_is_mql: dict[str, bool]
    lead_scores: dict[str, int]
    customers: dict[str, Customer]
    person_events: dict[str, list[Event]] = field(repr=False)
    # event_id -> channel of the event's session (web events only)
    session_channel_of_event: dict[str, str] = field(default_factory=dict, repr=False)
    # stage-map flag per event type (activity = engagement events)
    engagement_by_event_type: dict[str, bool] = field(default_factory=dict, repr=False)

    def channel_of(self, person_id: str) -> str:
        """Acquisition channel of a person (`unattributed` without any session)."""
        return self.acquisition_channel.get(person_id, UNATTRIBUTED)

    @cached_property
    def sessions_by_person(self) -> dict[str, list[Session]]:
        """The sessions of each person."""
        by_person: dict[str, list[Session]] = defaultdict(list)
        for session in self.sessions:
            by_person[session.person_id].append(session)
        return dict(by_person)

    def touches(self, person_id: str, converted_at: datetime) -> list[Session]:
        """Sessions of the person started within the lookback window, oldest first."""
        window_start = converted_at - timedelta(days=self.config.attribution_lookback_days)
        return sorted(
            (
                s
                for s in self.sessions_by_person.get(person_id, [])
                if window_start <= s.started_at <= converted_at
            ),
            key=lambda s: s.started_at,
        )

    def last_touch_channel(self, order: Order) -> str:
        """Channel of the buyer's latest session in the lookback window, else unattributed."""
        touches = self.touches(order.customer_id, order.ordered_at)
        return touches[-1].channel if touches else UNATTRIBUTED

    def last_non_direct_channel(self, person_id: str, converted_at: datetime) -> str:
        """The catalog KPIs' attribution (last_non_direct, GA4's default).

        The latest touch in the lookback window whose channel is not direct; when every
        touch is direct, the latest direct touch; `unattributed` when there is no touch.
        """
        touches = self.touches(person_id, converted_at)
        if not touches:
            return UNATTRIBUTED
        non_direct = [s for s in touches if s.channel != DIRECT]
        return (non_direct or touches)[-1].channel

    def persona_of(self, person_id: str) -> str:
        """Persona of a person (computed for every known person)."""
        return self.persona[person_id]


def compute_as_of(raw: RawInputs, config: Config) -> date:
    """var as_of_date, else the latest date of any event, order, survey answer or spend row."""
    if config.as_of_date is not None:
        return config.as_of_date
    candidates = [e.occurred_at.date() for e in raw.events]
    candidates += [o.ordered_at.date() for o in raw.orders]
    candidates += [r.submitted_at.date() for r in raw.responses]
    candidates += [s.spend_date for s in raw.spend]
    return max(candidates)


def build_journey_model(raw: RawInputs, seeds: Seeds, config: Config) -> JourneyModel:
    """Identity stitching, sessions, acquisition channels, lead scores, personas, churn."""
    stitched = stitch_identities(raw.events)
    person_events: dict[str, list[Event]] = defaultdict(list)
    event_person: dict[str, str] = {}
    for event in raw.events:
        person = person_of_event(event, stitched)
        person_events[person].append(event)
        event_person[event.event_id] = person

    # Sessions: events with an anonymous_id only.
    web_events = sorted(
        (e for e in raw.events if e.anonymous_id is not None),
        key=lambda e: (e.occurred_at, e.event_id),
    )
    sources = {e.event_id: event_source(e, config.site_hosts) for e in web_events}
    first_of = sessionize(
        (
            SessionEvent(event_person[e.event_id], e.event_id, e.occurred_at, sources[e.event_id])
            for e in web_events
        ),
        config.session_timeout_minutes,
    )
    completed_order_ids = {o.order_id for o in raw.orders if o.is_completed}
    conversion_types = set(config.conversion_event_types)
    sessions: dict[str, Session] = {}
    session_channel_of_event: dict[str, str] = {}
    for event in web_events:  # in (occurred_at, event_id) order: the first event comes first
        session_key = first_of[event.event_id]
        session = sessions.get(session_key)
        if session is None:
            source = sources[event.event_id]
            channel = (
                DIRECT
                if source is None
                else classify_channel(source[0], source[1], source[2], seeds)
            )
            session = Session(session_key, event_person[event.event_id], event.occurred_at, channel)
            sessions[session_key] = session
        session_channel_of_event[event.event_id] = session.channel
        session.page_views += event.event_type == "page_view"
        session.engagement_events += is_engagement_event(
            event.event_type, seeds.engagement_by_event_type
        )
        if (
            event.event_type == "purchase"
            and (not (event.order_id or "").strip() or event.order_id in completed_order_ids)
        ) or event.event_type in conversion_types:
            session.is_converting = True

    acquisition: dict[str, str] = {}
    for session in sorted(sessions.values(), key=lambda s: (s.started_at, s.first_event_id)):
        acquisition.setdefault(session.person_id, session.channel)

    # Leads: score, MQL; the latest lead per person feeds the persona.
    lead_scores: dict[str, int] = {}
    lead_is_mql: dict[str, bool] = {}
    latest_lead: dict[str, Lead] = {}
    for lead in raw.leads:
        # Behaviour up to the close only: what happened after the deal was decided cannot
        # have predicted it.
        closed_at = lead.closed_at
        score = lead_score(
            lead.job_role,
            lead.company_size,
            [
                event
                for event in person_events.get(lead.person_id, [])
                if closed_at is None or event.occurred_at <= closed_at
            ],
            seeds.scoring_rules,
        )
        lead_scores[lead.lead_id] = score
        lead_is_mql[lead.lead_id] = score >= config.mql_threshold or lead.mql_at is not None
        current = latest_lead.get(lead.person_id)
        if current is None or (lead.created_at, lead.lead_id) > (
            current.created_at,
            current.lead_id,
        ):
            latest_lead[lead.person_id] = lead

    # Orders per customer.
    completed_by_person: dict[str, list[Order]] = defaultdict(list)
    for order in raw.orders:
        if order.is_completed:
            completed_by_person[order.customer_id].append(order)

    # Personas for every known person.
    people = set(person_events) | {lead.person_id for lead in raw.leads}
    people |= {o.customer_id for o in raw.orders} | {r.user_id for r in raw.responses}
    persona: dict[str, str] = {}
    for person in people:
        lead = latest_lead.get(person)
        orders = completed_by_person.get(person, [])
        facts = PersonFacts(
            job_role=lead.job_role if lead else None,
            company_size=lead.company_size if lead else None,
            completed_orders=len(orders),
            revenue=sum((o.amount for o in orders), Decimal(0)),
            engagement_events=sum(
                is_engagement_event(e.event_type, seeds.engagement_by_event_type)
                for e in person_events.get(person, [])
            ),
        )
        persona[person] = assign_persona(facts, seeds.persona_rules)

    # Customers and churn.
    as_of = compute_as_of(raw, config)
    customers: dict[str, Customer] = {}
    for person, orders in completed_by_person.items():
        ordered = sorted(orders, key=lambda o: (o.ordered_at, o.order_id))
        activity = [o.ordered_at for o in ordered]
        activity += [
            e.occurred_at
            for e in person_events.get(person, [])
            if is_engagement_event(e.event_type, seeds.engagement_by_event_type)
        ]
        last_activity = max(activity)
        customers[person] = Customer(
            person_id=person,
            first_order_at=ordered[0].ordered_at,
            second_order_at=ordered[1].ordered_at if len(ordered) > 1 else None,
            last_activity_at=last_activity,
            churned_at=churned_at(last_activity, config.churn_inactivity_days, as_of),
        )

    return JourneyModel(
        config=config,
        as_of=as_of,
        sessions=list(sessions.values()),
        acquisition_channel=acquisition,
        persona=persona,
        lead_is_mql=lead_is_mql,
        lead_scores=lead_scores,
        customers=customers,
        person_events=dict(person_events),
        session_channel_of_event=session_channel_of_event,
        engagement_by_event_type=dict(seeds.engagement_by_event_type),
    )


# --------------------------------------------------------------------------------------
# KPIs
# --------------------------------------------------------------------------------------


def _rows(
    kpi_name: str, totals: Mapping[tuple[str, str, date], Sequence[Number]]
) -> dict[KpiKey, KpiRow]:
    return {
        (kpi_name, channel, persona, month): KpiRow(
            kpi_name, channel, persona, month, num, den, ratio_value(num, den)
        )
        for (channel, persona, month), (num, den) in totals.items()
    }


def compute_kpis(raw: RawInputs, model: JourneyModel) -> dict[KpiKey, KpiRow]:
    """Month-grain rows of every recomputed KPI, per channel x persona incl. `all` roll-ups."""
    rows: dict[KpiKey, KpiRow] = {}

    # Surveys (by submitted date; respondent's acquisition channel and persona).
    def survey_items(
        survey_type: str, numerator: Callable[[int], Number]
    ) -> Iterator[tuple[datetime, str, str, Number, Number]]:
        for r in raw.responses:
            if r.survey_type == survey_type:
                yield (
                    r.submitted_at,
                    model.channel_of(r.user_id),
                    model.persona_of(r.user_id),
                    numerator(r.score),
                    1,
                )

    rows |= _rows("nps", monthly_totals(survey_items("nps", nps_points)))
    rows |= _rows("csat", monthly_totals(survey_items("csat", lambda s: int(4 <= s <= 5))))
    rows |= _rows("customer_effort_score", monthly_totals(survey_items("ces", lambda s: s)))

    # Sessions (session channel, person's persona).
    def session_items(
        flag: Callable[[Session], bool],
    ) -> Iterator[tuple[datetime, str, str, Number, Number]]:
        for s in model.sessions:
            yield (s.started_at, s.channel, model.persona_of(s.person_id), int(flag(s)), 1)

    rows |= _rows("conversion_rate", monthly_totals(session_items(lambda s: s.is_converting)))

    # Video completion: events over events, each in its own session's channel.
    rows |= _rows(
        "video_completion_rate",
        monthly_totals(
            (
                e.occurred_at,
                model.session_channel_of_event[e.event_id],
                model.persona_of(person),
                int(e.event_type == "video_complete"),
                int(e.event_type == "video_start"),
            )
            for person, events in model.person_events.items()
            for e in events
            if e.event_type in ("video_start", "video_complete")
            and e.event_id in model.session_channel_of_event
        ),
    )

    # Time on page: page views with an engagement time, in their own session's channel.
    rows |= _rows(
        "avg_time_on_page_s",
        monthly_totals(
            (
                e.occurred_at,
                model.session_channel_of_event[e.event_id],
                model.persona_of(person),
                e.engagement_time_s,
                1,
            )
            for person, events in model.person_events.items()
            for e in events
            if e.event_type == "page_view"
            and e.engagement_time_s is not None
            and e.event_id in model.session_channel_of_event
        ),
    )

    # Trials converted to a completed order within the window (person's acquisition channel).
    window = timedelta(days=model.config.trial_conversion_window_days)
    completed_at: dict[str, list[datetime]] = defaultdict(list)
    for o in raw.orders:
        if o.is_completed:
            completed_at[o.customer_id].append(o.ordered_at)
    rows |= _rows(
        "trial_to_paid_rate",
        monthly_totals(
            (
                e.occurred_at,
                model.channel_of(person),
                model.persona_of(person),
                int(
                    any(
                        e.occurred_at <= at <= e.occurred_at + window
                        for at in completed_at.get(person, [])
                    )
                ),
                1,
            )
            for person, events in model.person_events.items()
            for e in events
            if e.event_type == "trial_start"
        ),
    )

    # Active users: distinct identified people with an engagement event or a completed order.
    user_ids = {e.user_id for e in raw.events if e.user_id is not None}
    tracked = set(model.person_events)
    active: set[tuple[str, str, date]] = set()
    for person, events in model.person_events.items():
        if person in user_ids:
            for e in events:
                if model.engagement_by_event_type.get(e.event_type, True):
                    active.add((person, model.persona_of(person), month_start(e.occurred_at)))
    for o in raw.orders:
        person = o.customer_id
        identified = person in user_ids or (
            person not in tracked and not person.startswith("lead:")
        )
        if o.is_completed and identified:
            active.add((person, model.persona_of(person), month_start(o.ordered_at)))
    active_counts = monthly_totals(
        (month, model.channel_of(person), persona, 1, 0) for person, persona, month in active
    )
    rows |= {
        ("active_users", channel, persona, month): KpiRow(
            "active_users", channel, persona, month, num, None, float(num)
        )
        for (channel, persona, month), (num, _) in active_counts.items()
    }
    rows |= _rows("bounce_rate", monthly_totals(session_items(lambda s: s.is_bounced)))

    # Orders (completed; customer's acquisition channel and persona).
    rows |= _rows(
        "average_order_value",
        monthly_totals(
            (
                o.ordered_at,
                model.channel_of(o.customer_id),
                model.persona_of(o.customer_id),
                o.amount,
                1,
            )
            for o in raw.orders
            if o.is_completed
        ),
    )

    # Spend KPIs (spend row's channel; persona `all` only).
    rows |= _rows(
        "click_through_rate",
        monthly_totals(
            ((s.spend_date, s.channel, ALL, s.clicks, s.impressions) for s in raw.spend),
            slice_personas=False,
        ),
    )
    cac_items: list[tuple[date | datetime, str, str, Number, Number]] = [
        (s.spend_date, s.channel, ALL, s.spend, 0) for s in raw.spend
    ]
    # New customers: the first completed order's last_non_direct channel (the default of var
    # attribution_kpi_model), not the person's acquisition channel.
    cac_items += [
        (
            c.first_order_at,
            model.last_non_direct_channel(c.person_id, c.first_order_at),
            ALL,
            Decimal(0),
            1,
        )
        for c in model.customers.values()
    ]
    rows |= _rows("customer_acquisition_cost", monthly_totals(cac_items, slice_personas=False))

    # ROAS: last_non_direct revenue of paid channels (spend > 0 somewhere) / their spend; `all`
    # pools the paid channels. Blended revenue / spend: marketing_efficiency_ratio.
    spend_by_channel: dict[str, Decimal] = defaultdict(Decimal)
    for s in raw.spend:
        spend_by_channel[s.channel] += s.spend
    paid = {channel for channel, total in spend_by_channel.items() if total > 0}
    completed = [o for o in raw.orders if o.is_completed]
    roas_items: list[tuple[date | datetime, str, str, Number, Number]] = [
        (s.spend_date, s.channel, ALL, Decimal(0), s.spend) for s in raw.spend if s.channel in paid
    ]
    for order in completed:
        channel = model.last_non_direct_channel(order.customer_id, order.ordered_at)
        if channel in paid:
            roas_items.append((order.ordered_at, channel, ALL, order.amount, Decimal(0)))
    rows |= _rows("return_on_ad_spend", monthly_totals(roas_items, slice_personas=False))
    blended: dict[tuple[str, str, date], list[Number]] = defaultdict(lambda: [0, 0])
    for s in raw.spend:
        blended[(ALL, ALL, month_start(s.spend_date))][1] += s.spend
    for order in completed:
        blended[(ALL, ALL, month_start(order.ordered_at))][0] += order.amount
    rows |= _rows("marketing_efficiency_ratio", blended)

    # Leads (cohort = created in the month; person's acquisition channel and persona).
    rows |= _rows(
        "lead_to_mql_rate",
        monthly_totals(
            (
                lead.created_at,
                model.channel_of(lead.person_id),
                model.persona_of(lead.person_id),
                int(model.lead_is_mql[lead.lead_id]),
                1,
            )
            for lead in raw.leads
        ),
    )

    # Customer stocks, month by month up to the as-of date.
    if model.customers:
        first_month = min(c.first_order_at for c in model.customers.values())
        months = list(months_between(first_month.date(), model.as_of))
        churn_items = []
        repeat_items = []
        for month in months:
            start = datetime.combine(month, datetime.min.time())
            end = datetime.combine(next_month(month), datetime.min.time())
            for c in model.customers.values():
                channel, persona = model.channel_of(c.person_id), model.persona_of(c.person_id)
                if is_customer_at_start(c, month):
                    churned = c.churned_at is not None and start <= c.churned_at < end
                    churn_items.append((month, channel, persona, int(churned), 1))
                if c.first_order_at < end:
                    repeated = c.second_order_at is not None and c.second_order_at < end
                    repeat_items.append((month, channel, persona, int(repeated), 1))
        rows |= _rows("churn_rate", monthly_totals(churn_items))
        rows |= _rows("repeat_purchase_rate", monthly_totals(repeat_items))
    return rows


REPO_ROOT = Path(__file__).resolve().parent.parent


def compute_reference(
    repo_root: Path = REPO_ROOT, config: Config | None = None
) -> tuple[JourneyModel, dict[KpiKey, KpiRow]]:
    """Load the demo CSVs and seeds of a checkout and recompute the KPIs."""
    config = config or Config()
    raw = load_raw(repo_root / "seeds" / "raw")
    seeds = load_seeds(repo_root / "seeds" / "reference")
    model = build_journey_model(raw, seeds, config)
    return model, compute_kpis(raw, model)
