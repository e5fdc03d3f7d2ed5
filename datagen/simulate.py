"""Person-level simulation of JourneyCo's customer journeys.

Every person is simulated independently with its own `random.Random(f"{seed}:{pid}")`, so a
person's journey depends only on the seed and its number: results are reproducible and
the population can be generated in chunks with bounded memory. Identifiers that must be
sequential in time (event, lead, order, ticket and response ids) are assigned per chunk
after sorting, through `Ref` placeholders.
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from .clock import DAY, HOUR, MINUTE, Clock, poisson
from .model import (
    ADDONS,
    BLOG_SLUGS,
    CAMPAIGN_BY_ID,
    CAMPAIGN_PICK,
    CHANNEL_BOUNCE,
    CHANNEL_QUALITY,
    COMMENTS_MULTILINE,
    COMMENTS_NEGATIVE,
    COMMENTS_NEUTRAL,
    COMMENTS_POSITIVE,
    CONTENT_ASSETS,
    EMAIL_DOMAINS,
    FEATURES,
    FIRST_NAMES,
    HOUR_WEIGHTS,
    LANDING,
    LAST_NAMES,
    NEXT_PAGE,
    OTHER_CHANNEL_TAGS,
    PAGE_TITLES,
    PERSONA_PICK,
    PLANS,
    POS_ITEMS,
    REFERRAL_REFERRERS,
    RETURN_CHANNELS_ANON,
    RETURN_CHANNELS_KNOWN,
    SALES_MARGIN,
    SEARCH_REFERRERS,
    SEARCH_TERMS,
    SITE,
    SOCIAL_REFERRERS,
    VIDEO_IDS,
    WEBINARS,
    Persona,
    Product,
    w,
)

_FEATURE_SECTION = {
    "dashboards": "dashboards",
    "journey_builder": "journeys",
    "segments": "segments",
    "alerts": "alerts",
    "api": "settings",
    "exports": "dashboards",
}
_SCROLL_DEPTHS = (25, 50, 75, 90, 100)
_LEAD_SOURCE_BY_FORM = {
    "demo_request": "demo_request",
    "contact_sales": "web_form",
    "gated_content": "content_download",
    "webinar_signup": "webinar",
    "newsletter": "web_form",
}
_DETRACTOR_SCORES = w((0, 0.04), (1, 0.03), (2, 0.05), (3, 0.08), (4, 0.12), (5, 0.25), (6, 0.43))
_SALES_ONLY_SOURCES = w(
    ("trade_show", 0.35), ("outbound", 0.35), ("partner", 0.15), ("referral", 0.15)
)


class Ref:
    """A placeholder for an id that is assigned after the chunk is sorted."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        """Create an unassigned reference."""
        self.value = ""


class Event:
    """One tracking event (timestamps are epoch seconds, `props` is rendered to JSON later)."""

    __slots__ = (
        "anon",
        "camp",
        "device",
        "etype",
        "loaded",
        "med",
        "page",
        "props",
        "ref",
        "ref_id",
        "src",
        "term",
        "ts",
        "user",
    )

    def __init__(
        self,
        ts: int,
        etype: str,
        anon: str,
        user: str,
        page: str,
        ref: str,
        src: str,
        med: str,
        camp: str,
        term: str,
        device: str,
        props: dict[str, object] | None,
        loaded: int,
    ) -> None:
        """Store the raw fields; `ref_id` receives the event id at finalisation."""
        self.ts = ts
        self.etype = etype
        self.anon = anon
        self.user = user
        self.page = page
        self.ref = ref
        self.src = src
        self.med = med
        self.camp = camp
        self.term = term
        self.device = device
        self.props = props
        self.loaded = loaded
        self.ref_id = ""


@dataclass(slots=True)
class Lead:
    """A CRM lead in its current state, plus an optional superseded earlier load."""

    ref: Ref
    user: str
    email: str
    created: int
    source: str
    role: str
    size: str
    industry: str
    stages: list[int | None]  # mql, sql, opportunity, won, lost
    deal_cents: int | None
    loaded: int
    early: tuple[list[int | None], int | None, int] | None = None  # (stages, deal, loaded)


@dataclass(slots=True)
class Order:
    """An order (amounts in cents); `early_loaded` marks a superseded `completed` load."""

    ref: Ref
    customer: str
    ts: int
    channel: str
    status: str
    amount: int
    cost: int
    trial_conversion: bool
    items: int
    loaded: int
    early_loaded: int | None = None


@dataclass(slots=True)
class Survey:
    """One survey response."""

    ref: Ref
    user: str
    stype: str
    score: int
    ts: int
    channel: str
    touchpoint: str
    comment: str
    loaded: int


@dataclass(slots=True)
class Ticket:
    """A support ticket (only its id and opening time matter for the output)."""

    ref: Ref
    ts: int


@dataclass(frozen=True)
class SimConfig:
    """Parameters shared by every simulated person."""

    seed: int
    clock: Clock
    people: int


@dataclass
class PersonResult:
    """Everything one person produced."""

    user_id: str
    persona: str
    events: list[Event]
    leads: list[Lead]
    orders: list[Order]
    surveys: list[Survey]
    tickets: list[Ticket]
    paid_visits: list[tuple[int, str]]


def _money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def _log_uniform(rng: random.Random, lo: float, hi: float) -> float:
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def _title(path: str) -> str:
    title = PAGE_TITLES.get(path)
    if title is not None:
        return title
    slug = path.rstrip("/").rsplit("/", 1)[-1]
    return slug.replace("-", " ").capitalize()


class PersonSim:
    """Simulates one person's whole journey over the period."""

    def __init__(self, cfg: SimConfig, pid: int) -> None:
        """Set up the person's rng, persona and empty outputs."""
        self.cfg = cfg
        self.clock = cfg.clock
        self.end = cfg.clock.end_ts
        self.pid = pid
        self.rng = random.Random(f"{cfg.seed}:{pid}")
        self.persona: Persona = PERSONA_PICK.pick(self.rng)
        self.user_id = f"u_{pid}"
        self.events: list[Event] = []
        self.leads: list[Lead] = []
        self.orders: list[Order] = []
        self.surveys: list[Survey] = []
        self.tickets: list[Ticket] = []
        self.paid_visits: list[tuple[int, str]] = []
        self.identified = False
        self.tracked = True
        self.stop_ts = self.end
        self.unresolved = 0
        self.had_paid_visit = False
        self.had_trial = False
        self.converted = False
        self.acq_channel = "direct"
        self.web_devices: list[tuple[str, str]] = []
        self.app_anon = ""
        self.ref_code = ""
        self.form_id = ""
        self.ident_ts = 0
        self.plan = "starter"
        self.annual = False
        self.discount: float | None = None

    # ------------------------------------------------------------------ helpers

    def _trial_plan(self) -> str:
        self.plan = self.persona.plans.pick(self.rng)
        return self.plan

    def _anon_id(self) -> str:
        return f"a_{self.rng.getrandbits(64):016x}"

    def _loaded(self, ts: int, lo_min: int = 5, hi_min: int = 360) -> int:
        return self.clock.clamp(ts + self.rng.randint(lo_min * MINUTE, hi_min * MINUTE))

    def _time_on_day(self, day: int) -> int:
        rng = self.rng
        return day * DAY + HOUR_WEIGHTS.pick(rng) * HOUR + rng.randrange(HOUR)

    def _next_visit(self, ts: int, mean_days: float) -> int:
        gap = max(1, round(self.rng.expovariate(1.0 / mean_days)))
        return self._time_on_day(ts // DAY + gap)

    def _uniform_ts(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, max(lo, hi))

    def _emit(
        self,
        ts: int,
        etype: str,
        anon: str,
        user: str,
        page: str = "",
        ref: str = "",
        src: str = "",
        med: str = "",
        camp: str = "",
        term: str = "",
        device: str = "desktop",
        props: dict[str, object] | None = None,
    ) -> None:
        if ts > self.end:
            return
        self.events.append(
            Event(
                ts,
                etype,
                anon,
                user,
                page,
                ref,
                src,
                med,
                camp,
                term,
                device,
                props,
                self._loaded(ts),
            )
        )

    def _messy(self, value: str) -> str:
        """Occasionally vary case or add stray whitespace (staging normalises these)."""
        if not value:
            return value
        roll = self.rng.random()
        if roll < 0.025:
            return value.capitalize()
        if roll < 0.04:
            return value.upper()
        if roll < 0.045:
            return value + " "
        if roll < 0.05:
            return " " + value
        return value

    def _url(self, path: str) -> str:
        rng = self.rng
        if "{" in path:
            path = path.format(
                blog=rng.choice(BLOG_SLUGS),
                asset=rng.choice(CONTENT_ASSETS),
                webinar=rng.choice(WEBINARS),
            )
        return SITE + path

    def _web_device(self) -> tuple[str, str]:
        rng = self.rng
        if not self.web_devices:
            self.web_devices.append((self._anon_id(), self.persona.devices.pick(rng)))
            if rng.random() < 0.4:
                other = self.persona.devices.pick(rng)
                self.web_devices.append((self._anon_id(), other))
        if len(self.web_devices) > 1 and rng.random() < 0.3:
            return self.web_devices[1]
        return self.web_devices[0]

    def _app_device(self) -> str:
        if not self.app_anon:
            self.app_anon = self._anon_id()
        return self.app_anon

    # ------------------------------------------------------------------ attribution

    def _tags(self, channel: str, returning: bool, ts: int) -> tuple[str, str, str, str, str, str]:
        """Return (referrer, utm_source, utm_medium, utm_campaign, utm_term, landing override)."""
        rng = self.rng
        day = ts // DAY
        ref = src = med = camp = term = landing = ""
        if channel == "organic_search":
            ref = SEARCH_REFERRERS.pick(rng)
            brand_share = 0.55 if returning else 0.25
            self.paid_visits.append(
                (day, "org_search_brand" if rng.random() < brand_share else "org_search_generic")
            )
        elif channel == "organic_social":
            if rng.random() < 0.75:
                ref = SOCIAL_REFERRERS.pick(rng)
            else:
                src, med = rng.choice(("linkedin", "facebook")), "social"
        elif channel == "referral":
            if rng.random() < 0.7:
                ref = REFERRAL_REFERRERS.pick(rng)
            else:
                src, med = "referral_program", "referral"
                landing = f"/signup?ref=R{rng.randrange(10_000, 99_999)}"
        elif channel == "other":
            src, med = OTHER_CHANNEL_TAGS.pick(rng)
            camp = rng.choice(("", "feed_sync", "partner_push"))
        elif channel in CAMPAIGN_PICK:
            camp = CAMPAIGN_PICK[channel][1 if returning else 0].pick(rng)
            campaign = CAMPAIGN_BY_ID[camp]
            src = rng.choice(campaign.sources)
            med = campaign.medium
            if channel == "paid_search":
                term = rng.choice(SEARCH_TERMS[camp])
            self.paid_visits.append((day, camp))
            if channel not in ("email", "sms", "offline"):
                self.had_paid_visit = True
        return ref, self._messy(src), self._messy(med), camp, term, landing

    def _pick_channel(self, returning: bool) -> str:
        if not returning:
            return self.persona.first_channels.pick(self.rng)
        if self.identified:
            return RETURN_CHANNELS_KNOWN.pick(self.rng)
        return RETURN_CHANNELS_ANON.pick(self.rng)

    # ------------------------------------------------------------------ web visits

    def _on_page_events(
        self, t: int, path: str, url: str, anon: str, user: str, device: str
    ) -> int:
        """Scrolls, videos, downloads and shares on one page; returns the time after them."""
        rng = self.rng
        p = self.persona
        if rng.random() < 0.4:
            t += rng.randint(5, 60)
            self._emit(
                t,
                "scroll",
                anon,
                user,
                url,
                device=device,
                props={"depth_pct": rng.choice(_SCROLL_DEPTHS)},
            )
        if rng.random() < p.content_affinity:
            if path.startswith(("/product", "/blog", "/webinars", "/customers")) or path == "/":
                video = rng.choice(VIDEO_IDS)
                t += rng.randint(5, 40)
                self._emit(
                    t, "video_start", anon, user, url, device=device, props={"video_id": video}
                )
                for pct in (25, 50, 75):
                    if rng.random() > 0.3 + p.content_affinity:
                        break
                    t += rng.randint(20, 120)
                    self._emit(
                        t,
                        "video_progress",
                        anon,
                        user,
                        url,
                        device=device,
                        props={"video_id": video, "progress_pct": pct},
                    )
                else:
                    t += rng.randint(20, 120)
                    self._emit(
                        t,
                        "video_complete",
                        anon,
                        user,
                        url,
                        device=device,
                        props={"video_id": video},
                    )
            elif path.startswith("/resources") and (user or rng.random() < 0.5):
                t += rng.randint(10, 90)
                self._emit(
                    t,
                    "content_download",
                    anon,
                    user,
                    url,
                    device=device,
                    props={"content_asset": path.rsplit("/", 1)[-1]},
                )
        if path.startswith(("/blog", "/resources")) and rng.random() < p.content_affinity * 0.25:
            t += rng.randint(5, 60)
            asset = path.rsplit("/", 1)[-1]
            self._emit(
                t, "content_share", anon, user, url, device=device, props={"content_asset": asset}
            )
        if rng.random() < 0.025:
            t += rng.randint(5, 60)
            self._emit(
                t,
                "search",
                anon,
                user,
                url,
                device=device,
                props={"query": rng.choice(("pricing", "api", "nps", "export", "sso"))},
            )
        return t

    def _page_view(
        self,
        t: int,
        path: str,
        anon: str,
        user: str,
        device: str,
        ref: str,
        tags: tuple[str, str, str, str] = ("", "", "", ""),
        engagement: int = 0,
    ) -> str:
        url = self._url(path) if path.startswith("/") else path
        src, med, camp, term = tags
        title_path = url[len(SITE) :].split("?", 1)[0] or "/"
        self._emit(
            t,
            "page_view",
            anon,
            user,
            url,
            ref,
            src,
            med,
            camp,
            term,
            device,
            {
                "page_title": _title(title_path),
                "engagement_time_s": engagement or self.rng.randint(8, 240),
            },
        )
        return url

    def visit(
        self,
        ts: int,
        channel: str,
        returning: bool,
        intent: str | None = None,
        order: Order | None = None,
    ) -> tuple[int, int | None]:
        """Simulate one web visit; returns (last event time, identification time or None).

        `intent` forces an outcome: signup, demo, content, chat, checkout (with `order`),
        abandon (cart abandonment), review. Without it the visit is browsing (and may bounce).
        """
        rng = self.rng
        p = self.persona
        anon, device = self._web_device()
        user = self.user_id if self.identified else ""
        ref, src, med, camp, term, landing = self._tags(channel, returning, ts)
        t = ts
        if channel == "email" and self.identified:
            props: dict[str, object] = {"campaign_id": camp}
            self._emit(
                max(self.ident_ts + MINUTE, t - rng.randint(20 * MINUTE, 2 * DAY)),
                "email_open",
                "",
                user,
                src=src,
                med=med,
                camp=camp,
                device=device,
                props=props,
            )
            landing_url = self._url(landing or LANDING[channel].pick(rng))
            self._emit(
                t - rng.randint(2, 20),
                "email_click",
                "",
                user,
                landing_url,
                src=src,
                med=med,
                camp=camp,
                device=device,
                props=props,
            )
            landing = landing_url
        path = landing or LANDING[channel].pick(rng)
        bounce = intent is None and rng.random() < min(
            0.95, CHANNEL_BOUNCE[channel] * p.bounce_mult
        )
        n_pages = 1 if bounce else 1 + int(rng.expovariate(1.0 / max(0.1, p.mean_pages - 1)))
        n_pages = min(n_pages, 8)
        prev = ""
        for i in range(n_pages):
            if i:
                path = NEXT_PAGE.pick(rng)
            engagement = rng.randint(2, 15) if bounce else rng.randint(10, 240)
            if i == 0:
                url = self._page_view(
                    t, path, anon, user, device, ref, (src, med, camp, term), engagement
                )
            else:
                url = self._page_view(t, path, anon, user, device, prev, engagement=engagement)
            if not bounce:
                t = self._on_page_events(t, url[len(SITE) :], url, anon, user, device)
            t += min(engagement, 600) + rng.randint(3, 30)
            prev = url
        ident: int | None = None
        if intent is None:
            if not bounce and user and rng.random() < 0.04:
                t += rng.randint(5, 60)
                self._emit(t, "chat_start", anon, user, prev, device=device)
            return t, None
        if intent == "signup":
            if "/signup" not in prev:
                prev = self._page_view(t, "/signup", anon, user, device, prev)
                t += rng.randint(20, 180)
            ident = t
            self.identified = True
            user = self.user_id
            self._emit(
                t,
                "signup",
                anon,
                user,
                prev,
                device=device,
                props={"method": rng.choice(("email", "email", "google", "microsoft"))},
            )
            t += rng.randint(2, 20)
            plan = self._trial_plan()
            self._emit(t, "trial_start", anon, user, prev, device=device, props={"plan": plan})
            self.had_trial = True
        elif intent in ("demo", "chat"):
            if intent == "chat":
                t += rng.randint(5, 60)
                self._emit(t, "chat_start", anon, user, prev, device=device)
                t += rng.randint(120, 900)
                form = "contact_sales"
            else:
                form = "demo_request" if rng.random() < 0.75 else "contact_sales"
                prev = self._page_view(
                    t, "/demo" if form == "demo_request" else "/contact", anon, user, device, prev
                )
                t += rng.randint(30, 240)
            ident = t
            self.identified = True
            user = self.user_id
            self._emit(t, "form_submit", anon, user, prev, device=device, props={"form_id": form})
            self.form_id = form
        elif intent == "content":
            kind = rng.random()
            if kind < 0.55:
                asset = rng.choice(CONTENT_ASSETS)
                prev = self._page_view(t, f"/resources/{asset}", anon, user, device, prev)
                t += rng.randint(20, 120)
                ident = t
                self.identified = True
                user = self.user_id
                self._emit(
                    t,
                    "form_submit",
                    anon,
                    user,
                    prev,
                    device=device,
                    props={"form_id": "gated_content"},
                )
                t += rng.randint(2, 15)
                self._emit(
                    t,
                    "content_download",
                    anon,
                    user,
                    prev,
                    device=device,
                    props={"content_asset": asset},
                )
                self.form_id = "gated_content"
            else:
                form = "webinar_signup" if kind < 0.8 else "newsletter"
                if form == "webinar_signup":
                    prev = self._page_view(
                        t, f"/webinars/{rng.choice(WEBINARS)}", anon, user, device, prev
                    )
                    t += rng.randint(20, 120)
                ident = t
                self.identified = True
                user = self.user_id
                self._emit(
                    t, "form_submit", anon, user, prev, device=device, props={"form_id": form}
                )
                self.form_id = form
        elif intent in ("checkout", "abandon"):
            plan_product = PLANS[self.plan if self.had_trial else p.plans.pick(rng)]
            prev = self._page_view(t, "/pricing", anon, user, device, prev)
            t += rng.randint(20, 200)
            value = order.amount if order is not None else plan_product.price_cents
            self._emit(
                t,
                "add_to_cart",
                anon,
                user,
                prev,
                device=device,
                props={"product_id": plan_product.product_id, "value": value / 100},
            )
            t += rng.randint(10, 120)
            if intent == "abandon" and rng.random() < 0.5:
                return t, None
            prev = self._page_view(t, "/checkout", anon, user, device, prev)
            t += rng.randint(5, 60)
            self._emit(t, "checkout_start", anon, user, prev, device=device)
            t += rng.randint(30, 300)
            if intent == "checkout" and order is not None:
                order.ts = t
                order.loaded = self._order_loaded(order)
                self._emit(
                    t,
                    "purchase",
                    anon,
                    user,
                    prev,
                    device=device,
                    props={"order_id": order.ref, "revenue": order.amount / 100},
                )
        elif intent == "review":
            prev = self._page_view(t, "/reviews", anon, user, device, prev)
            t += rng.randint(60, 400)
        return t, ident

    # ------------------------------------------------------------------ app sessions

    def app_session(
        self,
        ts: int,
        onboarding: tuple[int, int] | None = None,
        features: int = 0,
        purchase: Order | None = None,
        referral: bool = False,
        ticket: bool = False,
    ) -> int:
        """Simulate one session in the product (device `app`); returns the last event time."""
        rng = self.rng
        anon = self._app_device()
        user = self.user_id
        t = ts
        self._emit(
            t,
            "page_view",
            anon,
            user,
            SITE + "/app/home",
            device="app",
            props={"page_title": "Home | JourneyCo app", "engagement_time_s": rng.randint(5, 60)},
        )
        if rng.random() < 0.2:
            t += rng.randint(1, 10)
            self._emit(t, "login", anon, user, SITE + "/app/home", device="app")
        if onboarding is not None:
            first, last = onboarding
            for step in range(first, last + 1):
                t += rng.randint(30, 400)
                self._emit(
                    t,
                    "onboarding_step",
                    anon,
                    user,
                    SITE + "/app/onboarding",
                    device="app",
                    props={"step": step, "total_steps": 5},
                )
            if last == 5:
                t += rng.randint(5, 60)
                self._emit(
                    t, "onboarding_complete", anon, user, SITE + "/app/onboarding", device="app"
                )
        for _ in range(features):
            t += rng.randint(20, 600)
            feature = rng.choice(FEATURES)
            section = _FEATURE_SECTION[feature]
            self._emit(
                t,
                "feature_used",
                anon,
                user,
                f"{SITE}/app/{section}",
                device="app",
                props={"feature": feature},
            )
        if purchase is not None:
            t += rng.randint(20, 300)
            purchase.ts = t
            purchase.loaded = self._order_loaded(purchase)
            self._emit(
                t,
                "in_app_purchase",
                anon,
                user,
                SITE + "/app/store",
                device="app",
                props={"order_id": purchase.ref, "revenue": purchase.amount / 100},
            )
        if referral:
            t += rng.randint(10, 300)
            if not self.ref_code:
                self.ref_code = f"R{self.pid:05d}{rng.randrange(100):02d}"
            self._emit(
                t,
                "referral_sent",
                anon,
                user,
                SITE + "/app/settings",
                device="app",
                props={"referral_code": self.ref_code},
            )
        if ticket:
            t += rng.randint(10, 300)
            self._ticket(t, anon, "app", SITE + "/app/help")
        return t

    # ------------------------------------------------------------------ support & surveys

    def _ticket(self, t: int, anon: str, device: str, page: str) -> None:
        rng = self.rng
        p = self.persona
        tk = Ticket(Ref(), t)
        self.tickets.append(tk)
        self._emit(
            t,
            "support_ticket_opened",
            anon,
            self.user_id,
            page,
            device=device,
            props={"ticket_id": tk.ref},
        )
        resolved = rng.random() < p.p_ticket_resolved
        if resolved:
            done = t + rng.randint(HOUR, 5 * DAY)
            self._emit(
                done,
                "support_ticket_resolved",
                "",
                self.user_id,
                device="other",
                props={"ticket_id": tk.ref},
            )
            survey_ts = done + rng.randint(10 * MINUTE, DAY)
        else:
            self.unresolved += 1
            survey_ts = t + rng.randint(5 * DAY, 9 * DAY)
        channel = "sms" if rng.random() < 0.15 else "email"
        if rng.random() < (0.45 if resolved else 0.35):
            score = self._csat(resolved)
            self._survey(
                survey_ts, "csat", score, channel, "support_ticket", self._comment(score, 5)
            )
        if rng.random() < 0.3:
            score = self._ces(resolved)
            self._survey(
                survey_ts + rng.randint(5, 120),
                "ces",
                score,
                channel,
                "support_ticket",
                self._comment(score, 7),
            )

    def _survey(
        self, ts: int, stype: str, score: int, channel: str, touchpoint: str, comment: str
    ) -> None:
        if ts > self.end:
            return
        self.surveys.append(
            Survey(
                Ref(),
                self.user_id,
                stype,
                score,
                ts,
                channel,
                touchpoint,
                comment,
                self._loaded(ts, 2, 240),
            )
        )

    def _comment(self, score: int, top: int) -> str:
        rng = self.rng
        if rng.random() > 0.35:
            return ""
        if rng.random() < 0.006:
            return rng.choice(COMMENTS_MULTILINE)
        ratio = score / top
        if ratio >= 0.85:
            return rng.choice(COMMENTS_POSITIVE)
        if ratio >= 0.6:
            return rng.choice(COMMENTS_NEUTRAL)
        return rng.choice(COMMENTS_NEGATIVE)

    def _nps(self) -> int:
        rng = self.rng
        p = self.persona
        det = p.nps_detractor + (0.25 if self.unresolved else 0.0)
        pro = max(0.03, p.nps_promoter - (0.22 if self.unresolved else 0.0))
        roll = rng.random()
        if roll < det:
            return _DETRACTOR_SCORES.pick(rng)
        if roll < det + pro:
            return 9 if rng.random() < 0.5 else 10
        return 7 if rng.random() < 0.45 else 8

    def _csat(self, resolved: bool) -> int:
        mean = self.persona.csat_mean - (0.0 if resolved else 1.8)
        return min(5, max(1, round(self.rng.gauss(mean, 0.8))))

    def _ces(self, resolved: bool) -> int:
        mean = self.persona.ces_mean - (0.0 if resolved else 2.2)
        return min(7, max(1, round(self.rng.gauss(mean, 1.1))))

    # ------------------------------------------------------------------ orders

    def _order_loaded(self, order: Order) -> int:
        rng = self.rng
        order.early_loaded = None
        if order.status == "completed":
            return self._loaded(order.ts)
        changed = order.ts + rng.randint(HOUR, 20 * DAY)
        loaded = self._loaded(min(changed, self.end))
        if order.status == "refunded" and rng.random() < 0.2:
            early = self._loaded(order.ts, 5, 120)
            if early < loaded:
                order.early_loaded = early
        return loaded

    def _status(self, refund_scale: float = 1.0) -> str:
        roll = self.rng.random()
        p_refund = self.persona.p_refund * refund_scale
        if roll < p_refund:
            return "refunded"
        if roll < p_refund + 0.05 * refund_scale:
            return "cancelled"
        return "completed"

    def _new_order(
        self,
        ts: int,
        channel: str,
        lines: list[tuple[Product, int, int]],
        trial_conv: bool = False,
        refund_scale: float = 1.0,
    ) -> Order:
        """Create an order from (product, quantity, unit price cents) lines."""
        rng = self.rng
        amount = sum(q * price for _, q, price in lines)
        cost = sum(round(q * price * (1 - rng.uniform(*prod.margin))) for prod, q, price in lines)
        items = sum(q for _, q, _ in lines)
        order = Order(
            Ref(),
            self.user_id,
            ts,
            channel,
            self._status(refund_scale),
            amount,
            cost,
            trial_conv,
            items,
            0,
        )
        order.loaded = self._order_loaded(order)
        self.orders.append(order)
        return order

    def _plan_lines(self, annual: bool, plan: str) -> list[tuple[Product, int, int]]:
        rng = self.rng
        product = PLANS[plan]
        price = product.price_cents * (10 if annual else 1)
        if self.discount is None:
            self.discount = rng.uniform(*self.persona.discount)
        discount = self.discount
        price = round(price * (1 - discount))
        seats = 1 if plan == "starter" else w((1, 0.6), (2, 0.25), (3, 0.15)).pick(rng)
        return [(product, seats, price)]

    # ------------------------------------------------------------------ leads

    def _lead(
        self, created: int, source: str, kind: str, with_user: bool
    ) -> tuple[Lead, int | None, int]:
        """Create a lead and its lifecycle; returns (lead, won_at or None, deal in cents)."""
        rng = self.rng
        p = self.persona
        first = rng.choice(FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        email = f"{first}.{last}{rng.randrange(1, 999)}@{EMAIL_DOMAINS.pick(rng)}"
        if rng.random() < 0.08:
            email = email.title() if rng.random() < 0.5 else email.upper()
        if rng.random() < 0.06:
            role = size = industry = ""
        else:
            role, size, industry = (
                p.job_roles.pick(rng),
                p.company_sizes.pick(rng),
                p.industries.pick(rng),
            )
        probs = {
            "sales": (0.92, 0.72, 0.78, p.sales_win_rate),
            "nurture": (0.38, 0.12, 0.5, p.sales_win_rate * 0.5),
            "self_serve": (0.45, 0.1, 0.35, 0.0),
        }[kind]
        stages: list[int | None] = [None, None, None, None, None]
        t = created
        reached = 0
        gaps = ((0, 3 * DAY), (DAY, 14 * DAY), (2 * DAY, 21 * DAY))
        for i in range(3):
            if rng.random() >= probs[i]:
                break
            t += rng.randint(*gaps[i])
            if t > self.end:
                break
            stages[i] = t
            reached = i + 1
        won_at: int | None = None
        deal = round(_log_uniform(rng, *p.deal_range)) * 100
        deal_cents: int | None = None
        if reached == 3:
            lo, hi = p.sales_cycle_days
            close = t + rng.randint(lo * DAY, hi * DAY)
            if close <= self.end:
                if rng.random() < probs[3]:
                    stages[3] = won_at = close
                    deal_cents = deal
                else:
                    stages[4] = close
            elif rng.random() < 0.4:
                deal_cents = deal  # open opportunity with an estimated value
        elif reached and rng.random() < 0.5:
            lost = t + rng.randint(3 * DAY, 60 * DAY)
            if lost <= self.end:
                stages[4] = lost
        last_change = max(s for s in [created, *stages] if s is not None)
        lead = Lead(
            Ref(),
            self.user_id if with_user else "",
            email,
            created,
            source,
            role,
            size,
            industry,
            stages,
            deal_cents,
            self._loaded(last_change, 10, 600),
        )
        if reached and rng.random() < 0.06:
            # An earlier CRM sync captured the lead before its latest stage.
            known = [s for s in stages if s is not None]
            cut = max(known)
            early_stages = [s if s is not None and s < cut else None for s in stages]
            prev_change = max(s for s in [created, *early_stages] if s is not None)
            early_loaded = self._loaded(prev_change, 10, 600)
            if early_loaded < lead.loaded and early_loaded < cut:
                lead.early = (early_stages, None, early_loaded)
        self.leads.append(lead)
        return lead, won_at, deal

    # ------------------------------------------------------------------ phases

    def run(self) -> PersonResult:
        """Simulate the person and return its rows (activity after churn removed)."""
        rng = self.rng
        p = self.persona
        span_days = self.clock.end_day - self.clock.start_day + 1
        # Later days are a bit more likely (the company grows).
        first_day = self.clock.start_day + min(span_days - 1, int(span_days * rng.random() ** 0.85))
        ts = self._time_on_day(first_day)
        if rng.random() < p.sales_only_share:
            self.tracked = False
            self._sales_only(ts)
            return self._result()
        ident: int | None = None
        mode = ""
        n_max = rng.randint(*p.max_visits_pre_id)
        for i in range(n_max):
            if ts > self.end:
                break
            channel = self._pick_channel(returning=i > 0)
            intent = None
            if p.p_identify and rng.random() < p.p_identify * CHANNEL_QUALITY[channel] * (
                1 + 0.15 * i
            ):
                intent = p.identify_modes.pick(rng)
            last, ident = self.visit(ts, channel, returning=i > 0, intent=intent)
            if ident is not None:
                self.acq_channel = channel
                mode = intent or ""
                break
            ts = self._next_visit(last, p.mean_gap_days)
        if ident is None or ident > self.end:
            return self._result()
        self.ident_ts = ident
        self._after_identification(ident, mode)
        return self._result()

    def _result(self) -> PersonResult:
        stop = min(self.stop_ts, self.end)
        self.events = [e for e in self.events if e.ts <= stop]
        self.orders = [o for o in self.orders if o.ts <= stop]
        self.surveys = [s for s in self.surveys if s.ts <= stop]
        self.tickets = [t for t in self.tickets if t.ts <= stop]
        return PersonResult(
            self.user_id,
            self.persona.name,
            self.events,
            self.leads,
            self.orders,
            self.surveys,
            self.tickets,
            self.paid_visits,
        )

    def _after_identification(self, ident: int, mode: str) -> None:
        rng = self.rng
        p = self.persona
        won_at: int | None = None
        deal = 0
        if mode == "signup":
            if rng.random() < p.p_lead_on_signup:
                self._lead(ident, "web_form", "self_serve", True)
        elif mode in ("demo", "chat"):
            source = "chat" if mode == "chat" else _LEAD_SOURCE_BY_FORM[self.form_id]
            _, won_at, deal = self._lead(ident, source, "sales", True)
        elif mode == "content" and rng.random() < min(0.9, 0.1 + 4 * p.p_lead_on_signup):
            source = _LEAD_SOURCE_BY_FORM[self.form_id]
            _, won_at, deal = self._lead(ident, source, "nurture", True)
        self._brand_recall(ident)
        trial_ts: int | None = ident if mode == "signup" else None
        # Content / sales identified people may start a trial later.
        if trial_ts is None:
            t = ident
            n_follow = 1 + poisson(rng, 1.5)
            chance = (
                p.p_content_to_trial if mode == "content" else 0.3 * (p.name == "enterprise_buyer")
            )
            start_trial_at = rng.randrange(n_follow) if rng.random() < chance else -1
            for i in range(n_follow):
                t = self._next_visit(t, max(5.0, p.mean_gap_days * 1.5))
                if t > self.end or (won_at is not None and t > won_at):
                    break
                channel = self._pick_channel(returning=True)
                intent = "signup" if i == start_trial_at else None
                t, started = self.visit(t, channel, returning=True, intent=intent)
                if started is not None:
                    trial_ts = started
                    self.acq_channel = channel
                    break
        first_order: Order | None = None
        if trial_ts is not None and trial_ts <= self.end:
            first_order = self._trial(trial_ts)
        elif (
            p.p_buy_without_trial
            and rng.random() < p.p_buy_without_trial * CHANNEL_QUALITY[self.acq_channel]
        ):
            first_order = self._first_purchase(ident + rng.randint(HOUR, 10 * DAY), trial=False)
        if won_at is not None:
            self._sales_customer(won_at, deal)
        elif first_order is not None:
            self._customer_phase(
                first_order.ts, annual=self.annual, sales=False, deal=first_order.amount
            )
        else:
            self._nurture(ident)

    def _trial(self, trial_ts: int) -> Order | None:
        """Onboarding and trial usage; returns the conversion order if the person buys."""
        rng = self.rng
        p = self.persona
        complete = rng.random() < p.onboarding_completion
        last_step = 5 if complete else rng.randint(1, 4)
        t = trial_ts + rng.randint(60, 2 * HOUR)
        step = 1
        while step <= last_step:
            upto = min(last_step, step + rng.randint(1, 3))
            end_t = self.app_session(t, onboarding=(step, upto), features=rng.randint(0, 1))
            step = upto + 1
            t = end_t + rng.randint(6 * HOUR, 3 * DAY)
        if complete and rng.random() < 0.25:
            score = min(5, max(1, round(rng.gauss(p.csat_mean + 0.3, 0.7))))
            self._survey(t, "csat", score, "in_app", "onboarding", self._comment(score, 5))
        for _ in range(poisson(rng, 0.8 + 1.2 * complete * (p.app_sessions_month / 2))):
            s = trial_ts + rng.randint(DAY, 13 * DAY)
            self.app_session(s, features=rng.randint(1, 3))
        chance = (
            p.p_buy_after_trial
            * (1.5 if complete else 0.5)
            * CHANNEL_QUALITY[self.acq_channel] ** 0.8
        )
        buy = rng.random() < min(0.92, chance)
        if rng.random() < 0.3:
            # "How likely are you to recommend us?" at the end of the trial
            score = self._nps() - (0 if buy else rng.randint(0, 2))
            score = max(0, score)
            channel = "in_app" if rng.random() < 0.6 else "email"
            self._survey(
                trial_ts + rng.randint(12 * DAY, 15 * DAY),
                "nps",
                score,
                channel,
                "product",
                self._comment(score, 10),
            )
        if rng.random() < p.cart_abandon * (0.5 if buy else 1.0):
            t_ab = trial_ts + rng.randint(3 * DAY, 12 * DAY)
            self.visit(t_ab, self._pick_channel(True), returning=True, intent="abandon")
        if not buy:
            return None
        t_buy = trial_ts + rng.randint(5 * DAY, 21 * DAY)
        return self._first_purchase(t_buy, trial=True)

    def _first_purchase(self, ts: int, trial: bool) -> Order | None:
        rng = self.rng
        p = self.persona
        if ts > self.end:
            return None
        self.annual = annual = rng.random() < p.annual_share
        if not self.had_trial or rng.random() < 0.2:
            self.plan = p.plans.pick(rng)
        lines = self._plan_lines(annual, self.plan)
        if rng.random() < p.p_in_app_first_purchase:
            order = self._new_order(ts, "app", lines, trial_conv=trial, refund_scale=0.5)
            self.app_session(ts, features=rng.randint(0, 2), purchase=order)
        else:
            order = self._new_order(ts, "web", lines, trial_conv=trial, refund_scale=0.5)
            channel = self._pick_channel(True)
            self.visit(ts, channel, returning=True, intent="checkout", order=order)
        if order.ts > self.end:
            self.orders.remove(order)
            return None
        self.converted = True
        if rng.random() < 0.15:
            score = min(5, max(1, round(rng.gauss(p.csat_mean, 0.8))))
            self._survey(
                order.ts + rng.randint(MINUTE, HOUR),
                "csat",
                score,
                "web",
                "checkout",
                self._comment(score, 5),
            )
        return order

    def _sales_customer(self, won_at: int, deal: int) -> None:
        rng = self.rng
        order_ts = min(self.end, won_at + rng.randint(HOUR, 3 * DAY))
        prod = Product("sales_license", deal, SALES_MARGIN)
        lines = [(prod, 1, deal)] + [(prod, 1, 0)] * rng.randint(0, 4)
        self._new_order(
            order_ts,
            "sales",
            lines,
            trial_conv=self.had_trial and not self.converted,
            refund_scale=0.2,
        )
        self.converted = True
        if self.tracked:
            self.app_session(order_ts + rng.randint(DAY, 7 * DAY), onboarding=(1, 5), features=1)
        self._customer_phase(order_ts, annual=True, sales=True, deal=deal)

    def _sales_only(self, created: int) -> None:
        """Simulate a sales-sourced lead that never visits the site (no user id on the lead)."""
        source = _SALES_ONLY_SOURCES.pick(self.rng)
        _, won_at, deal = self._lead(created, source, "sales", False)
        if won_at is not None:
            self._sales_customer(won_at, deal)

    def _brand_recall(self, ident: int) -> None:
        rng = self.rng
        if rng.random() < 0.06:
            ts = ident + rng.randint(DAY, 120 * DAY)
            score = 1 if rng.random() < (0.7 if self.had_paid_visit else 0.35) else 0
            self._survey(
                ts,
                "brand_recall",
                score,
                w(("web", 0.5), ("social", 0.3), ("phone", 0.2)).pick(rng),
                "ad_campaign",
                "",
            )
        if rng.random() < 0.04:
            ts = ident + rng.randint(HOUR, 30 * DAY)
            score = min(5, max(1, round(rng.gauss(self.persona.csat_mean - 0.2, 0.9))))
            self._survey(ts, "csat", score, "web", "website", self._comment(score, 5))

    def _nurture(self, ident: int) -> None:
        """Simulate identified people who do not buy: a few visits and email opens, then silence."""
        rng = self.rng
        p = self.persona
        t = ident
        horizon = ident + rng.randint(30, 200) * DAY
        for _ in range(poisson(rng, 1.6)):
            t = self._next_visit(t, 20)
            if t > horizon:
                break
            intent = "abandon" if rng.random() < p.cart_abandon * 0.3 else None
            t, _ = self.visit(t, self._pick_channel(True), returning=True, intent=intent)
        for _ in range(poisson(rng, 2.0)):
            self._email_open(self._uniform_ts(ident, horizon))

    def _email_open(self, ts: int) -> None:
        rng = self.rng
        camp = CAMPAIGN_PICK["email"][1].pick(rng)
        src = rng.choice(CAMPAIGN_BY_ID[camp].sources)
        device = self.web_devices[0][1] if self.web_devices else "mobile"
        self._emit(
            ts,
            "email_open",
            "",
            self.user_id,
            src=src,
            med="email",
            camp=camp,
            device=device,
            props={"campaign_id": camp},
        )

    def _customer_phase(self, start: int, annual: bool, sales: bool, deal: int) -> None:
        """Monthly life of a paying customer until churn or the end of the period."""
        rng = self.rng
        p = self.persona
        tracked = self.tracked
        plan = self.plan
        reviewed = False
        month = 0
        while True:
            m_start = start + month * 30 * DAY
            if m_start > self.end:
                break
            m_end = m_start + 30 * DAY
            if tracked:
                for _ in range(poisson(rng, p.app_sessions_month)):
                    s = self._uniform_ts(m_start + HOUR, m_end)
                    addon = None
                    if rng.random() < p.addon_rate / max(0.5, p.app_sessions_month) and not sales:
                        prod = ADDONS.pick(rng)
                        addon = self._new_order(
                            s, "app", [(prod, rng.randint(1, 2), prod.price_cents)]
                        )
                    self.app_session(
                        s,
                        features=1 + poisson(rng, 0.6 + p.content_affinity),
                        purchase=addon,
                        referral=rng.random()
                        < p.referral_rate_month / max(0.5, p.app_sessions_month),
                        ticket=rng.random()
                        < p.ticket_rate_month * 0.5 / max(0.5, p.app_sessions_month),
                    )
                for _ in range(poisson(rng, p.web_visits_month)):
                    s = self._uniform_ts(m_start + HOUR, m_end)
                    self.visit(s, self._pick_channel(True), returning=True)
                if rng.random() < p.ticket_rate_month * 0.5:
                    anon, device = self._web_device()
                    self._ticket(self._uniform_ts(m_start, m_end), anon, device, SITE + "/app/help")
                if rng.random() < 0.4:
                    self._email_open(self._uniform_ts(m_start, m_end))
                if not reviewed and rng.random() < p.review_rate / 6:
                    reviewed = True
                    self._review(self._uniform_ts(m_start, m_end))
            if rng.random() < p.pos_rate / 12 and not sales:
                lines = [
                    (prod, rng.randint(1, 2), prod.price_cents)
                    for prod in [POS_ITEMS.pick(rng) for _ in range(rng.randint(1, 2))]
                ]
                self._new_order(self._uniform_ts(m_start, m_end), "pos", lines)
            if month % 3 == 2 and rng.random() < 0.5:
                channel = (
                    "phone"
                    if not tracked and rng.random() < 0.4
                    else w(("email", 0.6), ("in_app", 0.3 * tracked), ("sms", 0.1)).pick(rng)
                )
                score = self._nps()
                touch = "product" if rng.random() < 0.7 else ""
                self._survey(
                    self._uniform_ts(m_start, m_end),
                    "nps",
                    score,
                    channel,
                    touch,
                    self._comment(score, 10),
                )
            hazard = p.churn_monthly * (2.5 if self.unresolved else 1.0) * (0.5 if annual else 1.0)
            if sales:
                hazard = min(hazard, 0.012)
            if rng.random() < hazard:
                self.stop_ts = self._uniform_ts(m_start + DAY, m_end)
                return
            month += 1
            renew_ts = start + month * 30 * DAY
            if renew_ts > self.end:
                break
            if sales:
                if month % 12 == 0:
                    amount = round(deal * rng.uniform(0.95, 1.15) / 100) * 100
                    prod = Product("sales_license", amount, SALES_MARGIN)
                    self._new_order(renew_ts, "sales", [(prod, 1, amount)], refund_scale=0.2)
            elif not annual or month % 12 == 0:
                lines = self._plan_lines(annual, plan)
                order = self._new_order(renew_ts, "web", lines)
                self._emit(
                    renew_ts,
                    "purchase",
                    "",
                    self.user_id,
                    SITE + "/app/billing",
                    device="other",
                    props={"order_id": order.ref, "revenue": order.amount / 100},
                )

    def _review(self, ts: int) -> None:
        rng = self.rng
        nps = self._nps()
        score = min(5, max(1, round(nps / 2)))
        self.visit(ts, "direct", returning=True, intent="review")
        last = self.events[-1] if self.events else None
        anon, device = (last.anon, last.device) if last is not None else ("", "desktop")
        self._emit(
            ts + rng.randint(60, 600),
            "review_posted",
            anon,
            self.user_id,
            SITE + "/reviews",
            device=device,
            props={"rating": score, "platform": rng.choice(("g2", "capterra", "site"))},
        )
        self._survey(
            ts + rng.randint(700, 1800),
            "review",
            score,
            "web" if rng.random() < 0.7 else "social",
            "product",
            self._comment(score, 5),
        )


# ---------------------------------------------------------------------- chunks


class IdCounters:
    """Sequential id counters shared by consecutive chunks (one instance per generation)."""

    def __init__(self) -> None:
        """Start every counter at zero."""
        self.event = 0
        self.lead = 0
        self.order = 0
        self.ticket = 0
        self.response = 0


@dataclass
class Chunk:
    """The finalised rows of a range of people, with ids assigned."""

    events: list[Event] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    surveys: list[Survey] = field(default_factory=list)
    paid_visits: Counter[tuple[int, str]] = field(default_factory=Counter)
    personas: list[tuple[str, str]] = field(default_factory=list)


def simulate_chunk(cfg: SimConfig, first_pid: int, last_pid: int, ids: IdCounters) -> Chunk:
    """Simulate people `first_pid..last_pid` (inclusive), sort by time and assign ids."""
    chunk = Chunk()
    tickets: list[Ticket] = []
    for pid in range(first_pid, last_pid + 1):
        res = PersonSim(cfg, pid).run()
        chunk.events.extend(res.events)
        chunk.leads.extend(res.leads)
        chunk.orders.extend(res.orders)
        chunk.surveys.extend(res.surveys)
        tickets.extend(res.tickets)
        chunk.paid_visits.update(res.paid_visits)
        chunk.personas.append((res.user_id, res.persona))
    chunk.events.sort(key=lambda e: e.ts)
    for e in chunk.events:
        ids.event += 1
        e.ref_id = f"e_{ids.event:010d}"
    tickets.sort(key=lambda t: t.ts)
    for tk in tickets:
        ids.ticket += 1
        tk.ref.value = f"t_{ids.ticket}"
    chunk.leads.sort(key=lambda lead: lead.created)
    for lead in chunk.leads:
        ids.lead += 1
        lead.ref.value = f"l_{ids.lead}"
    chunk.orders.sort(key=lambda o: o.ts)
    for o in chunk.orders:
        ids.order += 1
        o.ref.value = f"o_{ids.order}"
    chunk.surveys.sort(key=lambda s: s.ts)
    for s in chunk.surveys:
        ids.response += 1
        s.ref.value = f"r_{ids.response}"
    return chunk


# ---------------------------------------------------------------------- rendering


def _props_json(props: dict[str, object] | None) -> str:
    if not props:
        return ""
    clean = {k: (v.value if isinstance(v, Ref) else v) for k, v in props.items()}
    return json.dumps(clean, separators=(",", ":"), ensure_ascii=False)


def render_events(chunk: Chunk, clock: Clock) -> Iterator[list[str]]:
    """Rows of events.csv for a chunk."""
    ts_str = clock.ts_str
    for e in chunk.events:
        yield [
            e.ref_id,
            e.etype,
            ts_str(e.ts),
            e.anon,
            e.user,
            e.page,
            e.ref,
            e.src,
            e.med,
            e.camp,
            e.term,
            e.device,
            _props_json(e.props),
            ts_str(e.loaded),
        ]


def _lead_row(
    lead: Lead, stages: list[int | None], deal: int | None, loaded: int, clock: Clock
) -> list[str]:
    ts_str = clock.ts_str
    return [
        lead.ref.value,
        lead.user,
        lead.email,
        ts_str(lead.created),
        lead.source,
        lead.role,
        lead.size,
        lead.industry,
        *[ts_str(s) if s is not None else "" for s in stages],
        _money(deal) if deal is not None else "",
        ts_str(loaded),
    ]


def render_leads(
    chunk: Chunk, clock: Clock, superseded: list[tuple[str, str]]
) -> Iterator[list[str]]:
    """Rows of leads.csv (superseded earlier loads first); records those in `superseded`."""
    for lead in chunk.leads:
        if lead.early is not None:
            stages, deal, loaded = lead.early
            superseded.append(("leads", lead.ref.value))
            yield _lead_row(lead, stages, deal, loaded, clock)
        yield _lead_row(lead, lead.stages, lead.deal_cents, lead.loaded, clock)


def render_orders(
    chunk: Chunk, clock: Clock, superseded: list[tuple[str, str]]
) -> Iterator[list[str]]:
    """Rows of orders.csv (superseded `completed` loads first); records those in `superseded`."""
    ts_str = clock.ts_str
    for o in chunk.orders:
        base = [o.ref.value, o.customer, ts_str(o.ts), o.channel]
        tail = [
            _money(o.amount),
            _money(o.cost),
            "USD",
            "true" if o.trial_conversion else "false",
            str(o.items),
        ]
        if o.early_loaded is not None:
            superseded.append(("orders", o.ref.value))
            yield [*base, "completed", *tail, ts_str(o.early_loaded)]
        yield [*base, o.status, *tail, ts_str(o.loaded)]


def render_surveys(chunk: Chunk, clock: Clock) -> Iterator[list[str]]:
    """Rows of survey_responses.csv."""
    ts_str = clock.ts_str
    for s in chunk.surveys:
        yield [
            s.ref.value,
            s.user,
            s.stype,
            str(s.score),
            ts_str(s.ts),
            s.channel,
            s.touchpoint,
            s.comment,
            ts_str(s.loaded),
        ]


def orphan_keys(chunk: Chunk) -> list[tuple[str, str]]:
    """Orders / survey responses whose user never appears in this chunk's events or leads.

    People never span chunks, so the per-chunk answer is the global one.
    """
    known: dict[str, None] = {}
    for e in chunk.events:
        if e.user:
            known[e.user] = None
    for lead in chunk.leads:
        if lead.user:
            known[lead.user] = None
    out: list[tuple[str, str]] = [
        ("orders", o.ref.value) for o in chunk.orders if o.customer not in known
    ]
    out.extend(("survey_responses", s.ref.value) for s in chunk.surveys if s.user not in known)
    return out
