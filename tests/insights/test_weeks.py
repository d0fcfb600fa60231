"""Weekly and monthly anomalies: the band on synthetic series (false alarms and recall,
reported and bounded), months compared by per-day rates, and the runner on the
long-history store (tests/insights/longstore.py): flags, warm-up, whole buckets only,
explanations within the bucket, and the JSON shape."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from socialscope.client import Client
from socialscope.insights import find_anomalies, series
from socialscope.insights.baseline import (
    BandConfig,
    BandModel,
    PerDayMonthModel,
    add_months,
    month_days,
)
from tests.insights.longstore import (
    M2_SPIKE_WEEK,
    SPIKE_MONTH,
    SPIKE_WEEK,
)

SEEDS = range(40)
WEEK0 = date(2024, 1, 1)
KEYS = ["date", "value", "expected", "low", "high", "deviation_pct", "direction", "explanations"]


def weekly(seed: int, trend: float, inject: float | None) -> tuple[dict[date, float], set[date]]:
    """60 weeks (level 500, 5 % noise, `trend` growth a week); with `inject`, 3 of the last
    30 weeks are multiplied by 1 ± inject."""
    rnd = random.Random(seed)
    weeks = [WEEK0 + timedelta(days=7 * i) for i in range(60)]
    hit = set(rnd.sample(weeks[30:], 3)) if inject is not None else set()
    out = {}
    for i, w in enumerate(weeks):
        mu = 500 * (1 + trend * i)
        if w in hit:
            mu *= rnd.choice((1 + inject, 1 - inject)) if inject is not None else 1
        out[w] = max(0.0, rnd.gauss(mu, 0.05 * mu))
    return out, hit


def flagged_weeks(s: dict[date, float]) -> set[date]:
    model = BandModel(s, "week", BandConfig())
    out = set()
    for w in sorted(s)[30:]:
        band = model.band(w)
        if band is not None and band.flags(s[w]):
            out.add(w)
    return out


@pytest.mark.parametrize("trend", [0.0, 0.01], ids=["flat", "rising 1 %/week"])
def test_weekly_false_alarms_are_rare(trend: float) -> None:
    alarms = sum(len(flagged_weeks(weekly(seed, trend, None)[0])) for seed in SEEDS)
    rate = alarms / (30 * len(SEEDS))
    print(f"weekly false alarms ({trend=}): {rate:.2%}")
    assert rate <= 0.02


def test_weekly_injected_changes_are_found() -> None:
    found = total = extra = 0
    for seed in SEEDS:
        s, hit = weekly(seed, 0.0, 0.5)
        flags = flagged_weeks(s)
        found += len(hit & flags)
        total += len(hit)
        extra += len(flags - hit)
    print(f"weekly recall of ±50 % weeks: {found / total:.1%}, other flags {extra}")
    assert found / total >= 0.9
    assert extra / (27 * len(SEEDS)) <= 0.03


def test_months_are_compared_by_per_day_rate() -> None:
    """Exactly 10 orders a day: February's 280 is no drop; a month-total band would flag it
    at sensitivity 1, the per-day band expects 10 × the month's days."""
    months = [add_months(date(2024, 1, 1), k) for k in range(30)]
    totals: dict[date, float | None] = {m: 10.0 * month_days(m) for m in months}
    cfg = BandConfig(sensitivity=1.0)
    per_day, raw = PerDayMonthModel(totals, cfg), BandModel(totals, "month", cfg)
    february = date(2025, 2, 1)
    band = per_day.band(february)
    assert band is not None and band.expected == pytest.approx(280.0)
    assert not any(b.flags(totals[m] or 0) for m in months[12:] if (b := per_day.band(m)))
    raw_band = raw.band(february)
    assert raw_band is not None and raw_band.flags(280.0)


def test_monthly_false_alarms_and_recall() -> None:
    months = [add_months(date(2022, 1, 1), k) for k in range(48)]
    alarms = found = 0
    for seed in SEEDS:
        rnd = random.Random(seed)
        spike = rnd.choice(months[24:])
        totals: dict[date, float | None] = {}
        for m in months:
            rate = rnd.gauss(20.0, 0.8) * (1.6 if m == spike else 1.0)
            totals[m] = rate * month_days(m)
        model = PerDayMonthModel(totals, BandConfig())
        flags = {m for m in months[24:] if (b := model.band(m)) and b.flags(totals[m] or 0)}
        found += spike in flags
        alarms += len(flags - {spike})
    print(f"monthly: recall {found}/{len(SEEDS)}, false alarms {alarms}/{23 * len(SEEDS)}")
    assert found == len(SEEDS)
    assert alarms / (23 * len(SEEDS)) <= 0.03


def test_short_history_is_warm_up() -> None:
    s = {WEEK0 + timedelta(days=7 * i): 100.0 for i in range(4)}
    s[WEEK0 + timedelta(days=21)] = 1000.0  # the 4th week: 3 weeks of history
    model = BandModel(s, "week", BandConfig())
    assert model.band(WEEK0 + timedelta(days=21)) is None


def test_spike_week_and_month_on_the_store(long_client: Client) -> None:
    weeks = find_anomalies(
        long_client, "order_count", shop="m1", grain="week", date_from="2024-01-01"
    )
    # the week of 2025-09-29 holds 1-5 October (the spike month) and is rightly flagged
    assert [str(a.date) for a in weeks] == ["2025-09-29", "2025-10-06", str(SPIKE_WEEK)]
    assert all(a.direction == "up" and a.hour is None for a in weeks)
    spike = weeks[-1]
    labels = [e.label for e in spike.explanations]
    assert labels[0].startswith("Live 'Spring show'")
    assert not any("Too early" in label for label in labels)  # 10 days before the week
    default = find_anomalies(long_client, "order_count", shop="m1", grain="month")
    assert [a.date for a in default] == [SPIKE_MONTH, date(2026, 3, 1)]  # the last year
    months = find_anomalies(
        long_client, "order_count", shop="m1", grain="month", date_from="2024-01-01"
    )
    assert months == default  # nothing else in two and a half years
    october = months[0]
    assert october.value == pytest.approx(603.0) and october.expected < october.low * 1.25


def test_short_history_shop_flags_nothing_in_warm_up(long_client: Client) -> None:
    weeks = find_anomalies(long_client, "order_count", shop="m2", grain="week")
    assert M2_SPIKE_WEEK not in {a.date for a in weeks}
    assert all(a.date is not None and a.date >= date(2026, 3, 2) for a in weeks)
    assert find_anomalies(long_client, "order_count", shop="m2", grain="month") == []


def test_only_whole_buckets_inside_the_period(long_client: Client) -> None:
    # 2026-03-11 is a Wednesday: the spike week starts before --from, so it is not evaluated
    found = find_anomalies(
        long_client, "order_count", shop="m1", grain="week", date_from="2026-03-11"
    )
    assert found == []
    # --to mid-week / mid-month: the cut bucket is not evaluated either
    cut = find_anomalies(
        long_client,
        "order_count",
        shop="m1",
        grain="week",
        date_from="2026-03-02",
        date_to="2026-03-12",
    )
    assert cut == []
    # a normal week cut after 3 days would be a drop of 4/7 if it were evaluated
    assert (
        find_anomalies(
            long_client,
            "order_count",
            shop="m1",
            grain="week",
            date_from="2026-03-16",
            date_to="2026-03-18",
        )
        == []
    )
    # the data end on Tuesday 2026-06-30: that week holds 2 days and is not evaluated
    assert find_anomalies(long_client, "order_count", shop="m1", grain="week") == []
    cut_month = find_anomalies(
        long_client,
        "order_count",
        shop="m1",
        grain="month",
        date_from="2025-10-01",
        date_to="2025-10-30",
    )
    assert cut_month == []


def test_the_current_week_is_never_flagged(
    long_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Thursday of the spike week (its data so far in the store), that week is still
    incomplete: not evaluated; a week later it is."""
    week = {"shop": "m1", "grain": "week", "date_from": "2026-03-02", "date_to": "2026-03-22"}
    assert [a.date for a in find_anomalies(long_client, "order_count", **week)] == [SPIKE_WEEK]
    monkeypatch.setattr(series, "local_today", lambda tz: SPIKE_WEEK + timedelta(days=3))
    assert find_anomalies(long_client, "order_count", **week) == []


@pytest.mark.parametrize(("grain", "first"), [("week", str(SPIKE_WEEK)), ("month", "2025-10-01")])
def test_json_shape(long_client: Client, grain: str, first: str) -> None:
    found = find_anomalies(
        long_client, "order_count", shop="m1", grain=grain, date_from="2025-09-01"
    )
    objects = [a.to_json() for a in found]
    assert all(list(o) == KEYS for o in objects)
    assert first in [o["date"] for o in objects]
    starts = [date.fromisoformat(o["date"]) for o in objects]
    if grain == "week":
        assert all(d.weekday() == 0 for d in starts)
    else:
        assert all(d.day == 1 for d in starts)
