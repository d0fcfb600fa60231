"""Data-driven Shapley on games small enough to solve by hand, and its Monte-Carlo part."""

from __future__ import annotations

from decimal import Decimal

import pytest

from socialscope.attribution.arrays import path_arrays
from socialscope.attribution.paths import paths_from_records
from socialscope.attribution.shapley import shapley
from tests.attribution.conftest import conversions, run, values


def test_two_channels_by_hand() -> None:
    # v(A) = 1/(1+3) = 1/4, v(B) = 1/(1+1) = 1/2, v(AB) = 3/(3+1) = 3/4.
    # N = {A, B}: φ_A = ½[(v(A) − 0) + (v(AB) − v(B))] = ½[1/4 + 1/4] = 1/4;
    #             φ_B = ½[(v(B) − 0) + (v(AB) − v(A))] = ½[1/2 + 1/2] = 1/2; Σφ = 3/4.
    # N's 3 conversions: A 1/3·3 = 1, B 2/3·3 = 2; its value 30: A 10, B 20.
    # N = {A} and N = {B} keep their own conversion and value.
    # Totals: A 1 + 1 = 2 (value 10 + 10 = 20), B 1 + 2 = 3 (value 20 + 20 = 40).
    records = [
        {"path": "A", "conversions": 1, "nulls": 3, "value": "10"},
        {"path": "B", "conversions": 1, "nulls": 1, "value": "20"},
        {"path": "A > B", "conversions": 3, "nulls": 1, "value": "30"},
    ]
    result = run(records, ("shapley",))
    assert conversions(result, "shapley") == pytest.approx({"A": 2.0, "B": 3.0})
    assert values(result, "shapley") == {"A": Decimal(20), "B": Decimal(40)}


def test_three_channels_by_hand() -> None:
    # Observed sets: {A} 1 conv 1 null → v 1/2; {B} 2 nulls → 0; {C} 1 conv 3 nulls → 1/4;
    # {A,B} 1 conv 1 null → 1/2; {A,B,C} 3 conv 1 null → 3/4; {A,C}, {B,C} unseen → 0.
    # N = {A,B}: φ_A = ½[(1/2 − 0) + (1/2 − 0)] = 1/2, φ_B = ½[0 + (1/2 − 1/2)] = 0 → A 1.
    # N = {A,B,C}, weights 1/3 (|S| = 0), 1/6 (|S| = 1), 1/3 (|S| = 2):
    #   φ_A = 1/3·1/2 + 1/6·(1/2 − 0) + 1/6·(0 − 1/4) + 1/3·(3/4 − 0) = 11/24
    #   φ_B = 1/3·0   + 1/6·(1/2 − 1/2) + 1/6·(0 − 1/4) + 1/3·(3/4 − 0) = 5/24
    #   φ_C = 1/3·1/4 + 1/6·(0 − 1/2) + 1/6·(0 − 0) + 1/3·(3/4 − 1/2) = 2/24
    #   Σφ = 18/24 = 3/4 = v(ABC); of 3 conversions: A 11/6, B 5/6, C 1/3.
    # Totals: A 1 ({A}) + 1 ({A,B}) + 11/6 = 23/6; B 5/6; C 1 ({C}) + 1/3 = 4/3. Σ = 6.
    # Order and repeats are ignored: "B > A > B" is the set {A,B}.
    records = [
        {"path": "A", "conversions": 1, "nulls": 1},
        {"path": "B", "conversions": 0, "nulls": 2},
        {"path": "C", "conversions": 1, "nulls": 3},
        {"path": "B > A > B", "conversions": 1, "nulls": 1},
        {"path": "C > A > B", "conversions": 3, "nulls": 1},
    ]
    result = run(records, ("shapley",))
    assert conversions(result, "shapley") == pytest.approx({"A": 23 / 6, "B": 5 / 6, "C": 4 / 3})


def test_negative_credit_is_reported_as_is() -> None:
    # v(A) = 0 (2 nulls), v(B) = 1, v(AB) = 1/2. N = {A,B}: φ_A = ½[0 + (1/2 − 1)] = −1/4,
    # φ_B = ½[1 + (1/2 − 0)] = 3/4, Σφ = 1/2 → A −1/2, B 3/2 of 1 conversion.
    # With {B}'s own conversion: B 5/2. Share of A: −0.5 / 2 = −0.25.
    records = [
        {"path": "A", "conversions": 0, "nulls": 2},
        {"path": "B", "conversions": 1},
        {"path": "A > B", "conversions": 1, "nulls": 1, "value": "8"},
    ]
    result = run(records, ("shapley",))
    assert conversions(result, "shapley") == pytest.approx({"A": -0.5, "B": 2.5})
    assert result.models["shapley"]["A"].share == pytest.approx(-0.25)
    assert values(result, "shapley") == {"A": Decimal(-4), "B": Decimal(12)}


THREE = [
    {"path": "A", "conversions": 1, "nulls": 1},
    {"path": "B", "conversions": 0, "nulls": 2},
    {"path": "C", "conversions": 1, "nulls": 3},
    {"path": "A > B", "conversions": 1, "nulls": 1},
    {"path": "A > B > C", "conversions": 3, "nulls": 1},
]


def test_monte_carlo_beyond_the_exact_limit_is_close_and_seeded() -> None:
    # With exact_max = 2, the 3-channel set is sampled: the estimate must lie within a few
    # standard errors of the exact 23/6, 5/6, 4/3 (above), the same seed must give the
    # same numbers, and the report says how it was estimated.
    arrays = path_arrays(paths_from_records(THREE))
    first = shapley(arrays, exact_max=2, samples=4000, seed=11)
    again = shapley(arrays, exact_max=2, samples=4000, seed=11)
    assert first.sampled_sets == 1
    assert first.standard_error is not None
    assert list(first.conversions) == list(again.conversions)
    exact = [23 / 6, 5 / 6, 4 / 3]
    for got, want, error in zip(first.conversions, exact, first.standard_error, strict=True):
        assert 0 < error < 0.1
        assert abs(got - want) < 5 * error
    # Σφ is v(N) in every sampled order (the gains telescope): totals stay exact.
    assert sum(first.conversions) == pytest.approx(6.0)
    result = run(THREE, ("shapley",), shapley_exact_max=2, shapley_samples=500, seed=3)
    assert any("seed 3" in note and "500 random orders" in note for note in result.notes)


def test_sixteen_channels_fall_back_to_sampling() -> None:
    # One path with 16 distinct channels: only the full set is observed, so v(S) = 0 for
    # every proper subset and each channel's marginal gain is v(N) when it comes last →
    # φ = v(N)/16 each in expectation: 2 conversions / 16 = 0.125 per channel.
    channels = [f"c{i:02d}" for i in range(16)]
    records = [{"path": channels, "conversions": 2, "nulls": 2}]
    result = run(records, ("shapley",), shapley_samples=20_000)
    got = conversions(result, "shapley")
    assert sum(got.values()) == pytest.approx(2.0)
    for channel in channels:
        assert got[channel] == pytest.approx(0.125, abs=0.03)
    assert any("more than 15 channels" in note for note in result.notes)


def test_more_than_sixty_four_channels_use_several_words() -> None:
    # 70 channels, each converting alone once, plus one two-channel path c00 > c69 with
    # v(c00) = v(c69) = 1 and v({c00,c69}) = 1/2 → φ = ½[1 + (1/2 − 1)] = 1/4 each →
    # 1/2 of its conversion each. So c00 and c69 get 1.5, the others 1.
    channels = [f"c{i:02d}" for i in range(70)]
    records = [{"path": [c], "conversions": 1} for c in channels]
    records.append({"path": ["c00", "c69"], "conversions": 1, "nulls": 1})
    got = conversions(run(records, ("shapley",)), "shapley")
    assert got["c00"] == pytest.approx(1.5)
    assert got["c69"] == pytest.approx(1.5)
    assert got["c35"] == pytest.approx(1.0)
