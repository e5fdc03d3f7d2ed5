"""Dirty mode: inject bad-but-realistic raw rows and record what staging must do with them.

Two manifests are written next to the data:

* `expected_rejects.csv` (`table,key,reason`): one line per raw row the dbt staging must
  quarantine. `key` is the row's natural key as written raw (for marketing_spend
  `spend_date|channel|campaign_id`, empty components kept) or empty when the key column
  itself is missing. Superseded loads of leads/orders from normal generation are listed
  with reason `duplicate`.
* `expected_kept.csv` (`table,key,note`): odd-looking rows that are valid and must reach the
  clean staging models unchanged.

Each injected reject has exactly one fault and, unless the fault is the key, a fresh key
(`e_9...`, `l_9...`, `o_9...`, `r_9...`, or a `*_dq<n>` campaign id for spend).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .clock import Clock
from .model import HEADERS, TABLES

REJECT_REASONS: dict[str, tuple[str, ...]] = {
    "events": (
        "missing_event_id",
        "duplicate",
        "missing_event_type",
        "missing_identity",
        "missing_occurred_at",
        "malformed_occurred_at",
        "future_occurred_at",
        "malformed_properties",
        "invalid_scroll_depth",
    ),
    "leads": (
        "missing_lead_id",
        "duplicate",
        "missing_created_at",
        "malformed_created_at",
        "future_created_at",
        "malformed_lifecycle_at",
        "malformed_deal_amount",
        "negative_deal_amount",
    ),
    "orders": (
        "missing_order_id",
        "duplicate",
        "missing_customer_id",
        "missing_ordered_at",
        "malformed_ordered_at",
        "future_ordered_at",
        "unknown_status",
        "unknown_order_channel",
        "malformed_amount",
        "negative_amount",
        "malformed_cost",
        "negative_cost",
        "invalid_items",
        "malformed_is_trial_conversion",
    ),
    "survey_responses": (
        "missing_response_id",
        "duplicate",
        "missing_user_id",
        "unknown_survey_type",
        "missing_score",
        "malformed_score",
        "score_out_of_range",
        "missing_submitted_at",
        "malformed_submitted_at",
        "future_submitted_at",
        "unknown_survey_channel",
    ),
    "marketing_spend": (
        "missing_spend_date",
        "malformed_spend_date",
        "missing_channel",
        "missing_campaign_id",
        "duplicate",
        "future_spend_date",
        "unknown_channel",
        "malformed_metric",
        "negative_metric",
        "clicks_exceed_impressions",
        "invalid_avg_position",
    ),
}
KEPT_NOTES: tuple[str, ...] = (
    "orphan_key",
    "unicode",
    "sql_injection",
    "unknown_channel",
    "iso_timestamp",
    "needs_normalising",
)

MANIFEST_FILES: tuple[str, ...] = ("expected_rejects.csv", "expected_kept.csv")
UNICODE = "Ünïcödé ✓ 日本語 🚀"
ZWSP = "\u200b"
RTL = "\u200f"
SQL_1 = "'; drop table raw.events; --"
SQL_2 = "Robert'); DROP TABLE students;--"

Changes = Mapping[str, "str | Callable[[list[str]], str]"]
_BUSINESS_TS = {
    "events": "occurred_at",
    "leads": "created_at",
    "orders": "ordered_at",
    "survey_responses": "submitted_at",
}
_COL = {t: {c: i for i, c in enumerate(h)} for t, h in HEADERS.items()}


@dataclass
class Manifest:
    """Expected rejects and expected kept rows."""

    rejects: list[tuple[str, str, str]] = field(default_factory=list)
    kept: list[tuple[str, str, str]] = field(default_factory=list)

    def reject(self, table: str, key: str, reason: str) -> None:
        """Record a row staging must reject."""
        if reason not in REJECT_REASONS[table]:
            raise ValueError(f"unknown reason {reason!r} for {table}")
        self.rejects.append((table, key, reason))

    def keep(self, table: str, key: str, note: str) -> None:
        """Record an odd but valid row staging must keep."""
        if note not in KEPT_NOTES:
            raise ValueError(f"unknown note {note!r}")
        self.kept.append((table, key, note))

    def extend(self, other: Manifest) -> None:
        """Append another manifest's entries."""
        self.rejects.extend(other.rejects)
        self.kept.extend(other.kept)

    def write(self, out: Path) -> list[Path]:
        """Write both manifests (sorted by table, stable otherwise); returns their paths."""
        order = {t: i for i, t in enumerate(TABLES)}
        paths = []
        for name, header, rows in (
            (MANIFEST_FILES[0], ("table", "key", "reason"), self.rejects),
            (MANIFEST_FILES[1], ("table", "key", "note"), self.kept),
        ):
            path = out / name
            with path.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh, lineterminator="\n")
                writer.writerow(header)
                writer.writerows(sorted(rows, key=lambda r: order[r[0]]))
            paths.append(path)
        return paths


class Injector:
    """Adds faulty and odd rows to materialised tables (the first chunk) and to the spend rows."""

    def __init__(self, seed: int, clock: Clock) -> None:
        """Create the injector with its own rng."""
        self.rng = random.Random(f"{seed}:dirty")
        self.clock = clock
        self.manifest = Manifest()
        self._n = 0
        self._injected: dict[int, None] = {}

    # ------------------------------------------------------------------ helpers

    def _fresh(self, prefix: str) -> str:
        self._n += 1
        if prefix == "e":
            return f"e_{9_000_000_000 + self._n:010d}"
        return f"{prefix}_{900_000_000 + self._n}"

    def _template(self, rows: list[list[str]], table: str, **match: str) -> list[str]:
        """Copy a random original row whose columns equal `match` ('*' = non-empty).

        If no row matches (tiny data sets), any original row is used with the matched
        columns set to the requested values.
        """
        col = _COL[table]
        originals = [r for r in rows if id(r) not in self._injected]
        if not originals:
            raise RuntimeError(f"dirty mode: {table} is empty; use more --people")
        candidates = [
            r
            for r in originals
            if all((r[col[c]] != "") if v == "*" else (r[col[c]] == v) for c, v in match.items())
        ]
        if candidates:
            return list(self.rng.choice(candidates))
        row = list(self.rng.choice(originals))
        for c, v in match.items():
            if v != "*":
                row[col[c]] = v
        return row

    def _insert(self, rows: list[list[str]], row: list[str]) -> None:
        self._injected[id(row)] = None
        rows.insert(self.rng.randint(1, len(rows)), row)

    def _variant(
        self,
        rows: list[list[str]],
        table: str,
        prefix: str,
        changes: Changes,
        match: dict[str, str],
    ) -> list[str]:
        row = self._template(rows, table, **match)
        col = _COL[table]
        row[0] = self._fresh(prefix)
        for c, v in changes.items():
            row[col[c]] = v(row) if callable(v) else v
        self._insert(rows, row)
        return row

    def _bad(
        self,
        rows: list[list[str]],
        table: str,
        reason: str,
        prefix: str,
        changes: Changes,
        **match: str,
    ) -> None:
        """Insert a copy of a matching row with a fresh key and exactly one fault (`changes`)."""
        row = self._variant(rows, table, prefix, changes, match)
        self.manifest.reject(table, row[0] if row[0].strip() else "", reason)

    def _kept(
        self,
        rows: list[list[str]],
        table: str,
        note: str,
        prefix: str,
        changes: Changes,
        **match: str,
    ) -> None:
        """Insert a copy of a matching row with a fresh key and an odd but valid value."""
        row = self._variant(rows, table, prefix, changes, match)
        self.manifest.keep(table, row[0], note)

    def _older_copy(
        self,
        rows: list[list[str]],
        table: str,
        changes: dict[str, str] | None = None,
        exact: bool = False,
    ) -> None:
        """Insert an earlier-loaded (or exact) copy of an original row whose key occurs once."""
        counts: dict[str, int] = {}
        for r in rows:
            counts[r[0]] = counts.get(r[0], 0) + 1
        loaded_col = len(HEADERS[table]) - 1
        biz = _COL[table][_BUSINESS_TS[table]]
        candidates = [
            r
            for r in rows
            if counts[r[0]] == 1 and id(r) not in self._injected and r[loaded_col] > r[biz]
        ]
        original = self.rng.choice(candidates)
        copy = list(original)
        if not exact:
            copy[loaded_col] = self._earlier(original[loaded_col], original[biz])
            for c, v in (changes or {}).items():
                copy[_COL[table][c]] = v
        self.manifest.reject(table, original[0], "duplicate")
        self._insert(rows, copy)

    def _earlier(self, loaded: str, floor: str) -> str:
        """Pick a load time strictly before `loaded` and not before the business time `floor`."""
        lo = dt.datetime.fromisoformat(floor)
        hi = dt.datetime.fromisoformat(loaded)
        gap = int((hi - lo).total_seconds())
        return (hi - dt.timedelta(seconds=self.rng.randint(1, max(1, gap)))).strftime(
            "%Y-%m-%d %H:%M:%S"
        )

    @staticmethod
    def _iso(ts: str, suffix: str = "Z") -> str:
        return ts.replace(" ", "T") + suffix

    # ------------------------------------------------------------------ tables

    def inject(self, tables: dict[str, list[list[str]]]) -> None:
        """Inject rows into the events, leads, orders and survey_responses row lists."""
        self._events(tables["events"])
        self._leads(tables["leads"])
        self._orders(tables["orders"])
        self._surveys(tables["survey_responses"])

    def _events(self, rows: list[list[str]]) -> None:
        t = "events"
        b = self._bad
        b(rows, t, "missing_event_id", "e", {"event_id": ""}, event_type="page_view")
        b(rows, t, "missing_event_id", "e", {"event_id": "   "}, event_type="scroll")
        self._older_copy(rows, t, exact=True)
        self._older_copy(rows, t, exact=True)
        self._older_copy(rows, t, {"device": "desktop"})
        b(rows, t, "missing_event_type", "e", {"event_type": ""}, event_type="page_view")
        b(rows, t, "missing_event_type", "e", {"event_type": "  "}, event_type="feature_used")
        b(
            rows,
            t,
            "missing_identity",
            "e",
            {"anonymous_id": "", "user_id": ""},
            event_type="page_view",
        )
        b(
            rows,
            t,
            "missing_identity",
            "e",
            {"anonymous_id": "", "user_id": " "},
            event_type="scroll",
        )
        b(rows, t, "missing_occurred_at", "e", {"occurred_at": ""}, event_type="page_view")
        b(rows, t, "missing_occurred_at", "e", {"occurred_at": " "}, event_type="video_start")
        for bad_ts in ("2025-02-30 10:00:00", "31/12/2025 10:00", "yesterday"):
            b(
                rows,
                t,
                "malformed_occurred_at",
                "e",
                {"occurred_at": bad_ts},
                event_type="page_view",
            )
        b(
            rows,
            t,
            "future_occurred_at",
            "e",
            {"occurred_at": "2099-01-01 12:00:00"},
            event_type="page_view",
        )
        b(
            rows,
            t,
            "future_occurred_at",
            "e",
            {"occurred_at": "2099-06-15T08:30:00Z"},
            event_type="signup",
        )
        b(
            rows,
            t,
            "malformed_properties",
            "e",
            {"properties": '{"page_title": "Pricing", "engagement_time_s": 12'},
            event_type="page_view",
        )
        b(
            rows,
            t,
            "malformed_properties",
            "e",
            {"properties": "{video_id: product-tour}"},
            event_type="video_start",
        )
        b(
            rows,
            t,
            "malformed_properties",
            "e",
            {"properties": "not json at all"},
            event_type="feature_used",
        )
        b(
            rows,
            t,
            "invalid_scroll_depth",
            "e",
            {"properties": '{"depth_pct": 150}'},
            event_type="scroll",
        )
        b(
            rows,
            t,
            "invalid_scroll_depth",
            "e",
            {"properties": '{"depth_pct": "deep"}'},
            event_type="scroll",
        )
        b(
            rows,
            t,
            "invalid_scroll_depth",
            "e",
            {"properties": '{"depth_pct": -5}'},
            event_type="scroll",
        )

        k = self._kept
        pv = {"event_type": "page_view", "anonymous_id": "*"}
        k(
            rows,
            t,
            "unicode",
            "e",
            {
                "utm_source": "newsletter",
                "utm_medium": "email",
                "utm_campaign": f"spring_{UNICODE}",
                "referrer_url": "",
            },
            **pv,
        )
        k(
            rows,
            t,
            "unicode",
            "e",
            {"page_url": "https://www.journeyco.example/blog/ünïcödé-✓-日本語-🚀"},
            **pv,
        )
        k(
            rows,
            t,
            "unicode",
            "e",
            {
                "utm_source": "google",
                "utm_medium": "cpc",
                "utm_campaign": "ps_brand",
                "utm_term": f"journey{ZWSP}co {RTL}pricing",
                "referrer_url": "",
            },
            **pv,
        )
        k(
            rows,
            t,
            "sql_injection",
            "e",
            {
                "utm_source": "google",
                "utm_medium": "cpc",
                "utm_campaign": "ps_generic",
                "utm_term": SQL_2,
                "referrer_url": "",
            },
            **pv,
        )
        k(
            rows,
            t,
            "sql_injection",
            "e",
            {
                "utm_source": "newsletter",
                "utm_medium": "email",
                "utm_campaign": SQL_1,
                "referrer_url": "",
            },
            **pv,
        )
        k(
            rows,
            t,
            "sql_injection",
            "e",
            {"page_url": f"https://www.journeyco.example/search?q={SQL_1}"},
            **pv,
        )
        k(
            rows,
            t,
            "unknown_channel",
            "e",
            {
                "utm_source": "carrier_pigeon",
                "utm_medium": "telepathy",
                "utm_campaign": "",
                "referrer_url": "",
            },
            **pv,
        )
        k(
            rows,
            t,
            "unknown_channel",
            "e",
            {
                "utm_source": "mastodon.example",
                "utm_medium": "fediverse",
                "utm_campaign": "",
                "referrer_url": "https://mastodon.example/@journeyco",
            },
            **pv,
        )
        k(
            rows,
            t,
            "iso_timestamp",
            "e",
            {"occurred_at": lambda r: self._iso(r[2])},
            event_type="page_view",
        )
        k(
            rows,
            t,
            "iso_timestamp",
            "e",
            {"occurred_at": lambda r: self._iso(r[2], "+00:00")},
            event_type="feature_used",
        )
        k(
            rows,
            t,
            "needs_normalising",
            "e",
            {"device": "Mobile"},
            event_type="page_view",
            device="mobile",
        )
        k(
            rows,
            t,
            "needs_normalising",
            "e",
            {"device": " DESKTOP "},
            event_type="scroll",
            device="desktop",
        )
        k(rows, t, "needs_normalising", "e", {"event_type": " Page_View "}, event_type="page_view")
        k(rows, t, "needs_normalising", "e", {"device": "smart_fridge"}, event_type="page_view")

    def _leads(self, rows: list[list[str]]) -> None:
        t = "leads"
        b = self._bad
        b(rows, t, "missing_lead_id", "l", {"lead_id": ""})
        b(rows, t, "missing_lead_id", "l", {"lead_id": "  "})
        self._older_copy(
            rows,
            t,
            {
                "mql_at": "",
                "sql_at": "",
                "opportunity_at": "",
                "won_at": "",
                "lost_at": "",
                "deal_amount": "",
            },
        )
        self._older_copy(rows, t, {"won_at": "", "lost_at": "", "deal_amount": ""})
        stages_blank = {
            "mql_at": "",
            "sql_at": "",
            "opportunity_at": "",
            "won_at": "",
            "lost_at": "",
            "deal_amount": "",
        }
        b(rows, t, "missing_created_at", "l", {"created_at": ""})
        b(rows, t, "missing_created_at", "l", {"created_at": "   "})
        b(
            rows,
            t,
            "malformed_created_at",
            "l",
            {"created_at": "2025-13-01 09:00:00", **stages_blank},
        )
        b(rows, t, "malformed_created_at", "l", {"created_at": "01/02/2025"})
        b(rows, t, "future_created_at", "l", {"created_at": "2099-02-01 09:00:00", **stages_blank})
        b(rows, t, "future_created_at", "l", {"created_at": "2099-11-30T23:00:00Z", **stages_blank})
        b(rows, t, "malformed_lifecycle_at", "l", {"mql_at": "2025-02-30 10:00:00"}, mql_at="*")
        b(rows, t, "malformed_lifecycle_at", "l", {"lost_at": "soon"}, won_at="")
        b(rows, t, "malformed_deal_amount", "l", {"deal_amount": "12k"})
        b(rows, t, "malformed_deal_amount", "l", {"deal_amount": "N/A"})
        b(rows, t, "negative_deal_amount", "l", {"deal_amount": "-5000.00"})
        b(rows, t, "negative_deal_amount", "l", {"deal_amount": "-1.00"})
        k = self._kept
        k(rows, t, "unicode", "l", {"industry": UNICODE})
        k(
            rows,
            t,
            "unicode",
            "l",
            {"email": f"zoë.{ZWSP}müller@example.org", "industry": f"{RTL}media"},
        )
        k(rows, t, "sql_injection", "l", {"industry": SQL_2})
        k(rows, t, "iso_timestamp", "l", {"created_at": lambda r: self._iso(r[3])}, mql_at="")
        k(
            rows,
            t,
            "needs_normalising",
            "l",
            {"lead_source": " Demo_Request "},
            lead_source="demo_request",
        )
        k(
            rows,
            t,
            "needs_normalising",
            "l",
            {"job_role": "EXECUTIVE", "company_size": " 1001+ "},
            job_role="executive",
            company_size="1001+",
        )

    def _orders(self, rows: list[list[str]]) -> None:
        t = "orders"
        b = self._bad
        done = {"status": "completed"}
        b(rows, t, "missing_order_id", "o", {"order_id": ""}, **done)
        b(rows, t, "missing_order_id", "o", {"order_id": " "}, **done)
        self._older_copy(rows, t)
        self._older_copy(rows, t, exact=True)
        b(rows, t, "missing_customer_id", "o", {"customer_id": ""}, **done)
        b(rows, t, "missing_customer_id", "o", {"customer_id": "  "}, **done)
        b(rows, t, "missing_ordered_at", "o", {"ordered_at": ""}, **done)
        b(rows, t, "missing_ordered_at", "o", {"ordered_at": " "}, **done)
        b(rows, t, "malformed_ordered_at", "o", {"ordered_at": "2025/04/31 10:00"}, **done)
        b(rows, t, "malformed_ordered_at", "o", {"ordered_at": "not a date"}, **done)
        b(rows, t, "future_ordered_at", "o", {"ordered_at": "2099-03-03 03:03:03"}, **done)
        b(rows, t, "future_ordered_at", "o", {"ordered_at": "2099-12-31T00:00:00Z"}, **done)
        b(rows, t, "unknown_status", "o", {"status": "shipped"}, **done)
        b(rows, t, "unknown_status", "o", {"status": "lost_in_mail"}, **done)
        b(rows, t, "unknown_order_channel", "o", {"order_channel": "fax"}, **done)
        b(rows, t, "unknown_order_channel", "o", {"order_channel": "carrier_pigeon"}, **done)
        b(rows, t, "malformed_amount", "o", {"amount": "abc"}, **done)
        b(rows, t, "malformed_amount", "o", {"amount": ""}, **done)
        b(rows, t, "negative_amount", "o", {"amount": "-29.00", "cost": "-5.00"}, **done)
        b(rows, t, "negative_amount", "o", {"amount": "-0.01", "cost": "-0.01"}, **done)
        b(rows, t, "malformed_cost", "o", {"cost": "n/a"}, **done)
        b(rows, t, "malformed_cost", "o", {"cost": "cheap"}, **done)
        b(rows, t, "negative_cost", "o", {"cost": "-3.50"}, **done)
        b(rows, t, "negative_cost", "o", {"cost": "-1.00"}, **done)
        b(rows, t, "invalid_items", "o", {"items": "0"}, **done)
        b(rows, t, "invalid_items", "o", {"items": "-1"}, **done)
        b(rows, t, "invalid_items", "o", {"items": "2.5"}, **done)
        b(rows, t, "malformed_is_trial_conversion", "o", {"is_trial_conversion": "maybe"}, **done)
        b(rows, t, "malformed_is_trial_conversion", "o", {"is_trial_conversion": "unknown"}, **done)
        k = self._kept
        k(
            rows,
            t,
            "orphan_key",
            "o",
            {"customer_id": "u_990000001", "order_channel": "pos"},
            **done,
        )
        k(
            rows,
            t,
            "orphan_key",
            "o",
            {"customer_id": "u_990000002", "order_channel": "sales"},
            **done,
        )
        k(rows, t, "iso_timestamp", "o", {"ordered_at": lambda r: self._iso(r[2])}, **done)
        k(rows, t, "needs_normalising", "o", {"status": "Completed"}, **done)
        k(
            rows,
            t,
            "needs_normalising",
            "o",
            {"order_channel": " Web ", "is_trial_conversion": "FALSE"},
            order_channel="web",
            **done,
        )
        k(
            rows,
            t,
            "needs_normalising",
            "o",
            {"is_trial_conversion": "Yes"},
            is_trial_conversion="true",
            **done,
        )

    def _surveys(self, rows: list[list[str]]) -> None:
        t = "survey_responses"
        b = self._bad
        b(rows, t, "missing_response_id", "r", {"response_id": ""})
        b(rows, t, "missing_response_id", "r", {"response_id": "  "})
        self._older_copy(rows, t)
        self._older_copy(rows, t, exact=True)
        b(rows, t, "missing_user_id", "r", {"user_id": ""})
        b(rows, t, "missing_user_id", "r", {"user_id": " "})
        b(rows, t, "unknown_survey_type", "r", {"survey_type": "qualtrics"})
        b(rows, t, "unknown_survey_type", "r", {"survey_type": "smiley"})
        b(rows, t, "missing_score", "r", {"score": ""}, survey_type="nps")
        b(rows, t, "missing_score", "r", {"score": "  "}, survey_type="csat")
        b(rows, t, "malformed_score", "r", {"score": "7.5"}, survey_type="nps")
        b(rows, t, "malformed_score", "r", {"score": "ten"}, survey_type="nps")
        for stype, score in (
            ("nps", "11"),
            ("nps", "-1"),
            ("csat", "0"),
            ("csat", "6"),
            ("ces", "8"),
            ("review", "6"),
            ("brand_recall", "2"),
        ):
            b(rows, t, "score_out_of_range", "r", {"survey_type": stype, "score": score})
        b(rows, t, "missing_submitted_at", "r", {"submitted_at": ""})
        b(rows, t, "missing_submitted_at", "r", {"submitted_at": " "})
        b(rows, t, "malformed_submitted_at", "r", {"submitted_at": "2025-02-30 12:00:00"})
        b(rows, t, "malformed_submitted_at", "r", {"submitted_at": "last tuesday"})
        b(rows, t, "future_submitted_at", "r", {"submitted_at": "2099-05-05 05:05:05"})
        b(rows, t, "future_submitted_at", "r", {"submitted_at": "2099-07-01T00:00:00Z"})
        b(rows, t, "unknown_survey_channel", "r", {"survey_channel": "carrier_pigeon"})
        b(rows, t, "unknown_survey_channel", "r", {"survey_channel": "fax"})
        k = self._kept
        k(
            rows,
            t,
            "unicode",
            "r",
            {"comment": f"{UNICODE} great product, the {ZWSP}dashboards {RTL}rock"},
        )
        k(rows, t, "unicode", "r", {"comment": 'Très bien, "merci" 👍\nSecond line, with a comma.'})
        k(rows, t, "sql_injection", "r", {"comment": SQL_1})
        k(rows, t, "sql_injection", "r", {"comment": SQL_2})
        k(rows, t, "orphan_key", "r", {"user_id": "u_990000003"})
        k(rows, t, "orphan_key", "r", {"user_id": "u_990000004"})
        k(rows, t, "iso_timestamp", "r", {"submitted_at": lambda r: self._iso(r[4])})
        k(rows, t, "needs_normalising", "r", {"survey_type": " NPS "}, survey_type="nps")
        k(rows, t, "needs_normalising", "r", {"survey_channel": "EMAIL"}, survey_channel="email")

    def inject_spend(self, rows: list[list[str]]) -> None:
        """Inject faulty marketing_spend rows (fresh campaign ids keep their keys unique)."""
        t = "marketing_spend"
        col = _COL[t]

        def add(
            code: str, changes: Changes, fresh: bool = True, kept: bool = False, **match: str
        ) -> None:
            row = self._template(rows, t, **match)
            if fresh:
                self._n += 1
                row[col["campaign_id"]] = f"{row[col['campaign_id']]}_dq{self._n}"
            for c, v in changes.items():
                row[col[c]] = v(row) if callable(v) else v
            key = "|".join(row[:3])  # as written raw; empty components stay empty
            if kept:
                self.manifest.keep(t, key, code)
            else:
                self.manifest.reject(t, key, code)
            self._insert(rows, row)

        def bad(reason: str, changes: Changes, fresh: bool = True, **match: str) -> None:
            add(reason, changes, fresh, **match)

        bad("missing_spend_date", {"spend_date": ""}, channel="paid_search")
        bad("missing_spend_date", {"spend_date": ""}, channel="display")
        bad("malformed_spend_date", {"spend_date": "2025-02-30"}, channel="paid_social")
        bad("malformed_spend_date", {"spend_date": "03/15/2025"}, channel="email")
        bad("missing_channel", {"channel": ""}, channel="affiliate")
        bad("missing_channel", {"channel": ""}, channel="sms")
        bad("missing_campaign_id", {"campaign_id": ""}, fresh=False, channel="paid_search")
        bad("missing_campaign_id", {"campaign_id": ""}, fresh=False, channel="offline")
        for _ in range(2):
            self._older_copy_spend(rows)
        bad("future_spend_date", {"spend_date": "2099-01-01"}, channel="paid_search")
        bad("future_spend_date", {"spend_date": "2099-12-31"}, channel="display")
        bad("unknown_channel", {"channel": "tv_galaxy"}, channel="offline")
        bad("unknown_channel", {"channel": "billboard_mars"}, channel="offline")
        bad("malformed_metric", {"impressions": "lots"}, channel="paid_search")
        bad("malformed_metric", {"spend": "12.3.4"}, channel="paid_social")
        bad("malformed_metric", {"clicks": "n/a"}, channel="display")
        bad("negative_metric", {"spend": "-10.00"}, channel="paid_search")
        bad("negative_metric", {"clicks": "-5"}, channel="affiliate")
        bad(
            "clicks_exceed_impressions",
            {"impressions": "10", "clicks": "50"},
            channel="paid_social",
        )
        bad("clicks_exceed_impressions", {"impressions": "0", "clicks": "3"}, channel="display")
        bad("invalid_avg_position", {"avg_position": "0.5"}, channel="paid_search")
        bad("invalid_avg_position", {"avg_position": "0.0"}, channel="organic_search")
        # odd but valid (fresh, already lower-case keys so normalisation cannot change them)
        add(
            "unicode",
            {"campaign_id": lambda r: f"{r[2]}_ünïcödé_✓_日本語_🚀"},
            kept=True,
            channel="paid_social",
        )
        add("sql_injection", {"campaign_id": SQL_1}, fresh=False, kept=True, channel="display")
        add("iso_timestamp", {"_loaded_at": lambda r: self._iso(r[8])}, kept=True, channel="email")
        add(
            "needs_normalising",
            {"is_branded": "TRUE", "avg_position": " 2.5 "},
            kept=True,
            channel="paid_search",
        )

    def _older_copy_spend(self, rows: list[list[str]]) -> None:
        """Insert an earlier load of an original spend row (key occurring once), other numbers."""
        t = "marketing_spend"
        counts: dict[str, int] = {}
        for r in rows:
            key = "|".join(r[:3])
            counts[key] = counts.get(key, 0) + 1
        candidates = [
            r
            for r in rows
            if counts["|".join(r[:3])] == 1
            and id(r) not in self._injected
            and r[8] > r[0] + " 00:00:00"
        ]
        original = self.rng.choice(candidates)
        copy = list(original)
        copy[8] = self._earlier(original[8], original[0] + " 00:00:00")
        copy[5] = f"{float(original[5]) * 0.9:.2f}"
        self.manifest.reject(t, "|".join(original[:3]), "duplicate")
        self._insert(rows, copy)
