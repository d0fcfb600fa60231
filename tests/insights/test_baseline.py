"""The band on synthetic series (no store): false alarms and recall, reported and bounded.

Series: 120 days with a weekly pattern (Saturday 1.5 × Tuesday), normal noise of 10 % and
the last 50 days evaluated. 40 seeds each; the rates are printed (pytest -s) and asserted.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialscope.insights.baseline import BandConfig, BandModel, bands

SEASON = (1.0, 0.9, 0.95, 1.0, 1.2, 1.5, 1.3)
START = date(2025, 1, 6)
SEEDS = range(40)


def series(
    seed: int,
    *,
    level: float = 100.0,
    noise: float = 0.1,
    trend: float = 0.0,
    inject: float | None = None,
    injected: int = 5,
) -> tuple[dict[date, float | None], list[date], dict[date, float]]:
    """(series, evaluated points, injected factors): each injected point's mean is
    multiplied by 1 ± inject before the noise."""
    rnd = random.Random(seed)
    points = [START + timedelta(days=i) for i in range(70, 120)]
    factors: dict[date, float] = {}
    if inject is not None:
        factors = {p: rnd.choice((1 + inject, 1 - inject)) for p in rnd.sample(points, injected)}
    out: dict[date, float | None] = {}
    for i in range(120):
        d = START + timedelta(days=i)
        mu = level * SEASON[d.weekday()] * (1 + trend * i) * factors.get(d, 1.0)
        out[d] = max(0.0, rnd.gauss(mu, noise * mu))
    return out, points, factors


def flagged(s: dict[date, float | None], points: list[date]) -> set[date]:
    b = bands(s, points, "day", BandConfig())
    out = set()
    for p in points:
        band, value = b[p], s[p]
        if band is not None and value is not None and band.flags(value):
            out.add(p)
    return out


@pytest.mark.parametrize("trend", [0.0, 0.01], ids=["flat", "rising 1 %/day"])
def test_false_alarms_without_injection_are_rare(trend: float) -> None:
    alarms = total = 0
    for seed in SEEDS:
        s, points, _ = series(seed, trend=trend)
        alarms += len(flagged(s, points))
        total += len(points)
    rate = alarms / total
    print(f"false-alarm rate (trend {trend}): {rate:.2%} of {total} points")
    assert rate <= 0.02


def test_injected_changes_of_60_percent_are_found() -> None:
    hits = total = alarms = clean = 0
    for seed in SEEDS:
        s, points, factors = series(1000 + seed, inject=0.6)
        found = flagged(s, points)
        hits += len(found & set(factors))
        total += len(factors)
        alarms += len(found - set(factors))
        clean += len(points) - len(factors)
    recall, false_rate = hits / total, alarms / clean
    print(f"recall of ±60 % changes: {recall:.1%} ({hits}/{total}); false alarms {false_rate:.2%}")
    assert recall >= 0.9
    assert false_rate <= 0.03


def test_direction_of_spikes_and_drops() -> None:
    s, points, factors = series(5, inject=0.6, noise=0.05)
    b = bands(s, points, "day", BandConfig())
    for p, f in factors.items():
        band, value = b[p], s[p]
        assert band is not None and value is not None
        assert (value > band.high) if f > 1 else (value < band.low), (p, f, band, value)


def test_flat_series_flags_nothing_and_the_floor_holds() -> None:
    s: dict[date, float | None] = {START + timedelta(days=i): 10.0 for i in range(100)}
    s[START + timedelta(days=90)] = 12.0  # +2 on a series of 10: within the floor (1 σ)
    points = [START + timedelta(days=i) for i in range(60, 100)]
    assert flagged(s, points) == set()
    band = bands(s, [START + timedelta(days=90)])[START + timedelta(days=90)]
    assert band is not None and (band.low, band.high) == (7.0, 13.0)


def test_warm_up_gives_no_band() -> None:
    # fewer than 4 earlier same weekdays: no band at all, whatever the value
    s: dict[date, float | None] = {START + timedelta(days=i): 10.0 for i in range(22)}
    s[START + timedelta(days=21)] = 1000.0
    b = bands(s, list(s))
    assert all(v is None for v in b.values())
    s[START + timedelta(days=28)] = 1000.0  # the 5th Monday has 4 earlier ones
    assert bands(s, [START + timedelta(days=28)])[START + timedelta(days=28)] is not None


def test_zero_expected_band() -> None:
    s: dict[date, float | None] = {START + timedelta(days=i): 0.0 for i in range(70)}
    b = bands(s, [START + timedelta(days=69)])[START + timedelta(days=69)]
    assert b is not None and (b.expected, b.low, b.high) == (0.0, 0.0, 3.0)


def test_missing_values_are_skipped_not_zero() -> None:
    # a rate without enough cases (None) is neither a point nor history
    s: dict[date, float | None] = {START + timedelta(days=i): 0.5 for i in range(70)}
    for i in range(0, 70, 7):
        s[START + timedelta(days=i)] = None
    cfg = BandConfig(abs_floor=0.01)
    model = BandModel(s, "day", cfg)
    assert model.band(START + timedelta(days=63)) is None  # all earlier Mondays are None
    band = model.band(START + timedelta(days=64))
    assert band is not None and band.expected == 0.5


def test_hourly_uses_same_hour_and_skips_the_dst_gap() -> None:
    # Europe/Warsaw springs forward 2026-03-29 02:00 -> no 02:00 bucket that day
    s: dict[datetime, float | None] = {}
    t = datetime(2026, 3, 1)
    while t < datetime(2026, 3, 31):
        if not (t.date() == date(2026, 3, 29) and t.hour == 2):
            s[t] = 20.0 if 9 <= t.hour < 17 else 2.0
        t += timedelta(hours=1)
    s[datetime(2026, 3, 30, 11)] = 60.0
    points = [p for p in s if p.date() >= date(2026, 3, 28)]
    b = bands(s, points, "hour", BandConfig())
    hits = [p for p in points if (band := b[p]) is not None and band.flags(s[p] or 0.0)]
    assert hits == [datetime(2026, 3, 30, 11)]
    band_at_3 = b[datetime(2026, 3, 29, 3)]
    assert band_at_3 is not None and band_at_3.expected == 2.0


def test_config_checks() -> None:
    with pytest.raises(ValueError, match="sensitivity"):
        BandConfig(sensitivity=0)
    with pytest.raises(ValueError, match="grain"):
        BandModel({}, "year", BandConfig())


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(
        st.one_of(st.none(), st.floats(min_value=0, max_value=1e6, allow_nan=False)),
        min_size=30,
        max_size=90,
    ),
    low_s=st.floats(min_value=0.5, max_value=5),
    extra=st.floats(min_value=0, max_value=5),
)
def test_band_properties(values: list[float | None], low_s: float, extra: float) -> None:
    """For any series: low <= expected <= high, low >= 0, and a wider band (higher
    sensitivity) never flags a point the narrower one did not."""
    s: dict[date, float | None] = {START + timedelta(days=i): v for i, v in enumerate(values)}
    points = list(s)
    narrow = bands(s, points, "day", BandConfig(sensitivity=low_s))
    wide = bands(s, points, "day", BandConfig(sensitivity=low_s + extra))
    for p in points:
        n, w, v = narrow[p], wide[p], s[p]
        assert (n is None) == (w is None)
        if n is None or w is None:
            continue
        assert 0 <= n.low <= n.expected <= n.high
        assert w.low <= n.low and w.high >= n.high
        if v is not None and w.flags(v):
            assert n.flags(v)


def test_signed_series_band_may_go_below_zero() -> None:
    s: dict[date, float | None] = {
        START + timedelta(days=i): (-5.0 if i % 2 else 5.0) for i in range(70)
    }
    p = START + timedelta(days=69)
    band = bands(s, [p], "day", BandConfig(non_negative=False))[p]
    assert band is not None and band.low < 0
