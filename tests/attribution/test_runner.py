"""The runner: request validation, model keys, value rounding, totals and the JSON shape."""

from __future__ import annotations

from decimal import Decimal

import pytest

from socialscope.attribution.paths import PathsError, paths_from_records
from socialscope.attribution.runner import (
    ALL_MODELS,
    AttributionRequest,
    attribute,
    parse_models,
)
from tests.attribution.conftest import run, values


def test_unknown_models_and_orders_list_the_allowed_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown model.*foo.*allowed: first_touch"):
        AttributionRequest(models=("linear", "foo"))
    with pytest.raises(ValueError, match=r"unknown Markov order.*4.*allowed: 1, 2, 3"):
        AttributionRequest(markov_orders=(1, 4))
    with pytest.raises(ValueError, match="half-life"):
        AttributionRequest(half_life_hours=0)
    with pytest.raises(ValueError, match="allowed: all, first_touch"):
        parse_models("linear,markov_o4")


@pytest.mark.parametrize(
    ("models", "orders", "keys"),
    [
        ("all", None, (*ALL_MODELS[:5], "markov_o1", "shapley")),
        ("all", (1, 2, 3), (*ALL_MODELS[:5], "markov_o1", "markov_o2", "markov_o3", "shapley")),
        ("markov_o2", None, ("markov_o2",)),
        ("markov_o3,linear", None, ("linear", "markov_o3")),
        ("markov", (3, 1), ("markov_o1", "markov_o3")),
        ("markov,markov_o2", None, ("markov_o1", "markov_o2")),
        ("shapley, first_touch", None, ("first_touch", "shapley")),
    ],
)
def test_parse_models(models: str, orders: tuple[int, ...] | None, keys: tuple[str, ...]) -> None:
    assert parse_models(models, orders).keys == keys


def test_order_without_markov_is_an_error() -> None:
    with pytest.raises(ValueError, match="--order needs markov"):
        parse_models("linear", (2,))


def test_value_residue_goes_to_the_largest_channel() -> None:
    # linear over A > B > C, value 100: 33.3333… each → rounded 33.3333 × 3 = 99.9999; the
    # 0.0001 residue goes to the largest channel (a tie: the first by name, A).
    result = run([{"path": "C > B > A", "conversions": 1, "value": "100"}], ("linear",))
    assert values(result, "linear") == {
        "A": Decimal("33.3334"),
        "B": Decimal("33.3333"),
        "C": Decimal("33.3333"),
    }


def test_totals_channels_and_comparison() -> None:
    # Two used rows (the 0/0 row is not), 3 conversions, 4 nulls, value 12.5 + 7.5 = 20.
    # first_touch: B 2 (row 1), A 1 (row 2); last_touch: A 2, C 1. Channels sorted by name.
    records = [
        {"path": "B > A", "conversions": 2, "nulls": 1, "value": "12.5"},
        {"path": "A > C", "conversions": 1, "nulls": 3, "value": "7.5"},
        {"path": "D", "conversions": 0, "nulls": 0},
    ]
    result = attribute(
        paths_from_records(records, currency="TWD"),
        AttributionRequest(models=("first_touch", "last_touch")),
    )
    assert (result.paths, result.conversions, result.nulls) == (2, 3.0, 4.0)
    assert (result.value, result.currency) == (Decimal("20.0000"), "TWD")
    assert result.channels == ("A", "B", "C")
    assert result.comparison() == [
        {"channel": "A", "first_touch": 1.0, "last_touch": 2.0},
        {"channel": "B", "first_touch": 2.0, "last_touch": 0.0},
        {"channel": "C", "first_touch": 0.0, "last_touch": 1.0},
    ]
    # shares of the model's conversions: A 1/3, B 2/3 under first_touch
    assert [r["first_touch"] for r in result.comparison("share")] == pytest.approx(
        [1 / 3, 2 / 3, 0.0]
    )
    with pytest.raises(ValueError, match="unknown measure"):
        result.comparison("roi")


def test_json_shape() -> None:
    # One path A, 1 conversion of 10, 1 null; time_decay skipped (no touch times).
    result = run(
        [{"path": "A", "conversions": 1, "nulls": 1, "value": "10"}],
        ("first_touch", "time_decay", "markov", "shapley"),
        markov_orders=(1, 2),
    )
    assert result.to_json() == {
        "models": {
            key: {"conversions": {"A": 1.0}, "value": {"A": 10}, "share": {"A": 1.0}}
            for key in ("first_touch", "markov_o1", "markov_o2", "shapley")
        },
        "paths": 1,
        "conversions": 1,
        "nulls": 1,
        "value": 10,
        "currency": None,
        "skipped": {"time_decay": "the paths have no touch times (hours_till_conv)"},
        "notes": [],
    }


def test_no_used_paths_gives_an_empty_report() -> None:
    result = run([{"path": "A", "conversions": 0, "nulls": 0}], ALL_MODELS)
    assert (result.paths, result.conversions, result.channels) == (0, 0.0, ())
    assert all(credits == {} for credits in result.models.values())
    assert result.skipped == {}  # no path is left to lack touch times


def test_unusable_path_sets_are_refused() -> None:
    with pytest.raises(PathsError, match="negative"):
        run([{"path": "A", "conversions": -1}], ("linear",))
    with pytest.raises(PathsError, match="without conversions"):
        run([{"path": "A", "conversions": 0, "nulls": 1, "value": "5"}], ("linear",))
    with pytest.raises(PathsError, match="empty path"):
        run([{"path": [], "conversions": 1}], ("linear",))
    with pytest.raises(PathsError, match="one number per touch"):
        run([{"path": "A > B", "conversions": 1, "hours_till_conv": [1.0]}], ("time_decay",))
