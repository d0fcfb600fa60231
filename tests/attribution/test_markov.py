"""Markov removal-effect attribution: chains small enough to solve by hand, and an
independent brute-force check (pure-Python value iteration) of order 1."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal
from itertools import pairwise

import pytest

from socialscope.attribution.arrays import path_arrays
from socialscope.attribution.markov import removal_effects
from socialscope.attribution.paths import paths_from_records
from tests.attribution.conftest import conversions, run, values


def test_order_one_by_hand() -> None:
    # Paths: A > B (1 conv, value 90), B (1 null), A (1 null).
    # Transitions: start→A 2, start→B 1; A→B 1, A→null 1; B→conv 1, B→null 1.
    # P(conv) = 2/3·1/2·1/2 + 1/3·1/2 = 1/3.
    # Remove A: only start→B→conv: 1/3·1/2 = 1/6 → RE_A = 1 − (1/6)/(1/3) = 1/2.
    # Remove B: no route to conversion → RE_B = 1. Σ RE = 3/2.
    # Credits: A 1/3, B 2/3 of 1 conversion; of 90: A 30, B 60.
    records = [
        {"path": "A > B", "conversions": 1, "value": "90"},
        {"path": "B", "conversions": 0, "nulls": 1},
        {"path": "A", "conversions": 0, "nulls": 1},
    ]
    result = run(records, ("markov",))
    assert conversions(result, "markov_o1") == pytest.approx({"A": 1 / 3, "B": 2 / 3})
    assert values(result, "markov_o1") == {"A": Decimal(30), "B": Decimal(60)}


def test_order_one_with_a_cycle_needs_the_linear_system() -> None:
    # Paths: A > B > A (1 conv), B (1 null). Transitions: start→A 1, start→B 1; A→B 1,
    # A→conv 1; B→A 1, B→null 1. So A: B 1/2, conv 1/2; B: A 1/2, null 1/2.
    # x_A = 1/2 + 1/2 x_B, x_B = 1/2 x_A → x_A = 2/3, x_B = 1/3;
    # P = 1/2·2/3 + 1/2·1/3 = 1/2.
    # Remove A → P = 0, RE_A = 1. Remove B → x_A = 1/2, P = 1/4, RE_B = 1/2.
    # Credits: A 1/(3/2) = 2/3, B 1/3.
    records = [
        {"path": "A > B > A", "conversions": 1},
        {"path": "B", "conversions": 0, "nulls": 1},
    ]
    result = run(records, ("markov",))
    assert conversions(result, "markov_o1") == pytest.approx({"A": 2 / 3, "B": 1 / 3})


def test_repeated_channel_is_collapsed() -> None:
    # A > A > B collapses to A > B. With B (1 null): start→A 1/2, start→B 1/2, A→B 1,
    # B→conv 1/2, B→null 1/2. P = 1/2·1/2 + 1/2·1/2 = 1/2. Remove A: 1/4 → RE 1/2;
    # remove B: 0 → RE 1. Credits of 1: A 1/3, B 2/3 — the same as for A > B.
    repeated = [
        {"path": "A > A > B", "conversions": 1},
        {"path": "B", "conversions": 0, "nulls": 1},
    ]
    plain = [{**repeated[0], "path": "A > B"}, repeated[1]]
    expected = {"A": 1 / 3, "B": 2 / 3}
    assert conversions(run(repeated, ("markov",)), "markov_o1") == pytest.approx(expected)
    assert conversions(run(plain, ("markov",)), "markov_o1") == pytest.approx(expected)


def test_channel_only_in_non_converting_paths() -> None:
    # A > B (1 conv), X > B (1 null). start→A 1/2, start→X 1/2, A→B, X→B, B: conv 1/2,
    # null 1/2. P = 1/2. Remove A: 1/4 → RE 1/2. Remove X: start→X goes to null → 1/4 →
    # RE 1/2: the removal effect credits X although X never converted (a known property
    # of the Markov model; the rules and Shapley give X nothing). Remove B: RE 1.
    # Credits of 1: A 1/4, X 1/4, B 1/2.
    records = [
        {"path": "A > B", "conversions": 1},
        {"path": "X > B", "conversions": 0, "nulls": 1},
    ]
    result = run(records, ("markov", "shapley"))
    assert conversions(result, "markov_o1") == pytest.approx({"A": 0.25, "B": 0.5, "X": 0.25})
    # Shapley: the only converting set is {A, B}; v(A) = v(B) = 0, v(AB) = 1 →
    # φ_A = φ_B = 1/2 → A 0.5, B 0.5; X 0.
    assert conversions(result, "shapley") == pytest.approx({"A": 0.5, "B": 0.5, "X": 0.0})


def test_order_two_remembers_where_a_path_came_from() -> None:
    # A > C (1 conv), B > C (1 null).
    # Order 1: C is shared: start→A 1/2, →B 1/2; A→C, B→C; C: conv 1/2, null 1/2. P = 1/2.
    # Remove A or B: 1/4 → RE 1/2 each; remove C: RE 1. Credits: A 1/4, B 1/4, C 1/2.
    # Order 2: states (A,C) and (B,C): start→AC 1/2 → conv; start→BC 1/2 → null. P = 1/2.
    # Remove A: (A,C) gone → P 0, RE 1. Remove B: P stays 1/2, RE 0. Remove C: RE 1.
    # Credits: A 1/2, B 0, C 1/2. Order 3: every path is shorter than 3 → as order 2.
    records = [
        {"path": "A > C", "conversions": 1},
        {"path": "B > C", "conversions": 0, "nulls": 1},
    ]
    result = run(records, ("markov",), markov_orders=(1, 2, 3))
    assert conversions(result, "markov_o1") == pytest.approx({"A": 0.25, "B": 0.25, "C": 0.5})
    order2 = {"A": 0.5, "B": 0.0, "C": 0.5}
    assert conversions(result, "markov_o2") == pytest.approx(order2)
    assert conversions(result, "markov_o3") == pytest.approx(order2)


def test_order_two_short_path_shares_the_window_state() -> None:
    # A > B > C (1 conv), A > B (1 null), C (1 conv). Order 2 states: (A,B), (B,C) for the
    # first path; the two-touch path is the state (A,B) itself; C is the short state (C).
    # start→AB 2/3, start→C 1/3; AB: BC 1/2, null 1/2; BC→conv; C→conv. P = 2/3.
    # Remove A: (A,B) gone → P = 1/3 → RE 1/2. Remove B: (A,B), (B,C) gone → 1/3 → RE 1/2.
    # Remove C: (B,C), (C) gone → 0 → RE 1. Σ = 2 → of 2 conversions: A 0.5, B 0.5, C 1.
    records = [
        {"path": "A > B > C", "conversions": 1},
        {"path": "A > B", "conversions": 0, "nulls": 1},
        {"path": "C", "conversions": 1},
    ]
    result = run(records, ("markov",), markov_orders=(2,))
    assert conversions(result, "markov_o2") == pytest.approx({"A": 0.5, "B": 0.5, "C": 1.0})


def test_order_three_sliding_windows() -> None:
    # A > B > C > D (1 conv): windows (A,B,C), (B,C,D). B > C > D (1 null): the state
    # (B,C,D). start→ABC 1/2, start→BCD 1/2; ABC→BCD; BCD: conv 1/2, null 1/2. P = 1/2.
    # Remove A: only start→BCD→conv: 1/4 → RE 1/2. Remove B, C or D: both states go →
    # RE 1. Σ = 7/2 → A 1/7, B 2/7, C 2/7, D 2/7.
    records = [
        {"path": "A > B > C > D", "conversions": 1},
        {"path": "B > C > D", "conversions": 0, "nulls": 1},
    ]
    result = run(records, ("markov",), markov_orders=(3,))
    assert conversions(result, "markov_o3") == pytest.approx(
        {"A": 1 / 7, "B": 2 / 7, "C": 2 / 7, "D": 2 / 7}
    )


def test_nothing_converts_gives_no_credit() -> None:
    # No conversions: P(conv) = 0, no removal effect is defined → every credit 0.
    records = [{"path": "A > B", "conversions": 0, "nulls": 3}]
    result = run(records, ("markov",))
    assert conversions(result, "markov_o1") == {"A": 0.0, "B": 0.0}
    assert all(c.share is None for c in result.models["markov_o1"].values())


def test_unknown_order_is_refused() -> None:
    arrays = path_arrays(paths_from_records([{"path": "A", "conversions": 1}]))
    with pytest.raises(ValueError, match="1, 2 or 3"):
        removal_effects(arrays, 4)


# --- independent brute force: the chain iterated to convergence, in plain Python ---------


def _brute_force_credits(paths: list[tuple[list[str], int, int]]) -> dict[str, float]:
    """Order-1 removal-effect credits computed without numpy, scipy or the module."""
    counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for path, conv, null in paths:
        steps = [path[0]] + [b for a, b in pairwise(path) if a != b]
        nodes = ["(start)", *steps]
        for a, b in pairwise(nodes):
            counts[a][b] += conv + null
        counts[nodes[-1]]["(conv)"] += conv
        counts[nodes[-1]]["(null)"] += null
    channels = sorted({c for path, _, _ in paths for c in path})

    def p_conv(removed: str | None) -> float:
        prob = dict.fromkeys(counts, 0.0)
        for _ in range(5000):  # value iteration: P(reach conv) from every node
            new = {}
            for node, out in counts.items():
                total = sum(out.values())
                new[node] = sum(
                    w / total * (1.0 if nxt == "(conv)" else prob.get(nxt, 0.0))
                    for nxt, w in out.items()
                    if nxt != removed and nxt != "(null)"
                )
            prob = new
        return prob["(start)"]

    base = p_conv(None)
    effects = {c: 1 - p_conv(c) / base for c in channels}
    total_conv = sum(conv for _, conv, _ in paths)
    return {c: effects[c] / sum(effects.values()) * total_conv for c in channels}


def test_order_one_matches_brute_force_value_iteration() -> None:
    rng = random.Random(7)
    paths = []
    for _ in range(25):
        path = [rng.choice("ABCD") for _ in range(rng.randint(1, 5))]
        paths.append((path, rng.randint(0, 3), rng.randint(0, 3)))
    paths.append((["A"], 1, 0))  # at least one conversion
    records = [{"path": p, "conversions": c, "nulls": n} for p, c, n in paths]
    result = run(records, ("markov",))
    used = [(p, c, n) for p, c, n in paths if c + n > 0]
    assert conversions(result, "markov_o1") == pytest.approx(_brute_force_credits(used), rel=1e-9)
