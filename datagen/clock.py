"""Time helpers: the simulated period and fast, cached formatting of epoch seconds (UTC)."""

from __future__ import annotations

import datetime as dt
import math
import random

DAY = 86_400
HOUR = 3_600
MINUTE = 60

_EPOCH = dt.date(1970, 1, 1)


def parse_date(text: str) -> dt.date:
    """Parse a `YYYY-MM-DD` date (raises `ValueError` otherwise)."""
    return dt.date.fromisoformat(text)


def date_to_day(day: dt.date) -> int:
    """Days since 1970-01-01 of a date."""
    return (day - _EPOCH).days


def day_to_date(day: int) -> dt.date:
    """Date of a day number (days since 1970-01-01)."""
    return _EPOCH + dt.timedelta(days=day)


class Clock:
    """The simulated period `[start 00:00:00, end 23:59:59]` (UTC) plus string formatting.

    Timestamps are integer seconds since the Unix epoch. Formatting caches one string per
    day, so the cache is bounded by the number of days in the period (plus a few outliers).
    """

    def __init__(self, start: dt.date, end: dt.date) -> None:
        """Create the clock for an inclusive date range."""
        if end < start:
            raise ValueError(f"end {end} is before start {start}")
        self.start = start
        self.end = end
        self.start_day = date_to_day(start)
        self.end_day = date_to_day(end)
        self.start_ts = self.start_day * DAY
        self.end_ts = (self.end_day + 1) * DAY - 1
        self._day_str: dict[int, str] = {}

    @property
    def span(self) -> int:
        """Length of the period in seconds."""
        return self.end_ts - self.start_ts + 1

    def date_str(self, day: int) -> str:
        """Format a day number as `YYYY-MM-DD`."""
        text = self._day_str.get(day)
        if text is None:
            text = day_to_date(day).isoformat()
            self._day_str[day] = text
        return text

    def ts_str(self, ts: int) -> str:
        """Format epoch seconds as `YYYY-MM-DD HH:MM:SS`."""
        day, rem = divmod(ts, DAY)
        hours, rem = divmod(rem, HOUR)
        minutes, seconds = divmod(rem, MINUTE)
        return f"{self.date_str(day)} {hours:02d}:{minutes:02d}:{seconds:02d}"

    def clamp(self, ts: int) -> int:
        """Clamp a timestamp to the end of the period (used for load times)."""
        return min(ts, self.end_ts)


def poisson(rng: random.Random, lam: float) -> int:
    """Draw a Poisson variate (Knuth for small means, normal approximation for large)."""
    if lam <= 0:
        return 0
    if lam > 50:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit = math.exp(-lam)
    k = 0
    p = rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k
