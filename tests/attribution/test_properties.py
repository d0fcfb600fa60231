"""Properties over random path sets: totals are kept by every model, shares sum to 1, and
the data-driven models do not depend on the order of the input rows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialscope.attribution.paths import paths_from_records
from socialscope.attribution.runner import ALL_MODELS, AttributionRequest, attribute

CHANNELS = ["A", "B", "C", "X", "direct"]
REQUEST = AttributionRequest(models=ALL_MODELS, markov_orders=(1, 2, 3))


@st.composite
def rows(draw: st.DrawFn) -> dict[str, Any]:
    path = draw(st.lists(st.sampled_from(CHANNELS), min_size=1, max_size=5))
    conversions = draw(st.sampled_from([0, 0, 0.5, 1, 2, 3]))
    cents = draw(st.integers(0, 500_000)) if conversions else 0
    return {
        "path": path,
        "conversions": conversions,
        "nulls": draw(st.sampled_from([0, 1, 2, 2.5, 4])),
        "value": Decimal(cents) / 100,
        "hours_till_conv": draw(
            st.lists(st.floats(0, 2000, allow_nan=False), min_size=len(path), max_size=len(path))
        ),
    }


path_sets = st.lists(rows(), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(path_sets)
def test_every_model_keeps_the_totals(records: list[dict[str, Any]]) -> None:
    result = attribute(paths_from_records(records), REQUEST)
    total_value = sum((Decimal(r["value"]) for r in records), Decimal(0))
    assert result.value == total_value
    assert set(result.models) == {
        "first_touch",
        "last_touch",
        "linear",
        "position_based",
        "time_decay",
        "markov_o1",
        "markov_o2",
        "markov_o3",
        "shapley",
    }
    for key, credits in result.models.items():
        conv = sum(c.conversions for c in credits.values())
        assert conv == pytest.approx(result.conversions, abs=1e-9), key
        assert sum((c.value for c in credits.values()), Decimal(0)) == total_value, key
        if result.conversions > 0:
            shares = [c.share for c in credits.values()]
            assert all(s is not None for s in shares)
            assert sum(s for s in shares if s is not None) == pytest.approx(1.0), key


@settings(max_examples=60, deadline=None)
@given(st.data(), path_sets)
def test_markov_and_shapley_ignore_row_order(data: st.DataObject, records: list[Any]) -> None:
    shuffled = data.draw(st.permutations(records))
    request = AttributionRequest(models=("markov", "shapley"), markov_orders=(1, 2, 3))
    first = attribute(paths_from_records(records), request)
    second = attribute(paths_from_records(shuffled), request)
    assert first.channels == second.channels
    for key, credits in first.models.items():
        for channel, credit in credits.items():
            other = second.models[key][channel]
            assert credit.conversions == pytest.approx(other.conversions, rel=1e-9, abs=1e-9)
