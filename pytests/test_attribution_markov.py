"""Independent check of the markov attribution model (doc block attribution_markov).

A plain-Python implementation, written apart from the SQL: the chain's absorption
probabilities come from solving the linear system of the absorbing chain exactly (Gaussian
elimination over fractions), not from propagating mass for a fixed number of steps as the
SQL does. The tests below

(a) confirm the hand-computed expectations of the dbt unit tests in
    models/intermediate/attribution/_attribution_markov__models.yml (no dbt needed), and
(b) compare the transitions, removal effects and every conversion's credits of the demo build
    with this implementation, to 1e-9.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

import duckdb
import pytest
import yaml
from dbt_harness import REPO_ROOT

MODELS_YML = REPO_ROOT / "models/intermediate/attribution/_attribution_markov__models.yml"
START, CONVERSION, NULL = "start", "conversion", "null"
TOLERANCE = 1e-9

Chain = dict[str, dict[str, Fraction]]


# --------------------------------------------------------------------------------------
# The reference implementation
# --------------------------------------------------------------------------------------


def journey_paths(rows: Iterable[dict]) -> dict[str, tuple[list[str], bool]]:
    """Journey id -> (channel path with consecutive repeats collapsed, converted?).

    Rows are journey x touch (journey_id, touch_position, channel, is_converting); the
    position-0 row of a conversion with no touch is no path.
    """
    touches: dict[str, list[tuple[int, str]]] = defaultdict(list)
    converted: dict[str, bool] = {}
    for row in rows:
        if int(row["touch_position"]) <= 0:
            continue
        touches[row["journey_id"]].append((int(row["touch_position"]), row["channel"]))
        converted[row["journey_id"]] = bool(row["is_converting"])
    paths = {}
    for journey_id, journey_touches in touches.items():
        path: list[str] = []
        for _, channel in sorted(journey_touches):
            if not path or path[-1] != channel:
                path.append(channel)
        paths[journey_id] = (path, converted[journey_id])
    return paths


def transition_counts(paths: Iterable[tuple[list[str], bool]]) -> Counter:
    counts: Counter = Counter()
    for path, converted in paths:
        states = [START, *path, CONVERSION if converted else NULL]
        counts.update(zip(states, states[1:], strict=False))
    return counts


def chain_of(counts: Counter) -> Chain:
    out: Counter = Counter()
    for (from_state, _), n in counts.items():
        out[from_state] += n
    chain: Chain = defaultdict(dict)
    for (from_state, to_state), n in counts.items():
        chain[from_state][to_state] = Fraction(n, out[from_state])
    return dict(chain)


def channels_of(chain: Chain) -> list[str]:
    return sorted(state for state in chain if state != START)


def redirect(to_state: str, removed: str | None) -> str:
    return NULL if to_state == removed else to_state


def conversion_probability(chain: Chain, removed: str | None = None) -> Fraction:
    """P(reach conversion from start), solving x = Q x + r over the channel states exactly;
    every transition into `removed` goes to null instead."""
    states = [state for state in channels_of(chain) if state != removed]
    index = {state: i for i, state in enumerate(states)}
    size = len(states)
    # (I - Q) x = r, as an augmented matrix
    matrix = [[Fraction(0)] * (size + 1) for _ in range(size)]
    for state, i in index.items():
        matrix[i][i] += 1
        for to_state, probability in chain.get(state, {}).items():
            target = redirect(to_state, removed)
            if target == CONVERSION:
                matrix[i][size] += probability
            elif target in index:
                matrix[i][index[target]] -= probability
    for column in range(size):
        pivot = next(r for r in range(column, size) if matrix[r][column] != 0)
        matrix[column], matrix[pivot] = matrix[pivot], matrix[column]
        for r in range(size):
            if r != column and matrix[r][column] != 0:
                factor = matrix[r][column] / matrix[column][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[column], strict=True)]
    solution = {state: matrix[i][size] / matrix[i][i] for state, i in index.items()}
    total = Fraction(0)
    for to_state, probability in chain[START].items():
        target = redirect(to_state, removed)
        if target == CONVERSION:
            total += probability
        elif target in solution:
            total += probability * solution[target]
    return total


def propagated(chain: Chain, steps: int, removed: str | None = None) -> tuple[Fraction, Fraction]:
    """(conversion mass, mass still in a channel) after `steps` steps of mass propagation."""
    mass = {START: Fraction(1)}
    converted = Fraction(0)
    for _ in range(steps):
        following: dict[str, Fraction] = defaultdict(Fraction)
        for state, m in mass.items():
            for to_state, probability in chain.get(state, {}).items():
                target = redirect(to_state, removed)
                if target == CONVERSION:
                    converted += m * probability
                elif target != NULL:
                    following[target] += m * probability
        mass = following
    return converted, sum(mass.values(), Fraction(0))


def removal_effects(chain: Chain, steps: int | None = None) -> dict[str, dict[str, Fraction]]:
    """Per channel: P, P without it, removal effect, weight and residual (exact when steps
    is None, else after `steps` propagation steps)."""

    def probability(removed: str | None) -> tuple[Fraction, Fraction]:
        if steps is None:
            return conversion_probability(chain, removed), Fraction(0)
        return propagated(chain, steps, removed)

    full, full_residual = probability(None)
    rows = {}
    for channel in channels_of(chain):
        without, residual = probability(channel)
        effect = 1 - without / full if full > 0 else Fraction(0)
        rows[channel] = {
            "conversion_probability": full,
            "conversion_probability_without_channel": without,
            "removal_effect": effect,
            "residual_mass": max(full_residual, residual),
        }
    total = sum((row["removal_effect"] for row in rows.values()), Fraction(0))
    for row in rows.values():
        row["weight"] = row["removal_effect"] / total if total > 0 else Fraction(0)
    return rows


def credits(touchpoints: Iterable[dict], weights: dict[str, Fraction]) -> dict:
    """(conversion_id, touch_position) -> credit: each distinct channel of a conversion earns
    its weight over the weights of the conversion's distinct channels (an equal split when
    they are all 0), shared equally by its touches; a conversion with no touch gives 1."""
    by_conversion: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in touchpoints:
        by_conversion[row["conversion_id"]].append((int(row["touch_position"]), row["channel"]))
    result = {}
    for conversion_id, touches in by_conversion.items():
        if all(position == 0 for position, _ in touches):
            for position, _ in touches:
                result[conversion_id, position] = Fraction(1)
            continue
        per_channel = Counter(channel for _, channel in touches)
        total = sum((weights.get(channel, Fraction(0)) for channel in per_channel), Fraction(0))
        for position, channel in touches:
            if total > 0:
                share = weights.get(channel, Fraction(0)) / total
            else:
                share = Fraction(1, len(per_channel))
            result[conversion_id, position] = share / per_channel[channel]
    return result


# --------------------------------------------------------------------------------------
# The reference itself, on a hand-solved chain with a cycle
# --------------------------------------------------------------------------------------


def test_reference_on_a_hand_solved_cyclic_chain() -> None:
    """Paths email > paid_search > conversion, email > null, paid_search > conversion,
    email > paid_search > email > null. x_email = 1/2 x_ps; x_ps = 2/3 + 1/3 x_email, so
    x_ps = 4/5, x_email = 2/5 and P = 3/4 x 2/5 + 1/4 x 4/5 = 1/2. Without email P = 1/4 x
    2/3 = 1/6 (removal effect 2/3); without paid_search P = 0 (removal effect 1). Weights
    2/5 and 3/5."""
    paths = [
        (["email", "paid_search"], True),
        (["email"], False),
        (["paid_search"], True),
        (["email", "paid_search", "email"], False),
    ]
    effects = removal_effects(chain_of(transition_counts(paths)))
    assert effects["email"]["conversion_probability"] == Fraction(1, 2)
    assert effects["email"]["conversion_probability_without_channel"] == Fraction(1, 6)
    assert effects["email"]["removal_effect"] == Fraction(2, 3)
    assert effects["paid_search"]["removal_effect"] == 1
    assert effects["email"]["weight"] == Fraction(2, 5)
    assert effects["paid_search"]["weight"] == Fraction(3, 5)
    # mass propagation converges to the exact value
    converted, residual = propagated(chain_of(transition_counts(paths)), 60)
    assert abs(converted - Fraction(1, 2)) <= residual < Fraction(1, 10**20)


# --------------------------------------------------------------------------------------
# (a) The dbt unit tests' hand-computed expectations, confirmed by the reference
# --------------------------------------------------------------------------------------


def unit_test(name: str) -> dict:
    tests = yaml.safe_load(MODELS_YML.read_text(encoding="utf-8"))["unit_tests"]
    return next(test for test in tests if test["name"] == name)


def given_rows(test: dict, ref_name: str) -> list[dict]:
    return next(g["rows"] for g in test["given"] if g["input"] == f"ref('{ref_name}')")


def given_chain(test: dict) -> Chain:
    chain: Chain = defaultdict(dict)
    for row in given_rows(test, "int_attribution_markov_transitions"):
        chain[row["from_state"]][row["to_state"]] = Fraction(str(row["probability"]))
    return dict(chain)


def test_unit_test_transitions_confirmed() -> None:
    test = unit_test("test_attribution_markov_transitions")
    counts = transition_counts(journey_paths(given_rows(test, "int_attribution_journeys")).values())
    chain = chain_of(counts)
    expected = test["expect"]["rows"]
    assert len(expected) == len(counts)
    for row in expected:
        key = (row["from_state"], row["to_state"])
        assert counts[key] == row["transitions"], key
        assert float(chain[key[0]][key[1]]) == row["probability"], key


def test_unit_test_removal_effects_confirmed() -> None:
    test = unit_test("test_attribution_markov_removal_effects")
    chain = given_chain(test)
    # the given chain is the one of the paths its description names
    paths = [
        (["email", "paid_search"], True),
        (["email", "paid_search"], False),
        (["email"], False),
        (["email"], True),
        (["paid_search"], True),
        (["paid_search"], False),
        (["display"], True),
        (["display"], False),
    ]
    assert chain == chain_of(transition_counts(paths))
    effects = removal_effects(chain)
    assert len(test["expect"]["rows"]) == len(effects)
    for row in test["expect"]["rows"]:
        for column, value in row.items():
            if column != "channel":
                assert float(effects[row["channel"]][column]) == value, (row["channel"], column)


def test_unit_test_truncated_removal_effects_confirmed() -> None:
    test = unit_test("test_attribution_markov_removal_effects_truncated")
    steps = test["overrides"]["vars"]["attribution_markov_steps"]
    chain = given_chain(test)
    effects = removal_effects(chain, steps=steps)
    for row in test["expect"]["rows"]:
        for column, value in row.items():
            if column == "markov_steps":
                assert value == steps
            elif column != "channel":
                assert float(effects[row["channel"]][column]) == value, (row["channel"], column)
    # the truncation is visible: the exact probability is 1/3, not the 1/4 of 4 steps
    assert conversion_probability(chain) == Fraction(1, 3)


def test_unit_test_credits_confirmed() -> None:
    test = unit_test("test_attribution_markov_credits")
    weights = {
        row["channel"]: Fraction(str(row["weight"]))
        for row in given_rows(test, "int_attribution_markov_removal_effects")
    }
    result = credits(given_rows(test, "int_attribution_touchpoints"), weights)
    expected = {
        (row["conversion_id"], row["touch_position"]): row["credit"]
        for row in test["expect"]["rows"]
    }
    assert set(expected) == set(result)
    for key, value in expected.items():
        assert float(result[key]) == value, key


# --------------------------------------------------------------------------------------
# (b) The demo build against the reference
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def con(demo_db: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(demo_db), read_only=True)
    yield connection
    connection.close()


def records(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture(scope="module")
def demo_reference(con: duckdb.DuckDBPyConnection) -> dict:
    journeys = records(
        con,
        "select journey_id, conversion_id, touch_position, channel, is_converting"
        " from intermediate.int_attribution_journeys",
    )
    counts = transition_counts(journey_paths(journeys).values())
    chain = chain_of(counts)
    effects = removal_effects(chain)
    weights = {channel: row["weight"] for channel, row in effects.items()}
    conversions = [
        {**row, "conversion_id": row["journey_id"]} for row in journeys if row["is_converting"]
    ]
    return {
        "counts": counts,
        "chain": chain,
        "effects": effects,
        "credits": credits(conversions, weights),
    }


def test_demo_transitions_match(con: duckdb.DuckDBPyConnection, demo_reference: dict) -> None:
    rows = records(con, "select * from intermediate.int_attribution_markov_transitions")
    counts, chain = demo_reference["counts"], demo_reference["chain"]
    assert {(r["from_state"], r["to_state"]) for r in rows} == set(counts)
    for row in rows:
        key = (row["from_state"], row["to_state"])
        assert row["transitions"] == counts[key], key
        assert row["probability"] == pytest.approx(float(chain[key[0]][key[1]]), abs=TOLERANCE)


def test_demo_removal_effects_match(con: duckdb.DuckDBPyConnection, demo_reference: dict) -> None:
    rows = records(con, "select * from intermediate.int_attribution_markov_removal_effects")
    effects = demo_reference["effects"]
    assert {row["channel"] for row in rows} == set(effects)
    for row in rows:
        reference = effects[row["channel"]]
        for column in (
            "conversion_probability",
            "conversion_probability_without_channel",
            "removal_effect",
            "weight",
        ):
            assert row[column] == pytest.approx(float(reference[column]), abs=TOLERANCE), (
                row["channel"],
                column,
            )
        assert row["residual_mass"] <= TOLERANCE
    # the chain has cycles (the reason the SQL needs more than a path's length of steps)
    chain = demo_reference["chain"]
    assert any(chain.get(b, {}).get(a) for a in chain for b in chain.get(a, {}))


def test_demo_credits_match(con: duckdb.DuckDBPyConnection, demo_reference: dict) -> None:
    rows = records(
        con,
        "select conversion_id, touch_position, credit"
        " from intermediate.int_attribution_markov_credits",
    )
    expected = demo_reference["credits"]
    assert len(rows) == len(expected)
    mismatches = [
        (row["conversion_id"], row["touch_position"], row["credit"])
        for row in rows
        if abs(row["credit"] - float(expected[row["conversion_id"], row["touch_position"]]))
        > TOLERANCE
    ]
    assert not mismatches, mismatches[:20]


def test_demo_fact_carries_the_markov_credits(
    con: duckdb.DuckDBPyConnection, demo_reference: dict
) -> None:
    """fct_attribution_credits keeps the markov credits above 0; they sum to 1 per conversion."""
    rows = records(
        con,
        "select conversion_id, touch_position, credit from marts.fct_attribution_credits"
        " where attribution_model = 'markov'",
    )
    expected = {key: value for key, value in demo_reference["credits"].items() if value > 0}
    assert {(r["conversion_id"], r["touch_position"]) for r in rows} == set(expected)
    totals: Counter = Counter()
    for row in rows:
        totals[row["conversion_id"]] += row["credit"]
    assert all(abs(total - 1) <= TOLERANCE for total in totals.values())
