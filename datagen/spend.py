"""Daily marketing spend per channel and campaign, consistent with the simulated visits.

Clicks are derived from the number of visits each campaign brought on each day (plus
untracked clicks), impressions from the campaign's click-through rate, and spend from its
cost per click; offline, email and SMS costs follow their own calendars. Scale-dependent
amounts grow with the number of simulated people.
"""

from __future__ import annotations

import random
from collections import Counter

from .clock import DAY, HOUR, Clock, poisson
from .model import CAMPAIGNS, SPEND_CHANNELS, Campaign

_AVG_POSITION = {
    "ps_brand": (1.0, 1.5),
    "ps_generic": (1.6, 3.6),
    "ps_competitor": (2.2, 4.9),
    "org_search_brand": (1.0, 1.9),
    "org_search_generic": (5.0, 22.0),
}


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


class SpendBuilder:
    """Builds the rows of marketing_spend.csv for the whole period."""

    def __init__(self, clock: Clock, people: int, seed: int) -> None:
        """Prepare the calendars (trade shows, sends) with a dedicated rng."""
        self.clock = clock
        self.rng = random.Random(f"{seed}:spend")
        self.scale = max(people, 1) / 1000.0
        self.people = max(people, 1)
        self.show_days: dict[int, None] = {}
        day = clock.start_day + self.rng.randint(20, 60)
        while day <= clock.end_day:
            for k in range(self.rng.randint(2, 3)):
                self.show_days[day + k] = None
            day += self.rng.randint(45, 80)

    def rows(self, visits: Counter[tuple[int, str]]) -> list[list[str]]:
        """One row per day x campaign, ordered by date, channel and campaign."""
        ordered = [c for ch in SPEND_CHANNELS for c in CAMPAIGNS if c.channel == ch]
        out: list[list[str]] = []
        for day in range(self.clock.start_day, self.clock.end_day + 1):
            date = self.clock.date_str(day)
            loaded = self.clock.ts_str(
                self.clock.clamp((day + 1) * DAY + 4 * HOUR + self.rng.randrange(3 * HOUR))
            )
            for camp in ordered:
                impressions, clicks, spend, position = self._metrics(
                    day, camp, visits.get((day, camp.campaign_id), 0)
                )
                branded = "" if camp.branded is None else ("true" if camp.branded else "false")
                pos = "" if position is None else f"{min(30.0, max(1.0, position)):.1f}"
                out.append(
                    [
                        date,
                        camp.channel,
                        camp.campaign_id,
                        str(impressions),
                        str(clicks),
                        _money(spend),
                        pos,
                        branded,
                        loaded,
                    ]
                )
        return out

    def _metrics(self, day: int, camp: Campaign, visits: int) -> tuple[int, int, int, float | None]:
        """Return (impressions, clicks, spend cents, avg_position)."""
        rng = self.rng
        ch = camp.channel
        weekday = (day + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
        position: float | None = None
        if camp.campaign_id in _AVG_POSITION:
            position = rng.uniform(*_AVG_POSITION[camp.campaign_id])
        if ch in ("paid_search", "paid_social", "display", "affiliate", "organic_search"):
            clicks = visits + poisson(rng, visits * 0.15 + 0.02 * self.scale)
            ctr = camp.ctr * rng.uniform(0.8, 1.25)
            if clicks:
                impressions = max(clicks, round(clicks / ctr))
            else:
                impressions = round(rng.uniform(0.2, 1.0) * self.scale / camp.ctr)
            basis = clicks if clicks else impressions * camp.ctr * 0.5
            spend = round(100 * camp.cpc * basis * rng.uniform(0.85, 1.15))
            return impressions, clicks, spend, position
        if ch in ("email", "sms"):
            clicks = visits + poisson(rng, visits * 0.1)
            sends = 0
            cid = camp.campaign_id
            if (cid == "em_newsletter" and weekday == 1) or (
                cid == "em_promo" and weekday == 4 and (day // 7) % 2
            ):
                sends = round(self.people * rng.uniform(0.2, 0.3))
            elif cid == "sms_promo" and weekday == 3:
                sends = round(self.people * rng.uniform(0.05, 0.08))
            elif cid in ("em_nurture", "sms_reminders"):
                sends = round(self.people * rng.uniform(0.005, 0.015))
            impressions = sends + clicks * rng.randint(8, 15)
            unit = 0.09 if ch == "email" else 0.79  # cents per message
            return impressions, clicks, round(impressions * unit), None
        # offline
        clicks = visits
        cid = camp.campaign_id
        if cid == "off_tradeshow":
            if day in self.show_days:
                impressions = clicks + round(rng.randint(1500, 6000) * self.scale / 3)
                spend = round(100 * rng.uniform(600, 1500) * self.scale)
            else:
                impressions, spend = clicks, 0
        elif cid == "off_print":
            impressions = clicks + round(rng.randint(200, 600) * self.scale)
            first_of_month = self.clock.date_str(day).endswith("-01")
            spend = round(100 * rng.uniform(800, 2000) * self.scale) if first_of_month else 0
        else:
            impressions = clicks * rng.randint(3, 8) + poisson(rng, 2 * self.scale)
            spend = round(100 * rng.uniform(0, 3) * self.scale)
        return impressions, clicks, spend, None
