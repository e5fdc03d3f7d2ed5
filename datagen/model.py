"""Static parameters of the JourneyCo world: personas, channels, campaigns, products, pages.

Everything here is immutable data (tuples, frozen dataclasses, read-only mappings). The
simulation draws from it with its own `random.Random` instances, so this module holds no
mutable state.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from types import MappingProxyType
from typing import Generic, TypeVar

T = TypeVar("T")

SITE = "https://www.journeyco.example"

# Column order of the raw data contract (one tuple per output table).
HEADERS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        "events": (
            "event_id",
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
            "_loaded_at",
        ),
        "leads": (
            "lead_id",
            "user_id",
            "email",
            "created_at",
            "lead_source",
            "job_role",
            "company_size",
            "industry",
            "mql_at",
            "sql_at",
            "opportunity_at",
            "won_at",
            "lost_at",
            "deal_amount",
            "_loaded_at",
        ),
        "orders": (
            "order_id",
            "customer_id",
            "ordered_at",
            "order_channel",
            "status",
            "amount",
            "cost",
            "currency",
            "is_trial_conversion",
            "items",
            "_loaded_at",
        ),
        "survey_responses": (
            "response_id",
            "user_id",
            "survey_type",
            "score",
            "submitted_at",
            "survey_channel",
            "touchpoint",
            "comment",
            "_loaded_at",
        ),
        "marketing_spend": (
            "spend_date",
            "channel",
            "campaign_id",
            "impressions",
            "clicks",
            "spend",
            "avg_position",
            "is_branded",
            "_loaded_at",
        ),
    }
)
TABLES: tuple[str, ...] = tuple(HEADERS)


class Weighted(Generic[T]):
    """An immutable weighted choice over a fixed, ordered list of items."""

    __slots__ = ("_cum", "_total", "items")

    def __init__(self, pairs: tuple[tuple[T, float], ...]) -> None:
        """Build from `(item, weight)` pairs; weights need not sum to one."""
        self.items: tuple[T, ...] = tuple(item for item, _ in pairs)
        cum: list[float] = []
        total = 0.0
        for _, weight in pairs:
            total += weight
            cum.append(total)
        self._cum = tuple(cum)
        self._total = total

    def pick(self, rng: random.Random) -> T:
        """Return one item drawn with probability proportional to its weight."""
        return self.items[bisect.bisect_right(self._cum, rng.random() * self._total)]


def w(*pairs: tuple[T, float]) -> Weighted[T]:
    """Shorthand constructor for `Weighted`."""
    return Weighted(pairs)


# --------------------------------------------------------------------------------------
# Channels and campaigns
# --------------------------------------------------------------------------------------

CHANNELS: tuple[str, ...] = (
    "direct",
    "organic_search",
    "paid_search",
    "organic_social",
    "paid_social",
    "email",
    "sms",
    "referral",
    "display",
    "affiliate",
    "offline",
    "other",
)

# Relative propensity of a visit from this channel to lead to identification / purchase.
CHANNEL_QUALITY: MappingProxyType[str, float] = MappingProxyType(
    {
        "direct": 1.15,
        "organic_search": 1.35,
        "paid_search": 1.05,
        "organic_social": 0.85,
        "paid_social": 0.6,
        "email": 1.25,
        "sms": 0.8,
        "referral": 1.7,
        "display": 0.4,
        "affiliate": 0.85,
        "offline": 1.4,
        "other": 0.5,
    }
)

# Probability that a browsing visit from this channel is a single page view.
CHANNEL_BOUNCE: MappingProxyType[str, float] = MappingProxyType(
    {
        "direct": 0.28,
        "organic_search": 0.34,
        "paid_search": 0.36,
        "organic_social": 0.45,
        "paid_social": 0.62,
        "email": 0.3,
        "sms": 0.48,
        "referral": 0.24,
        "display": 0.66,
        "affiliate": 0.42,
        "offline": 0.2,
        "other": 0.5,
    }
)


@dataclass(frozen=True)
class Campaign:
    """A campaign of the spend table; `campaign_id` is also the events' utm_campaign."""

    campaign_id: str
    channel: str
    sources: tuple[str, ...]  # utm_source values used by this campaign's links
    medium: str  # utm_medium
    cpc: float  # average cost per click (0 for unpaid rows)
    ctr: float  # clicks / impressions
    branded: bool | None = None  # only for search campaigns


CAMPAIGNS: tuple[Campaign, ...] = (
    Campaign("ps_brand", "paid_search", ("google", "bing"), "cpc", 1.2, 0.22, True),
    Campaign("ps_generic", "paid_search", ("google", "bing"), "cpc", 4.6, 0.04, False),
    Campaign("ps_competitor", "paid_search", ("google",), "cpc", 6.3, 0.03, False),
    Campaign("psoc_linkedin_abm", "paid_social", ("linkedin",), "paid_social", 8.5, 0.006),
    Campaign(
        "psoc_meta_prospecting", "paid_social", ("facebook", "instagram"), "paid_social", 1.1, 0.009
    ),
    Campaign(
        "psoc_meta_retargeting", "paid_social", ("facebook", "instagram"), "paid_social", 0.8, 0.014
    ),
    Campaign("psoc_tiktok_awareness", "paid_social", ("tiktok",), "paid_social", 0.5, 0.007),
    Campaign("disp_prospecting", "display", ("gdn", "criteo"), "display", 0.7, 0.0015),
    Campaign("disp_retargeting", "display", ("criteo", "gdn"), "retargeting", 0.9, 0.004),
    Campaign(
        "aff_partners",
        "affiliate",
        ("techdeals_example", "reviewhub", "saasworthy_example"),
        "affiliate",
        1.6,
        0.01,
    ),
    Campaign(
        "aff_coupons", "affiliate", ("couponfollow_example", "dealspot"), "affiliate", 0.9, 0.015
    ),
    Campaign("em_newsletter", "email", ("newsletter",), "email", 0.0, 0.03),
    Campaign("em_nurture", "email", ("crm",), "email", 0.0, 0.04),
    Campaign("em_promo", "email", ("crm", "newsletter"), "email", 0.0, 0.025),
    Campaign("sms_promo", "sms", ("sms",), "sms", 0.0, 0.05),
    Campaign("sms_reminders", "sms", ("sms",), "sms", 0.0, 0.07),
    Campaign("off_tradeshow", "offline", ("trade_show",), "offline", 0.0, 0.02),
    Campaign("off_print", "offline", ("print",), "offline", 0.0, 0.001),
    Campaign("off_qr", "offline", ("qr",), "offline", 0.0, 0.01),
    Campaign("org_search_brand", "organic_search", ("google",), "organic", 0.0, 0.3, True),
    Campaign("org_search_generic", "organic_search", ("google",), "organic", 0.0, 0.025, False),
)
CAMPAIGN_BY_ID: MappingProxyType[str, Campaign] = MappingProxyType(
    {c.campaign_id: c for c in CAMPAIGNS}
)
SPEND_CHANNELS: tuple[str, ...] = (
    "paid_search",
    "paid_social",
    "display",
    "affiliate",
    "email",
    "sms",
    "offline",
    "organic_search",
)

# Which campaign a visit of a channel uses: (first-touch weights, returning-visit weights).
CAMPAIGN_PICK: MappingProxyType[str, tuple[Weighted[str], Weighted[str]]] = MappingProxyType(
    {
        "paid_search": (
            w(("ps_brand", 0.3), ("ps_generic", 0.55), ("ps_competitor", 0.15)),
            w(("ps_brand", 0.75), ("ps_generic", 0.2), ("ps_competitor", 0.05)),
        ),
        "paid_social": (
            w(
                ("psoc_linkedin_abm", 0.25),
                ("psoc_meta_prospecting", 0.5),
                ("psoc_tiktok_awareness", 0.25),
            ),
            w(
                ("psoc_meta_retargeting", 0.7),
                ("psoc_linkedin_abm", 0.2),
                ("psoc_meta_prospecting", 0.1),
            ),
        ),
        "display": (
            w(("disp_prospecting", 0.8), ("disp_retargeting", 0.2)),
            w(("disp_retargeting", 0.85), ("disp_prospecting", 0.15)),
        ),
        "affiliate": (
            w(("aff_partners", 0.55), ("aff_coupons", 0.45)),
            w(("aff_coupons", 0.6), ("aff_partners", 0.4)),
        ),
        "email": (
            w(("em_newsletter", 0.7), ("em_promo", 0.3)),
            w(("em_newsletter", 0.45), ("em_nurture", 0.35), ("em_promo", 0.2)),
        ),
        "sms": (
            w(("sms_promo", 0.8), ("sms_reminders", 0.2)),
            w(("sms_promo", 0.5), ("sms_reminders", 0.5)),
        ),
        "offline": (
            w(("off_tradeshow", 0.6), ("off_print", 0.15), ("off_qr", 0.25)),
            w(("off_qr", 0.6), ("off_print", 0.4)),
        ),
    }
)

SEARCH_TERMS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        "ps_brand": (
            "journeyco",
            "journeyco pricing",
            "journeyco login",
            "journeyco reviews",
            "journeyco demo",
        ),
        "ps_generic": (
            "customer journey analytics",
            "journey orchestration software",
            "marketing attribution tool",
            "customer journey mapping software",
            "nps survey software",
            "funnel analytics saas",
        ),
        "ps_competitor": ("acmeflow alternative", "journeyhub vs", "best cx analytics platform"),
    }
)
SEARCH_REFERRERS = w(
    ("https://www.google.com/", 0.82),
    ("https://www.bing.com/", 0.12),
    ("https://duckduckgo.com/", 0.06),
)
SOCIAL_REFERRERS = w(
    ("https://www.linkedin.com/", 0.4),
    ("https://t.co/", 0.2),
    ("https://www.facebook.com/", 0.25),
    ("https://www.instagram.com/", 0.15),
)
REFERRAL_REFERRERS = w(
    ("https://blog.partner-example.com/2025/journey-analytics-stack", 0.3),
    ("https://blog.partner-example.com/reviews/journeyco", 0.15),
    ("https://www.g2.example/products/journeyco/reviews", 0.3),
    ("https://www.g2.example/categories/customer-journey-analytics", 0.1),
    ("https://news.ycombinator.com/", 0.15),
)
OTHER_CHANNEL_TAGS = w(
    (("feedly", "partner_feed"), 0.4),
    (("pushwoosh", "push"), 0.25),
    (("newsbreak", "cross-network"), 0.2),
    (("unknown_src", "(none)"), 0.15),
)

# --------------------------------------------------------------------------------------
# Site
# --------------------------------------------------------------------------------------

BLOG_SLUGS: tuple[str, ...] = (
    "what-is-customer-journey-analytics",
    "attribution-models-explained",
    "reduce-churn-with-journeys",
    "nps-vs-csat-vs-ces",
    "sessionization-101",
    "first-party-data-playbook",
    "b2b-funnel-benchmarks-2025",
    "identity-stitching-guide",
)
CONTENT_ASSETS: tuple[str, ...] = (
    "journey-analytics-ebook",
    "kpi-template-xlsx",
    "attribution-whitepaper",
    "state-of-cx-report-2025",
    "onboarding-checklist",
    "roi-calculator",
)
VIDEO_IDS: tuple[str, ...] = (
    "product-tour",
    "journey-builder-demo",
    "customer-story-acme",
    "webinar-replay-attribution",
    "segments-in-5-minutes",
)
WEBINARS: tuple[str, ...] = ("attribution-masterclass", "cx-metrics-live")
FEATURES: tuple[str, ...] = (
    "dashboards",
    "journey_builder",
    "segments",
    "alerts",
    "api",
    "exports",
)
PAGE_TITLES: MappingProxyType[str, str] = MappingProxyType(
    {
        "/": "JourneyCo | Customer journey analytics",
        "/pricing": "Pricing | JourneyCo",
        "/product/journey-builder": "Journey Builder | JourneyCo",
        "/product/segments": "Segments | JourneyCo",
        "/product/dashboards": "Dashboards | JourneyCo",
        "/product/alerts": "Alerts | JourneyCo",
        "/product/api": "API | JourneyCo",
        "/integrations": "Integrations | JourneyCo",
        "/customers": "Customer stories | JourneyCo",
        "/about": "About us | JourneyCo",
        "/contact": "Contact sales | JourneyCo",
        "/signup": "Start your free trial | JourneyCo",
        "/demo": "Book a demo | JourneyCo",
        "/checkout": "Checkout | JourneyCo",
        "/offers/free-trial": "Free 14-day trial | JourneyCo",
        "/offers/spring-sale": "Sale: 30% off the first year | JourneyCo",
        "/shop": "Beacons & merch | JourneyCo",
        "/reviews": "Reviews | JourneyCo",
    }
)

PRODUCT_PAGES: tuple[str, ...] = (
    "/product/journey-builder",
    "/product/segments",
    "/product/dashboards",
    "/product/alerts",
    "/product/api",
)

# Landing pages per channel (path templates; `{blog}`, `{asset}`, `{webinar}` are filled at random).
LANDING: MappingProxyType[str, Weighted[str]] = MappingProxyType(
    {
        "direct": w(
            ("/", 0.6), ("/pricing", 0.2), ("/product/journey-builder", 0.1), ("/customers", 0.1)
        ),
        "organic_search": w(
            ("/blog/{blog}", 0.5),
            ("/", 0.2),
            ("/product/journey-builder", 0.1),
            ("/pricing", 0.1),
            ("/resources/{asset}", 0.1),
        ),
        "paid_search": w(
            ("/", 0.3),
            ("/pricing", 0.25),
            ("/product/journey-builder", 0.2),
            ("/offers/free-trial", 0.15),
            ("/demo", 0.1),
        ),
        "organic_social": w(
            ("/blog/{blog}", 0.55),
            ("/resources/{asset}", 0.2),
            ("/webinars/{webinar}", 0.15),
            ("/", 0.1),
        ),
        "paid_social": w(
            ("/offers/free-trial", 0.4),
            ("/resources/{asset}", 0.25),
            ("/product/journey-builder", 0.2),
            ("/offers/spring-sale", 0.15),
        ),
        "email": w(
            ("/blog/{blog}", 0.35),
            ("/webinars/{webinar}", 0.2),
            ("/pricing", 0.2),
            ("/offers/spring-sale", 0.15),
            ("/product/dashboards", 0.1),
        ),
        "sms": w(("/offers/spring-sale", 0.6), ("/pricing", 0.25), ("/shop", 0.15)),
        "referral": w(
            ("/", 0.35),
            ("/customers", 0.2),
            ("/pricing", 0.2),
            ("/signup", 0.15),
            ("/reviews", 0.1),
        ),
        "display": w(
            ("/offers/spring-sale", 0.45),
            ("/pricing", 0.25),
            ("/product/dashboards", 0.15),
            ("/offers/free-trial", 0.15),
        ),
        "affiliate": w(
            ("/pricing", 0.45), ("/offers/spring-sale", 0.35), ("/offers/free-trial", 0.2)
        ),
        "offline": w(("/demo", 0.4), ("/", 0.35), ("/customers", 0.15), ("/shop", 0.1)),
        "other": w(("/", 0.4), ("/blog/{blog}", 0.4), ("/pricing", 0.2)),
    }
)
NEXT_PAGE = w(
    ("/pricing", 0.2),
    ("/product/journey-builder", 0.1),
    ("/product/segments", 0.06),
    ("/product/dashboards", 0.07),
    ("/product/alerts", 0.03),
    ("/product/api", 0.04),
    ("/blog/{blog}", 0.18),
    ("/resources/{asset}", 0.08),
    ("/customers", 0.08),
    ("/integrations", 0.06),
    ("/about", 0.03),
    ("/", 0.05),
    ("/webinars/{webinar}", 0.02),
)

# --------------------------------------------------------------------------------------
# Products (prices in cents; margin = gross margin range)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Product:
    """A sellable item."""

    product_id: str
    price_cents: int
    margin: tuple[float, float]


PLANS: MappingProxyType[str, Product] = MappingProxyType(
    {
        "starter": Product("plan_starter", 2900, (0.8, 0.85)),
        "pro": Product("plan_pro", 7900, (0.8, 0.85)),
        "business": Product("plan_business", 19900, (0.78, 0.84)),
    }
)
ADDONS = w(
    (Product("addon_seats_5", 1500, (0.75, 0.85)), 0.35),
    (Product("addon_templates", 900, (0.8, 0.85)), 0.25),
    (Product("addon_api_pack", 4900, (0.7, 0.8)), 0.2),
    (Product("addon_data_export", 1900, (0.72, 0.82)), 0.2),
)
POS_ITEMS = w(
    (Product("hw_journey_beacon", 12900, (0.4, 0.45)), 0.3),
    (Product("hw_kiosk_tablet", 34900, (0.4, 0.44)), 0.1),
    (Product("merch_tshirt", 2500, (0.55, 0.65)), 0.3),
    (Product("merch_mug", 1200, (0.55, 0.62)), 0.2),
    (Product("merch_sticker_pack", 500, (0.6, 0.7)), 0.1),
)
SALES_MARGIN: tuple[float, float] = (0.75, 0.85)

# --------------------------------------------------------------------------------------
# CRM vocabularies
# --------------------------------------------------------------------------------------

INDUSTRIES: tuple[str, ...] = (
    "software",
    "retail",
    "finance",
    "healthcare",
    "education",
    "manufacturing",
    "media",
    "other",
)
FIRST_NAMES: tuple[str, ...] = (
    "ava",
    "ben",
    "chloe",
    "daniel",
    "emma",
    "felix",
    "grace",
    "hugo",
    "isla",
    "jonas",
    "kira",
    "liam",
    "maya",
    "noah",
    "olivia",
    "priya",
    "quinn",
    "rosa",
    "sam",
    "tariq",
    "uma",
    "victor",
    "wen",
    "yusuf",
    "zoe",
)
LAST_NAMES: tuple[str, ...] = (
    "adams",
    "becker",
    "chen",
    "diaz",
    "evans",
    "fischer",
    "garcia",
    "hansen",
    "ito",
    "jensen",
    "kowalski",
    "lopez",
    "muller",
    "nguyen",
    "okafor",
    "patel",
    "rossi",
    "silva",
    "tanaka",
    "weber",
    "young",
)
EMAIL_DOMAINS = w(("example.com", 0.55), ("example.org", 0.25), ("example.net", 0.2))

# --------------------------------------------------------------------------------------
# Survey comments
# --------------------------------------------------------------------------------------

COMMENTS_POSITIVE: tuple[str, ...] = (
    "Love the journey builder, it saves our team hours every week.",
    "Great product. The dashboards are exactly what we needed, and setup was quick.",
    'Support went "above and beyond" to fix our tracking plan.',
    "Onboarding was smooth; the checklist made it easy.",
    "Best analytics tool we've used, hands down.",
    "Segments + alerts = our favourite combo.",
)
COMMENTS_NEUTRAL: tuple[str, ...] = (
    "Does the job. Reporting could be more flexible, especially exports.",
    "Good overall, but pricing is a bit steep for a small team.",
    'The "journey builder" is nice, the API docs less so.',
    "Fine, though it took a while to get the data flowing.",
    "OK product, would like more integrations.",
)
COMMENTS_NEGATIVE: tuple[str, ...] = (
    "Too expensive, and the setup took way longer than promised.",
    'Support said "we\'ll get back to you" and never did.',
    "Still waiting on my ticket, very frustrating.",
    "Data was wrong in the dashboard, twice, and nobody could explain why.",
    "Cancelled: we only needed one report, not a whole platform.",
)
COMMENTS_MULTILINE: tuple[str, ...] = (
    "Overall good.\nBut the export to CSV breaks on large segments, please fix.",
    "Ticket open for 2 weeks.\nThinking about switching, honestly.",
)


# --------------------------------------------------------------------------------------
# Personas
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Persona:
    """Latent behavioural parameters of one kind of person (never written to the output)."""

    name: str
    weight: float
    first_channels: Weighted[str]
    devices: Weighted[str]
    max_visits_pre_id: tuple[int, int]
    mean_gap_days: float
    bounce_mult: float
    mean_pages: float
    content_affinity: float
    p_identify: float
    identify_modes: Weighted[str]  # signup | demo | content | chat
    p_lead_on_signup: float
    sales_only_share: float
    p_content_to_trial: float
    onboarding_completion: float
    p_buy_after_trial: float
    p_buy_without_trial: float
    p_in_app_first_purchase: float
    cart_abandon: float
    plans: Weighted[str]
    annual_share: float
    discount: tuple[float, float]
    addon_rate: float  # add-on purchases per active month
    pos_rate: float  # shop purchases per active year
    churn_monthly: float
    app_sessions_month: float
    web_visits_month: float
    ticket_rate_month: float
    p_ticket_resolved: float
    p_refund: float
    nps_detractor: float
    nps_promoter: float
    csat_mean: float
    ces_mean: float
    review_rate: float
    referral_rate_month: float
    sales_win_rate: float
    sales_cycle_days: tuple[int, int]
    deal_range: tuple[int, int]  # dollars
    job_roles: Weighted[str]
    company_sizes: Weighted[str]
    industries: Weighted[str]


_ANY_INDUSTRY = w(
    ("software", 0.3),
    ("retail", 0.15),
    ("finance", 0.12),
    ("healthcare", 0.1),
    ("education", 0.08),
    ("manufacturing", 0.1),
    ("media", 0.08),
    ("other", 0.07),
)

PERSONAS: tuple[Persona, ...] = (
    Persona(
        name="enterprise_buyer",
        weight=0.09,
        first_channels=w(
            ("paid_search", 22),
            ("organic_search", 20),
            ("offline", 16),
            ("referral", 14),
            ("email", 7),
            ("direct", 8),
            ("paid_social", 7),
            ("organic_social", 3),
            ("display", 1.5),
            ("affiliate", 0.5),
            ("other", 1),
        ),
        devices=w(("desktop", 0.8), ("mobile", 0.15), ("tablet", 0.05)),
        max_visits_pre_id=(2, 7),
        mean_gap_days=9.0,
        bounce_mult=0.8,
        mean_pages=2.8,
        content_affinity=0.2,
        p_identify=0.22,
        identify_modes=w(("demo", 0.6), ("content", 0.2), ("signup", 0.12), ("chat", 0.08)),
        p_lead_on_signup=0.95,
        sales_only_share=0.3,
        p_content_to_trial=0.25,
        onboarding_completion=0.6,
        p_buy_after_trial=0.18,
        p_buy_without_trial=0.0,
        p_in_app_first_purchase=0.0,
        cart_abandon=0.1,
        plans=w(("business", 0.8), ("pro", 0.2)),
        annual_share=0.7,
        discount=(0.0, 0.0),
        addon_rate=0.04,
        pos_rate=0.05,
        churn_monthly=0.015,
        app_sessions_month=1.3,
        web_visits_month=0.4,
        ticket_rate_month=0.22,
        p_ticket_resolved=0.82,
        p_refund=0.02,
        nps_detractor=0.27,
        nps_promoter=0.28,
        csat_mean=3.7,
        ces_mean=4.5,
        review_rate=0.06,
        referral_rate_month=0.01,
        sales_win_rate=0.35,
        sales_cycle_days=(30, 150),
        deal_range=(10_000, 120_000),
        job_roles=w(("executive", 0.55), ("manager", 0.45)),
        company_sizes=w(("201-1000", 0.5), ("1001+", 0.5)),
        industries=_ANY_INDUSTRY,
    ),
    Persona(
        name="smb_owner",
        weight=0.15,
        first_channels=w(
            ("paid_social", 22),
            ("paid_search", 22),
            ("organic_search", 20),
            ("direct", 8),
            ("referral", 6),
            ("email", 4),
            ("display", 5),
            ("affiliate", 4),
            ("organic_social", 5),
            ("sms", 2),
            ("offline", 1),
            ("other", 1),
        ),
        devices=w(("desktop", 0.55), ("mobile", 0.35), ("tablet", 0.1)),
        max_visits_pre_id=(1, 6),
        mean_gap_days=7.0,
        bounce_mult=1.0,
        mean_pages=2.6,
        content_affinity=0.12,
        p_identify=0.18,
        identify_modes=w(("signup", 0.78), ("demo", 0.08), ("content", 0.09), ("chat", 0.05)),
        p_lead_on_signup=0.7,
        sales_only_share=0.04,
        p_content_to_trial=0.4,
        onboarding_completion=0.55,
        p_buy_after_trial=0.36,
        p_buy_without_trial=0.05,
        p_in_app_first_purchase=0.1,
        cart_abandon=0.25,
        plans=w(("starter", 0.35), ("pro", 0.55), ("business", 0.1)),
        annual_share=0.3,
        discount=(0.0, 0.1),
        addon_rate=0.1,
        pos_rate=0.35,
        churn_monthly=0.035,
        app_sessions_month=1.4,
        web_visits_month=0.35,
        ticket_rate_month=0.14,
        p_ticket_resolved=0.86,
        p_refund=0.04,
        nps_detractor=0.12,
        nps_promoter=0.52,
        csat_mean=4.2,
        ces_mean=5.4,
        review_rate=0.12,
        referral_rate_month=0.05,
        sales_win_rate=0.45,
        sales_cycle_days=(10, 45),
        deal_range=(3_000, 15_000),
        job_roles=w(
            ("executive", 1.0),
        ),
        company_sizes=w(("1-10", 0.55), ("11-50", 0.45)),
        industries=_ANY_INDUSTRY,
    ),
    Persona(
        name="practitioner",
        weight=0.18,
        first_channels=w(
            ("organic_search", 30),
            ("organic_social", 18),
            ("referral", 18),
            ("direct", 14),
            ("paid_search", 6),
            ("email", 4),
            ("paid_social", 4),
            ("display", 2),
            ("affiliate", 1),
            ("sms", 0.5),
            ("offline", 1.5),
            ("other", 1),
        ),
        devices=w(("desktop", 0.75), ("mobile", 0.2), ("tablet", 0.05)),
        max_visits_pre_id=(2, 8),
        mean_gap_days=5.0,
        bounce_mult=0.8,
        mean_pages=3.0,
        content_affinity=0.36,
        p_identify=0.15,
        identify_modes=w(("signup", 0.58), ("content", 0.38), ("demo", 0.02), ("chat", 0.02)),
        p_lead_on_signup=0.5,
        sales_only_share=0.0,
        p_content_to_trial=0.55,
        onboarding_completion=0.86,
        p_buy_after_trial=0.3,
        p_buy_without_trial=0.02,
        p_in_app_first_purchase=0.15,
        cart_abandon=0.15,
        plans=w(("starter", 0.5), ("pro", 0.5)),
        annual_share=0.35,
        discount=(0.0, 0.0),
        addon_rate=0.08,
        pos_rate=0.05,
        churn_monthly=0.02,
        app_sessions_month=2.0,
        web_visits_month=0.5,
        ticket_rate_month=0.08,
        p_ticket_resolved=0.9,
        p_refund=0.02,
        nps_detractor=0.07,
        nps_promoter=0.68,
        csat_mean=4.4,
        ces_mean=5.8,
        review_rate=0.22,
        referral_rate_month=0.18,
        sales_win_rate=0.4,
        sales_cycle_days=(14, 60),
        deal_range=(5_000, 30_000),
        job_roles=w(("practitioner", 0.55), ("developer", 0.45)),
        company_sizes=w(
            ("1-10", 0.15), ("11-50", 0.25), ("51-200", 0.3), ("201-1000", 0.2), ("1001+", 0.1)
        ),
        industries=_ANY_INDUSTRY,
    ),
    Persona(
        name="bargain_hunter",
        weight=0.16,
        first_channels=w(
            ("display", 20),
            ("affiliate", 18),
            ("paid_social", 22),
            ("email", 10),
            ("sms", 8),
            ("paid_search", 8),
            ("organic_search", 6),
            ("direct", 4),
            ("organic_social", 2),
            ("referral", 1),
            ("other", 1),
        ),
        devices=w(("mobile", 0.6), ("desktop", 0.3), ("tablet", 0.1)),
        max_visits_pre_id=(1, 5),
        mean_gap_days=4.0,
        bounce_mult=1.3,
        mean_pages=2.1,
        content_affinity=0.04,
        p_identify=0.15,
        identify_modes=w(("signup", 0.9), ("content", 0.1)),
        p_lead_on_signup=0.07,
        sales_only_share=0.0,
        p_content_to_trial=0.2,
        onboarding_completion=0.3,
        p_buy_after_trial=0.22,
        p_buy_without_trial=0.12,
        p_in_app_first_purchase=0.6,
        cart_abandon=0.65,
        plans=w(("starter", 0.9), ("pro", 0.1)),
        annual_share=0.05,
        discount=(0.1, 0.3),
        addon_rate=0.12,
        pos_rate=0.3,
        churn_monthly=0.11,
        app_sessions_month=0.8,
        web_visits_month=0.5,
        ticket_rate_month=0.2,
        p_ticket_resolved=0.62,
        p_refund=0.1,
        nps_detractor=0.4,
        nps_promoter=0.2,
        csat_mean=3.2,
        ces_mean=3.9,
        review_rate=0.08,
        referral_rate_month=0.02,
        sales_win_rate=0.2,
        sales_cycle_days=(10, 30),
        deal_range=(1_000, 5_000),
        job_roles=w(("other", 0.45), ("student", 0.35), ("practitioner", 0.2)),
        company_sizes=w(("1-10", 0.8), ("11-50", 0.2)),
        industries=_ANY_INDUSTRY,
    ),
    Persona(
        name="anonymous_visitor",
        weight=0.42,
        first_channels=w(
            ("organic_search", 25),
            ("direct", 15),
            ("paid_social", 14),
            ("display", 12),
            ("paid_search", 10),
            ("organic_social", 9),
            ("referral", 5),
            ("affiliate", 4),
            ("email", 1),
            ("sms", 1),
            ("offline", 1),
            ("other", 3),
        ),
        devices=w(("mobile", 0.5), ("desktop", 0.42), ("tablet", 0.08)),
        max_visits_pre_id=(1, 3),
        mean_gap_days=14.0,
        bounce_mult=1.25,
        mean_pages=1.6,
        content_affinity=0.08,
        p_identify=0.0,
        identify_modes=w(("content", 1.0)),
        p_lead_on_signup=0.0,
        sales_only_share=0.0,
        p_content_to_trial=0.0,
        onboarding_completion=0.0,
        p_buy_after_trial=0.0,
        p_buy_without_trial=0.0,
        p_in_app_first_purchase=0.0,
        cart_abandon=0.0,
        plans=w(
            ("starter", 1.0),
        ),
        annual_share=0.0,
        discount=(0.0, 0.0),
        addon_rate=0.0,
        pos_rate=0.0,
        churn_monthly=1.0,
        app_sessions_month=0.0,
        web_visits_month=0.0,
        ticket_rate_month=0.0,
        p_ticket_resolved=1.0,
        p_refund=0.0,
        nps_detractor=0.2,
        nps_promoter=0.4,
        csat_mean=4.0,
        ces_mean=5.0,
        review_rate=0.0,
        referral_rate_month=0.0,
        sales_win_rate=0.0,
        sales_cycle_days=(30, 60),
        deal_range=(1, 2),
        job_roles=w(
            ("other", 1.0),
        ),
        company_sizes=w(
            ("1-10", 1.0),
        ),
        industries=_ANY_INDUSTRY,
    ),
)
PERSONA_PICK: Weighted[Persona] = Weighted(tuple((p, p.weight) for p in PERSONAS))

# Channels for returning visits: (anonymous, identified).
RETURN_CHANNELS_ANON = w(
    ("direct", 35),
    ("organic_search", 25),
    ("paid_search", 10),
    ("display", 8),
    ("paid_social", 7),
    ("organic_social", 5),
    ("referral", 4),
    ("affiliate", 2),
    ("email", 2),
    ("other", 2),
)
RETURN_CHANNELS_KNOWN = w(
    ("direct", 35),
    ("email", 22),
    ("organic_search", 16),
    ("paid_search", 9),
    ("display", 4),
    ("paid_social", 4),
    ("sms", 3),
    ("referral", 3),
    ("organic_social", 2),
    ("affiliate", 1),
    ("other", 1),
)

# Hour-of-day (UTC) weights for visits.
HOUR_WEIGHTS = Weighted(
    tuple(
        (h, wt)
        for h, wt in enumerate(
            (1, 0.6, 0.4, 0.4, 0.5, 0.8, 1.5, 3, 5, 7, 8, 8, 7, 8, 8, 7.5, 7, 6, 5, 5, 4.5, 4, 3, 2)
        )
    )
)
