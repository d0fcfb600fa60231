"""The launch baseline on small series solved by hand (OLS: weekday dummies + trend)."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pytest

from socialscope.campaigns.baseline import (
    DROP,
    LIFT,
    NOISE,
    BaselineError,
    compare,
    forecast,
    forecast_ratio,
    verdict,
)

LAUNCH = date(2026, 3, 2)  # a Monday; the history 2026-02-16 (Mon) .. 2026-03-01 (Sun)
T_95_6 = 1.943180  # t table: 0.95 quantile, 6 degrees of freedom (14 days − 8 parameters)

# Two weeks Mon..Sun: weekdays 10, weekend 20, with noise +1/−1 on Monday (week 1/2) and
# −1/+1 on Tuesday.
NOISY = [
    *(11, 9, 10, 10, 10, 20, 20),  # week 1, Mon..Sun
    *(9, 11, 10, 10, 10, 20, 20),  # week 2
]


def test_noisy_two_weeks_by_hand() -> None:
    f = forecast(NOISY, LAUNCH, 7)
    # Trend: b = Σ_d (week-2 − week-1 value of weekday d) / 49 (each weekday's two days lie
    # ±3.5 from their mean: Σ(t − t̄_d)² = 7·2·3.5² = 171.5, Σ(t − t̄_d)(y − ȳ_d) = 3.5·Σ diff)
    # = (−2 + 2 + 0·5) / 49 = 0, so each weekday effect is its two-day mean: Mon (11+9)/2 = 10,
    # Tue 10, Wed–Fri 10, Sat–Sun 20. The 7 days from Monday: 5·10 + 2·20 = 90.
    assert f.daily == pytest.approx((10, 10, 10, 10, 10, 20, 20))
    assert f.total == pytest.approx(90)
    # Residuals ±1 on the four Mon/Tue days: RSS 4, df 14 − 8 = 6, s² = 4/6.
    assert f.df == 6
    assert f.weeks == 2
    assert f.residual_sd == pytest.approx(math.sqrt(4 / 6))
    # Var(total)/s² = N + Var(Σ â_d + 73.5·b)/s², with 73.5 = Σ_{t=14..20}(t − 6.5):
    # Var(Σ ȳ_d) = 7·s²/2 = 3.5 s², Var(b) = s²/171.5, 73.5²/171.5 = 31.5, uncorrelated:
    # 7 + 3.5 + 31.5 = 42 → Var = 42·4/6 = 28; half-width = t(0.95; 6)·√28 = 10.28234.
    half = T_95_6 * math.sqrt(28)
    assert f.low == pytest.approx(90 - half, abs=1e-5)
    assert f.high == pytest.approx(90 + half, abs=1e-5)
    assert f.days[0] == LAUNCH
    assert f.days[-1] == date(2026, 3, 8)


def test_interval_level() -> None:
    # 95 % instead of 90 %: t(0.975; 6) = 2.446912 (t table) instead of 1.943180.
    f = forecast(NOISY, LAUNCH, 7, level=0.95)
    assert f.high - f.total == pytest.approx(2.446912 * math.sqrt(28), abs=1e-5)
    assert f.level == 0.95


def test_verdicts_around_the_interval() -> None:
    f = forecast(NOISY, LAUNCH, 7)  # 90, interval 79.718 .. 100.282 (above)
    assert compare(f, 101).verdict == LIFT
    assert compare(f, 95).verdict == NOISE
    assert compare(f, 79).verdict == DROP
    c = compare(f, 99)
    # difference 99 − 90 = 9; % = 9 / 90 = 0.1
    assert c.difference == pytest.approx(9)
    assert c.change_pct == pytest.approx(0.1)


def test_only_the_last_full_weeks_are_used() -> None:
    # 6 extra days in front (huge values): 20 days hold 2 full weeks, the last 14 are used,
    # so the forecast is the one above.
    f = forecast([1000, 0, 1000, 0, 1000, 0, *NOISY], LAUNCH, 7)
    assert f.weeks == 2
    assert f.total == pytest.approx(90)
    # weeks_before=2 on 3 weeks of history also ignores the oldest week.
    g = forecast([500] * 7 + NOISY, LAUNCH, 7, weeks_before=2)
    assert g.total == pytest.approx(90)


def test_pure_pattern_with_trend_is_exact() -> None:
    # y = weekday pattern (Mon..Sun 10,10,10,10,10,20,20) + 2·t, t = 0..13 (day index from
    # 2026-02-16). Launch day t = 14 is a Monday: 10 + 28 = 38; t = 15 Tuesday: 10 + 30 = 40;
    # t = 19 Saturday: 20 + 38 = 58. No residuals: the interval has no width.
    pattern = [10, 10, 10, 10, 10, 20, 20]
    history = [pattern[t % 7] + 2 * t for t in range(14)]
    f = forecast(history, LAUNCH, 6)
    assert f.daily == pytest.approx((38, 40, 42, 44, 46, 58), abs=1e-9)
    # 38 + 40 + 42 + 44 + 46 + 58 = 268
    assert f.total == pytest.approx(268)
    assert f.high - f.low == pytest.approx(0, abs=1e-6)


def test_no_trend_option() -> None:
    # Without trend, history 1..14 (rising) gives each weekday its two-day mean:
    # Monday (1 + 8)/2 = 4.5, Tuesday (2 + 9)/2 = 5.5; df = 14 − 7 = 7.
    f = forecast(list(range(1, 15)), LAUNCH, 2, trend=False)
    assert f.daily == pytest.approx((4.5, 5.5))
    assert f.df == 7


def test_total_is_floored_at_zero() -> None:
    # Falling 10 per day from 130 to 0: the trend carries on below 0 (−10, −20, ...), but a
    # count cannot be negative: total and bounds are 0.
    f = forecast([130 - 10 * t for t in range(14)], LAUNCH, 3)
    assert f.daily == pytest.approx((-10, -20, -30), abs=1e-9)
    assert (f.total, f.low, f.high) == (0.0, 0.0, 0.0)


def test_ratio_by_hand() -> None:
    # Numerator = NOISY, denominator 100 every day (no residual): A = 90, B = 700,
    # R = 90/700; Var(R) = 42 · (4/6) / 700² (only s_AA ≠ 0) → se = √28 / 700.
    f = forecast_ratio(NOISY, [100] * 14, LAUNCH, 7)
    assert f.total == pytest.approx(90 / 700)
    half = T_95_6 * math.sqrt(28) / 700  # 0.014689
    assert f.low == pytest.approx(90 / 700 - half, abs=1e-7)
    assert f.high == pytest.approx(90 / 700 + half, abs=1e-7)
    # Per day: Monday 10/100 = 0.1, Saturday 20/100 = 0.2.
    assert f.daily[0] == pytest.approx(0.1)
    assert f.daily[5] == pytest.approx(0.2)


def test_ratio_moving_together_is_exact() -> None:
    # Denominator 100 (weekdays) / 200 (weekend), numerator always 5 % of it: whatever the
    # day mix, R = 0.05 and the parts' residuals are all 0.
    den = [100, 100, 100, 100, 100, 200, 200] * 2
    f = forecast_ratio([d * 0.05 for d in den], den, LAUNCH, 10)
    assert f.total == pytest.approx(0.05)
    assert f.high - f.low == pytest.approx(0, abs=1e-9)


def test_ratio_without_denominator() -> None:
    with pytest.raises(BaselineError, match="no denominator"):
        forecast_ratio([0] * 14, [0] * 14, LAUNCH, 7)


@pytest.mark.parametrize(
    ("history", "kwargs", "message"),
    [
        ([1.0] * 13, {}, "at least 2 full weeks"),
        ([1.0] * 14, {"weeks_before": 1}, "weeks_before"),
        ([1.0] * 14, {"level": 1.0}, "level"),
        ([1.0] * 13 + [math.nan], {}, "missing"),
    ],
)
def test_errors(history: list[float], kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(BaselineError, match=message):
        forecast(history, LAUNCH, 7, **kwargs)


def test_days_after_must_be_positive() -> None:
    with pytest.raises(BaselineError, match="days_after"):
        forecast(NOISY, LAUNCH, 0)


def test_verdict_bounds_are_inclusive() -> None:
    # Equal to a bound is inside; float noise of an exact fit is no lift.
    assert verdict(10, 5, 10) == NOISE
    assert verdict(5, 5, 10) == NOISE
    assert verdict(100.0 + 1e-12, 100.0, 100.0) == NOISE
    assert verdict(10.001, 5, 10) == LIFT
