"""Properties of the launch baseline (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialscope.campaigns.baseline import LIFT, NOISE, compare, forecast

patterns = st.lists(
    st.floats(0, 1000, allow_nan=False).map(lambda v: round(v, 2)), min_size=7, max_size=7
)
launches = st.dates(date(2020, 1, 1), date(2030, 12, 31))
weeks = st.integers(2, 8)
days_after = st.integers(1, 28)
trends = st.floats(0, 20, allow_nan=False).map(lambda v: round(v, 2))


def _series(pattern: list[float], trend: float, launch: date, first: int, days: int) -> list[float]:
    """pattern[weekday] + trend · (day index), for `days` days from launch + `first` days."""
    out = []
    for i in range(first, first + days):
        day = launch + timedelta(days=i)
        out.append(pattern[day.weekday()] + trend * i)
    return out


@settings(max_examples=60, deadline=None)
@given(patterns, trends, launches, weeks, days_after)
def test_weekly_pattern_with_trend_is_predicted_exactly(
    pattern: list[float], trend: float, launch: date, w: int, n: int
) -> None:
    history = _series(pattern, trend, launch, -7 * w, 7 * w)
    f = forecast(history, launch, n, weeks_before=w)
    truth = _series(pattern, trend, launch, 0, n)
    scale = max(1.0, *pattern) + trend * (7 * w + n)
    assert f.daily == pytest.approx(truth, abs=1e-7 * scale)
    assert f.total == pytest.approx(sum(truth), abs=1e-6 * scale * n)
    assert f.high - f.low == pytest.approx(0, abs=1e-6 * scale * n)


@settings(max_examples=60, deadline=None)
@given(patterns, launches, weeks, days_after, st.integers(1, 500))
def test_constant_lift_is_lift_times_days(
    pattern: list[float], launch: date, w: int, n: int, lift: int
) -> None:
    history = _series(pattern, 0.0, launch, -7 * w, 7 * w)
    plain = sum(_series(pattern, 0.0, launch, 0, n))
    f = forecast(history, launch, n, weeks_before=w)
    c = compare(f, plain + lift * n)
    assert c.difference == pytest.approx(lift * n, rel=1e-6, abs=1e-6)
    assert c.verdict == LIFT
    assert compare(f, plain).verdict == NOISE


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0, 1000, allow_nan=False), min_size=14, max_size=56),
    st.lists(st.floats(0, 1000, allow_nan=False), min_size=1, max_size=30),
    launches,
    days_after,
    st.floats(0, 1000, allow_nan=False),
)
def test_nothing_outside_the_window_changes_the_forecast(
    history: list[float], older: list[float], launch: date, n: int, lift: float
) -> None:
    # The forecast reads only the last full weeks before the launch: days older than the
    # window (prepended here beyond `weeks_before` weeks) change nothing, and a lift added
    # after the launch moves the actual and the difference, never the prediction.
    w = len(history) // 7
    window = history[len(history) - 7 * w :]
    base = forecast(window, launch, n, weeks_before=w)
    assert forecast(older + history, launch, n, weeks_before=w) == base
    before = compare(base, base.total)
    after = compare(base, base.total + lift)
    assert (after.predicted, after.low, after.high) == (before.predicted, before.low, before.high)
    assert after.difference == pytest.approx(before.difference + lift)
