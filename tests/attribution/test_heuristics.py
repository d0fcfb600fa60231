"""Rule-based models on hand-worked seeds (METRICS.md section 8 table)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.attribution.conftest import conversions, run, values

RULES = ("first_touch", "last_touch", "linear", "position_based")


def test_position_based_one_touch_gets_everything() -> None:
    # n = 1: 100 % → A gets both conversions and the whole 100.
    result = run([{"path": "A", "conversions": 2, "value": "100"}], ("position_based",))
    assert conversions(result, "position_based") == {"A": 2.0}
    assert values(result, "position_based") == {"A": Decimal("100.0000")}


def test_position_based_two_touches_split_half_half() -> None:
    # n = 2: 50/50 → A 0.5, B 0.5 of 1 conversion; 5 and 5 of 10.
    result = run([{"path": "A > B", "conversions": 1, "value": "10"}], ("position_based",))
    assert conversions(result, "position_based") == {"A": 0.5, "B": 0.5}
    assert values(result, "position_based") == {"A": Decimal(5), "B": Decimal(5)}


def test_position_based_four_touches_forty_twenty_forty() -> None:
    # n = 4: first 40 %, last 40 %, the 20 % split over n − 2 = 2 middle touches: 10 % each.
    # Value 100 → A 40, B 10, C 10, D 40.
    result = run([{"path": "A > B > C > D", "conversions": 1, "value": "100"}], ("position_based",))
    assert conversions(result, "position_based") == pytest.approx(
        {"A": 0.4, "B": 0.1, "C": 0.1, "D": 0.4}
    )
    assert values(result, "position_based") == {
        "A": Decimal(40),
        "B": Decimal(10),
        "C": Decimal(10),
        "D": Decimal(40),
    }


def test_position_based_three_touches_with_repeated_channel() -> None:
    # n = 3, A > B > A: A is first (40 %) and last (40 %) → 0.8; B is the middle → 0.2.
    result = run([{"path": "A > B > A", "conversions": 1}], ("position_based",))
    assert conversions(result, "position_based") == pytest.approx({"A": 0.8, "B": 0.2})


def test_time_decay_one_half_life_halves_the_weight() -> None:
    # Half-life 168 h. A was 168 h before the conversion: weight 2^−1 = 0.5; B at 0 h:
    # weight 1. Credit: A 0.5/1.5 = 1/3, B 2/3 → of 3 conversions A 1, B 2; of 30: 10, 20.
    result = run(
        [{"path": "A > B", "conversions": 3, "value": "30", "hours_till_conv": [168, 0]}],
        ("time_decay",),
    )
    assert conversions(result, "time_decay") == pytest.approx({"A": 1.0, "B": 2.0})
    assert values(result, "time_decay") == {"A": Decimal(10), "B": Decimal(20)}


def test_time_decay_custom_half_life() -> None:
    # Half-life 24 h, Δt 48, 24, 0 h: weights 1/4, 1/2, 1, total 7/4 → 1/7, 2/7, 4/7;
    # of 7 conversions: 1, 2, 4. The last touch's Δt (0) is the reference.
    result = run(
        [{"path": "A > B > C", "conversions": 7, "hours_till_conv": [48, 24, 0]}],
        ("time_decay",),
        half_life_hours=24.0,
    )
    assert conversions(result, "time_decay") == pytest.approx({"A": 1.0, "B": 2.0, "C": 4.0})


def test_time_decay_very_old_touches_do_not_underflow() -> None:
    # Both touches 10^6 h and 10^6 + 168 h old: 2^(−Δt/168) underflows to 0 in float64,
    # yet the ratio is still 2^−1 : 1 → A 1/3, B 2/3.
    result = run(
        [{"path": "A > B", "conversions": 3, "hours_till_conv": [1_000_168, 1_000_000]}],
        ("time_decay",),
    )
    assert conversions(result, "time_decay") == pytest.approx({"A": 1.0, "B": 2.0})


def test_time_decay_is_skipped_without_touch_times() -> None:
    # One row lacks hours_till_conv → time_decay cannot run; it is said so, not zero-filled.
    result = run(
        [
            {"path": "A", "conversions": 1, "hours_till_conv": [1.0]},
            {"path": "B", "conversions": 1},
        ],
        ("linear", "time_decay"),
    )
    assert "time_decay" not in result.models
    assert "hours_till_conv" in result.skipped["time_decay"]


def test_channel_only_in_non_converting_paths_gets_nothing() -> None:
    # X appears only on a path with 5 nulls and no conversion: every rule gives it 0, but
    # it is listed (the comparison shows every channel of the input).
    records = [
        {"path": "A > B", "conversions": 1, "value": "10"},
        {"path": "X > B", "conversions": 0, "nulls": 5},
    ]
    result = run(records, RULES)
    for key in RULES:
        assert conversions(result, key)["X"] == 0.0
        assert values(result, key)["X"] == Decimal(0)
    # first A; last B; linear 1/2 each; position 50/50.
    assert conversions(result, "first_touch") == {"A": 1.0, "B": 0.0, "X": 0.0}
    assert conversions(result, "last_touch") == {"A": 0.0, "B": 1.0, "X": 0.0}
    assert conversions(result, "linear") == {"A": 0.5, "B": 0.5, "X": 0.0}


def test_repeated_channel_collects_each_share() -> None:
    # A > B > A, 3 conversions: linear 1/3 per touch → A 2/3 × 3 = 2, B 1; first A, last A.
    result = run([{"path": "A > B > A", "conversions": 3}], ("first_touch", "last_touch", "linear"))
    assert conversions(result, "linear") == pytest.approx({"A": 2.0, "B": 1.0})
    assert conversions(result, "first_touch") == {"A": 3.0, "B": 0.0}
    assert conversions(result, "last_touch") == {"A": 3.0, "B": 0.0}


def test_last_touch_skips_direct_unless_every_touch_is_direct() -> None:
    # Row 1 ends with direct: credit goes back to A. Row 2 is all direct: direct keeps it.
    # Row 3: direct > A > direct → A. So A 1 + 4 = 5, direct 2; first_touch: A 1, direct 6.
    records = [
        {"path": "A > direct", "conversions": 1},
        {"path": "direct > direct", "conversions": 2},
        {"path": "direct > A > direct", "conversions": 4},
    ]
    result = run(records, ("first_touch", "last_touch"))
    assert conversions(result, "last_touch") == {"A": 5.0, "direct": 2.0}
    assert conversions(result, "first_touch") == {"A": 1.0, "direct": 6.0}


def test_last_touch_with_only_direct_paths() -> None:
    # Every path is direct: all conversions go to direct.
    records = [
        {"path": "direct", "conversions": 3, "value": "30"},
        {"path": "direct > direct", "conversions": 1, "value": "5", "nulls": 2},
    ]
    result = run(records, ("last_touch",))
    assert conversions(result, "last_touch") == {"direct": 4.0}
    assert values(result, "last_touch") == {"direct": Decimal(35)}


def test_fractional_counts_and_rows_without_journeys() -> None:
    # Aggregated files may carry fractional counts; a 0-conversion 0-null row is ignored
    # (not a path used, its channel Z not listed). linear on A > B with 1.5 conversions:
    # 0.75 each.
    records = [
        {"path": "A > B", "conversions": 1.5, "nulls": 0.5},
        {"path": "Z", "conversions": 0, "nulls": 0},
    ]
    result = run(records, ("linear",))
    assert conversions(result, "linear") == {"A": 0.75, "B": 0.75}
    assert result.paths == 1
    assert result.channels == ("A", "B")
    assert result.nulls == 0.5
