"""Independent check of the shapley attribution model (doc block attribution_shapley).

A plain-Python implementation, written from the definitions and not from the SQL: channel
sets with frozensets, the worth v(T) by scanning the journeys, and the Shapley value by its
permutation definition (the average marginal contribution over every order of arrival) or,
for larger sets, by Harsanyi dividends (phi_c = sum over T holding c of d(T) / |T|). The SQL
uses a third form (the subset formula, regrouped by coalition with integer weights).

It checks (a) the expectations of the dbt unit tests of the shapley models, read from their
YAML (no dbt needed), and (b) the models built on the demo data, against a recomputation from
their input int_attribution_journeys, to 1e-9.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from itertools import combinations, permutations
from pathlib import Path

import duckdb
import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
MODELS_YML = (
    REPO_ROOT / "models" / "intermediate" / "attribution" / "_attribution_shapley__models.yml"
)
# macros/codes.sql channel_codes(): the order the SQL labels follow
CHANNELS = [
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
]
UNATTRIBUTED = "unattributed"
TOLERANCE = 1e-9
PERMUTATION_LIMIT = 7  # the permutation definition above this set size gets slow

Journeys = list[tuple[frozenset[str], bool]]


# --------------------------------------------------------------------------------------
# The independent implementation
# --------------------------------------------------------------------------------------


def label(channels: Iterable[str]) -> str:
    members = set(channels)
    return "+".join(channel for channel in CHANNELS if channel in members)


def parse_label(text: str) -> frozenset[str]:
    return frozenset(text.split("+"))


def worth_function(journeys: Journeys) -> Callable[[frozenset[str]], float]:
    """v(T) = conversions / journeys over the journeys whose channel set lies within T."""
    cache: dict[frozenset[str], float] = {}

    def worth(coalition: frozenset[str]) -> float:
        if coalition not in cache:
            inside = [converting for channels, converting in journeys if channels <= coalition]
            cache[coalition] = sum(inside) / len(inside) if inside else 0.0
        return cache[coalition]

    return worth


def shapley_by_permutations(
    players: frozenset[str], worth: Callable[[frozenset[str]], float]
) -> dict[str, float]:
    totals = dict.fromkeys(players, 0.0)
    orders = list(permutations(sorted(players)))
    for order in orders:
        before: frozenset[str] = frozenset()
        for player in order:
            after = before | {player}
            totals[player] += worth(after) - worth(before)
            before = after
    return {player: total / len(orders) for player, total in totals.items()}


def shapley_by_dividends(
    players: frozenset[str], worth: Callable[[frozenset[str]], float]
) -> dict[str, float]:
    """Harsanyi dividends d(T) = sum over U within T of (-1)^(|T|-|U|) v(U)."""
    values = dict.fromkeys(players, 0.0)
    ordered = sorted(players)
    for size in range(1, len(ordered) + 1):
        for coalition in combinations(ordered, size):
            dividend = sum(
                (-1) ** (size - inner) * worth(frozenset(subset))
                for inner in range(1, size + 1)
                for subset in combinations(coalition, inner)
            )
            for player in coalition:
                values[player] += dividend / size
    return values


def shapley(players: frozenset[str], worth: Callable[[frozenset[str]], float]) -> dict[str, float]:
    if len(players) <= PERMUTATION_LIMIT:
        return shapley_by_permutations(players, worth)
    return shapley_by_dividends(players, worth)


def credit_shares(values: dict[str, float]) -> dict[str, float]:
    positive = {player: max(value, 0.0) for player, value in values.items()}
    total = sum(positive.values())
    return {player: value / total for player, value in positive.items()}


def conversion_credits(
    touches: list[tuple[int, str]], shares: dict[str, float] | None
) -> dict[int, float]:
    """touches: (touch_position, channel) of one conversion; shares: its set's shares."""
    if len(touches) == 1 and touches[0][0] == 0:
        return {0: 1.0}
    assert shares is not None
    per_channel = Counter(channel for _, channel in touches)
    return {position: shares[channel] / per_channel[channel] for position, channel in touches}


# --------------------------------------------------------------------------------------
# The implementation itself, on textbook cases
# --------------------------------------------------------------------------------------


def test_shapley_forms_agree_and_are_efficient() -> None:
    journeys: Journeys = [
        (frozenset({"email"}), True),
        (frozenset({"email", "display"}), False),
        (frozenset({"display", "sms", "email"}), True),
        (frozenset({"sms"}), False),
        (frozenset({"sms", "email"}), True),
        (frozenset({"display"}), False),
    ]
    worth = worth_function(journeys)
    players = frozenset({"email", "display", "sms"})
    by_permutations = shapley_by_permutations(players, worth)
    by_dividends = shapley_by_dividends(players, worth)
    for player in players:
        assert by_permutations[player] == pytest.approx(by_dividends[player], abs=1e-12)
    assert sum(by_permutations.values()) == pytest.approx(worth(players), abs=1e-12)


def test_counts_alone_would_give_an_equal_split() -> None:
    """The reason for the rate worth: with v(T) = conversions within T only, every converting
    set splits evenly (each conversion's dividend lands on its own set)."""
    journeys: Journeys = [(frozenset({"email", "display"}), True), (frozenset({"email"}), True)]

    def count_worth(coalition: frozenset[str]) -> float:
        return float(sum(converting for channels, converting in journeys if channels <= coalition))

    values = shapley_by_permutations(frozenset({"email", "display"}), count_worth)
    # email: its own conversion (1) plus half of the joint one; display: the other half
    assert values == {"email": 1.5, "display": 0.5}


# --------------------------------------------------------------------------------------
# (a) The dbt unit tests' hand-computed expectations
# --------------------------------------------------------------------------------------


def unit_test(name: str) -> dict:
    tests = yaml.safe_load(MODELS_YML.read_text(encoding="utf-8"))["unit_tests"]
    matches = [test for test in tests if test["name"] == name]
    assert len(matches) == 1, name
    return matches[0]


def given_rows(test: dict, ref_name: str) -> list[dict]:
    (given,) = [item for item in test["given"] if item["input"] == f"ref('{ref_name}')"]
    if given.get("format") == "csv":
        return list(csv.DictReader(io.StringIO(given["rows"])))
    return given["rows"]


def as_bool(value: object) -> bool:
    return value is True or str(value).lower() == "true"


def sets_of_given_journeys(rows: list[dict]) -> dict[str, tuple[frozenset[str], bool]]:
    """int_attribution_shapley_journeys rows (with has_<channel> columns) by journey."""
    return {
        row["journey_id"]: (
            frozenset(channel for channel in CHANNELS if int(row[f"has_{channel}"]) == 1),
            as_bool(row["is_converting"]),
        )
        for row in rows
    }


def needed_coalitions(journeys: Journeys) -> set[frozenset[str]]:
    found = set()
    for channels, converting in journeys:
        if converting:
            ordered = sorted(channels)
            for size in range(1, len(ordered) + 1):
                found.update(frozenset(subset) for subset in combinations(ordered, size))
    return found


def test_unit_test_journeys_channel_sets() -> None:
    test = unit_test("test_shapley_journeys_channel_sets")
    touches: dict[str, list[dict]] = defaultdict(list)
    for row in given_rows(test, "int_attribution_journeys"):
        touches[row["journey_id"]].append(row)
    expected = {row["journey_id"]: row for row in test["expect"]["rows"]}
    computed = {}
    for journey, rows in touches.items():
        channels = {row["channel"] for row in rows if row["touch_position"] >= 1}
        if channels:
            computed[journey] = channels
    assert set(computed) == set(expected)
    for journey, channels in computed.items():
        row = expected[journey]
        assert row["channel_set"] == label(channels)
        assert row["channel_set_size"] == len(channels)
        for key, value in row.items():
            if key.startswith("has_"):
                assert value == int(key[4:] in channels), (journey, key)


def test_unit_test_worths() -> None:
    test = unit_test("test_shapley_worths")
    journeys = list(
        sets_of_given_journeys(given_rows(test, "int_attribution_shapley_journeys")).values()
    )
    worth = worth_function(journeys)
    expected = {parse_label(row["coalition"]): row for row in test["expect"]["rows"]}
    assert set(expected) == needed_coalitions(journeys)
    converting_sets = {channels for channels, converting in journeys if converting}
    for coalition, row in expected.items():
        inside = [converting for channels, converting in journeys if channels <= coalition]
        assert row["journeys"] == len(inside)
        assert row["conversions"] == sum(inside)
        assert row["worth"] == worth(coalition)
        assert row["coalition_size"] == len(coalition)
        assert row["is_converting_set"] == (coalition in converting_sets)


def test_unit_test_values() -> None:
    test = unit_test("test_shapley_values")
    given = given_rows(test, "int_attribution_shapley_worths")
    worths = {
        frozenset(channel for channel in CHANNELS if int(row[f"has_{channel}"]) == 1): float(
            row["worth"]
        )
        for row in given
    }
    for row in given:
        assert parse_label(row["coalition"]) in worths
    # the given worths are those of test_shapley_worths' path set, recomputed here
    worths_test = unit_test("test_shapley_worths")
    journeys = list(
        sets_of_given_journeys(given_rows(worths_test, "int_attribution_shapley_journeys")).values()
    )
    path_worth = worth_function(journeys)
    assert worths == {coalition: path_worth(coalition) for coalition in worths}

    def worth(coalition: frozenset[str]) -> float:
        return worths.get(coalition, 0.0)

    converting_sets = [
        parse_label(row["coalition"]) for row in given if as_bool(row["is_converting_set"])
    ]
    expected = {(row["channel_set"], row["channel"]): row for row in test["expect"]["rows"]}
    computed = {}
    for channel_set in converting_sets:
        values = shapley_by_permutations(channel_set, worth)
        shares = credit_shares(values)
        for channel, value in values.items():
            computed[(label(channel_set), channel)] = (value, shares[channel], worth(channel_set))
    assert set(computed) == set(expected)
    for key, (value, share, set_worth) in computed.items():
        row = expected[key]
        assert row["shapley_value"] == pytest.approx(value, abs=1e-12), key
        assert row["credit_share"] == pytest.approx(share, abs=1e-12), key
        assert row["set_worth"] == pytest.approx(set_worth, abs=1e-12), key
        assert row["channel_set_size"] == len(parse_label(key[0]))
    # the case is not trivial: a negative value, clipped, and not an equal split
    assert any(value < 0 for value, _, _ in computed.values())
    three = [
        share for (channel_set, _), (_, share, _) in computed.items() if channel_set.count("+") == 2
    ]
    assert len(set(three)) == 3


def test_unit_test_credits() -> None:
    test = unit_test("test_shapley_credits")
    sets = {
        row["journey_id"]: row["channel_set"]
        for row in given_rows(test, "int_attribution_shapley_journeys")
    }
    shares: dict[str, dict[str, float]] = defaultdict(dict)
    for row in given_rows(test, "int_attribution_shapley_values"):
        shares[row["channel_set"]][row["channel"]] = row["credit_share"]
    # the given shares are the expectations of test_shapley_values
    values_expect = unit_test("test_shapley_values")["expect"]["rows"]
    for row in values_expect:
        if row["channel_set"] in shares:
            assert shares[row["channel_set"]][row["channel"]] == row["credit_share"]
    touches: dict[str, list[tuple[int, str]]] = defaultdict(list)
    journey_of: dict[str, str] = {}
    for row in given_rows(test, "int_attribution_journeys"):
        if row["is_converting"]:
            touches[row["conversion_id"]].append((row["touch_position"], row["channel"]))
            journey_of[row["conversion_id"]] = row["journey_id"]
    computed = {}
    for conversion, rows in touches.items():
        channel_set = sets.get(journey_of[conversion])
        credits = conversion_credits(rows, shares.get(channel_set) if channel_set else None)
        computed.update({(conversion, position): credit for position, credit in credits.items()})
    expected = {
        (row["conversion_id"], row["touch_position"]): row["credit"]
        for row in test["expect"]["rows"]
    }
    assert set(computed) == set(expected)
    for key, credit in computed.items():
        assert expected[key] == pytest.approx(credit, abs=1e-12), key


# --------------------------------------------------------------------------------------
# (b) The models built on the demo data
# --------------------------------------------------------------------------------------


def fetch(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def demo_shapley(demo_db: Path) -> dict:
    with duckdb.connect(str(demo_db), read_only=True) as con:
        journey_rows = fetch(
            con,
            "select journey_id, conversion_id, is_converting, touch_position, channel"
            " from intermediate.int_attribution_journeys",
        )
        return {
            "journeys": journey_rows,
            "worths": fetch(
                con,
                "select coalition, journeys, conversions, worth, is_converting_set"
                " from intermediate.int_attribution_shapley_worths",
            ),
            "values": fetch(
                con,
                "select channel_set, channel, shapley_value, credit_share"
                " from intermediate.int_attribution_shapley_values",
            ),
            "credits": fetch(
                con,
                "select conversion_id, touch_position, credit"
                " from intermediate.int_attribution_shapley_credits",
            ),
            "touchpoints": fetch(
                con,
                "select conversion_id, touch_position"
                " from intermediate.int_attribution_touchpoints",
            ),
        }


def demo_journeys(rows: list[tuple]) -> tuple[dict[str, tuple[frozenset[str], bool]], dict]:
    channels: dict[str, set[str]] = defaultdict(set)
    converting: dict[str, bool] = {}
    touches: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for journey_id, conversion_id, is_converting, position, channel in rows:
        converting[journey_id] = is_converting
        if position >= 1:
            channels[journey_id].add(channel)
        if is_converting:
            touches[conversion_id].append((position, channel))
    sets = {journey: (frozenset(found), converting[journey]) for journey, found in channels.items()}
    return sets, touches


def test_demo_worths_match(demo_shapley: dict) -> None:
    sets, _ = demo_journeys(demo_shapley["journeys"])
    journeys = list(sets.values())
    worth = worth_function(journeys)
    built = {parse_label(row[0]): row for row in demo_shapley["worths"]}
    assert set(built) == needed_coalitions(journeys)
    converting_sets = {channels for channels, converting in journeys if converting}
    for coalition, (_, count, conversions, value, is_converting_set) in built.items():
        inside = [converting for channels, converting in journeys if channels <= coalition]
        assert (count, conversions) == (len(inside), sum(inside)), coalition
        assert math.isclose(value, worth(coalition), abs_tol=TOLERANCE), coalition
        assert is_converting_set == (coalition in converting_sets)


def test_demo_values_and_credits_match(demo_shapley: dict) -> None:
    sets, touches = demo_journeys(demo_shapley["journeys"])
    journeys = list(sets.values())
    worth = worth_function(journeys)
    converting_sets = {channels for channels, converting in journeys if converting}
    assert len({channel for channels, _ in journeys for channel in channels} - set(CHANNELS)) == 0

    built_values = {(row[0], row[1]): row[2:] for row in demo_shapley["values"]}
    computed_shares: dict[frozenset[str], dict[str, float]] = {}
    expected_keys = set()
    for channel_set in converting_sets:
        values = shapley(channel_set, worth)
        shares = credit_shares(values)
        computed_shares[channel_set] = shares
        for channel in channel_set:
            key = (label(channel_set), channel)
            expected_keys.add(key)
            value, share = built_values[key]
            assert math.isclose(value, values[channel], abs_tol=TOLERANCE), key
            assert math.isclose(share, shares[channel], abs_tol=TOLERANCE), key
    assert set(built_values) == expected_keys

    journey_sets = {
        journey: channels for journey, (channels, converting) in sets.items() if converting
    }
    built_credits = {(row[0], row[1]): row[2] for row in demo_shapley["credits"]}
    # every touchpoint row of fct_attribution_credits' input has a shapley credit
    assert set(built_credits) == {tuple(row) for row in demo_shapley["touchpoints"]}
    checked = 0
    for conversion, rows in touches.items():
        # converting journeys: journey_id = conversion_id
        channel_set = journey_sets.get(conversion)
        credits = conversion_credits(rows, computed_shares[channel_set] if channel_set else None)
        assert math.isclose(sum(credits.values()), 1.0, abs_tol=TOLERANCE), conversion
        for position, credit in credits.items():
            assert math.isclose(built_credits[(conversion, position)], credit, abs_tol=TOLERANCE)
            checked += 1
    assert checked == len(built_credits)
    # the model is data-driven on the demo data: some channel somewhere has a negative value
    assert any(row[2] < 0 for row in demo_shapley["values"])
    assert UNATTRIBUTED not in {channel for channels, _ in journeys for channel in channels}
