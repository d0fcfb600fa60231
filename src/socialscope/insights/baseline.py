"""The expected band of a metric series: same-slot median + trend, MAD width.

Pure functions over an ordered series `{bucket: value}` (buckets are local dates for the
daily grain, naive local hours for the hourly grain), so the band can be tested on
synthetic series without a store. For each point:

* **seasonal level** — the median of the same slot in the previous weeks (the same
  weekday for days; for hours the same weekday and hour when at least `min_history` of
  those exist, else the same hour of the previous `hour_days` days);
* **trend** — the median residual (value − its own seasonal level) over the `trend`
  buckets just before the point: how far the recent level has moved from the seasonal
  medians, which lag behind a rising or falling series;
* **expected** = seasonal level + trend; **width** = sensitivity × σ, σ = the larger of
  1.4826 × MAD of the same-slot values and 1.4826 × MAD of the residuals of the last
  2 × `trend` buckets around the trend (a steadier estimate than 8 values), but at least
  a floor (`abs_floor`, and `rel_floor` × |expected|) so a flat series does not flag
  noise; a band never goes below 0 (`non_negative`; the runner turns it off for a
  series that has negative values);
* **seen before** — the band always covers the same-slot values of the history window
  but their most extreme one (so one past anomaly does not hide the next), and when the
  same-slot median is 0 (an intermittent series: a refund every few days) it also covers
  the usual size of one event: median + sensitivity × σ of the non-zero values of the
  last 2 × `trend` buckets; without this every event of such a series would be flagged;
* **warm-up** — fewer than `min_history` same-slot values (or a point without a value):
  no band, never flagged.

Weekly and monthly series (buckets are the local date a week/month starts on) have no
weekday seasonality: the "same slot" is simply the previous `week_buckets` weeks or
`month_buckets` months, the trend window `week_trend` / `month_trend` buckets; the rest
(trend term, floored MAD width, seen-before, warm-up) is the same.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

Bucket = date | datetime

MAD_SCALE = 1.4826
"""MAD × 1.4826 estimates the standard deviation of normal noise."""


@dataclass(frozen=True)
class BandConfig:
    """How the band is built; see the module docstring."""

    sensitivity: float = 3.0
    weeks: int = 8
    min_history: int = 4
    trend: int = 14  # buckets before the point (days; hourly: see hourly())
    hour_days: int = 14
    abs_floor: float = 1.0
    rel_floor: float = 0.05
    non_negative: bool = True
    week_buckets: int = 8
    month_buckets: int = 12
    week_trend: int = 4
    month_trend: int = 3

    def __post_init__(self) -> None:
        if not self.sensitivity > 0:
            raise ValueError(f"sensitivity must be above 0, got {self.sensitivity}")
        if (
            self.weeks < 1
            or self.min_history < 1
            or self.min_history > max(self.weeks, self.hour_days)
            or min(self.week_buckets, self.month_buckets, self.week_trend, self.month_trend) < 1
        ):
            raise ValueError("weeks and min_history must be at least 1, min_history <= weeks")


@dataclass(frozen=True)
class Band:
    expected: float
    low: float
    high: float

    def flags(self, value: float) -> bool:
        return value > self.high or value < self.low


GRAINS = ("day", "hour", "week", "month")


def add_months(d: date, k: int) -> date:
    """The first day of the month `k` months after d's month (k may be negative)."""
    n = d.year * 12 + d.month - 1 + k
    return date(n // 12, n % 12 + 1, 1)


def step_back(point: Bucket, k: int, grain: str) -> Bucket:
    """The bucket `k` buckets before `point` at `grain`."""
    if grain == "month":
        assert isinstance(point, date)
        return add_months(point, -k)
    unit = {"day": timedelta(days=1), "hour": timedelta(hours=1), "week": timedelta(days=7)}
    return point - unit[grain] * k


def history_span(grain: str, config: BandConfig) -> timedelta:
    """How far before the first evaluated point the series must reach."""
    if grain == "day":
        return timedelta(days=7 * config.weeks + config.trend)
    if grain == "week":
        return timedelta(days=7 * (config.week_buckets + 2 * config.week_trend))
    if grain == "month":
        return timedelta(days=31 * (config.month_buckets + 2 * config.month_trend))
    return timedelta(days=max(7 * config.weeks, config.hour_days) + 2)


class BandModel:
    """Bands of one series; seasonal levels are memoised (the trend reuses them)."""

    def __init__(
        self, series: Mapping[Bucket, float | None], grain: str, config: BandConfig
    ) -> None:
        if grain not in GRAINS:
            raise ValueError(f"grain must be one of {', '.join(GRAINS)}, got {grain!r}")
        self.series = series
        self.grain = grain
        self.config = config
        self._seasonal: dict[Bucket, tuple[float, list[float]] | None] = {}

    def _peers(self, point: Bucket) -> list[float]:
        cfg = self.config
        if self.grain in ("week", "month"):
            n = cfg.week_buckets if self.grain == "week" else cfg.month_buckets
            previous = [self.series.get(step_back(point, k, self.grain)) for k in range(1, n + 1)]
            return [v for v in previous if v is not None]
        weekly = [self.series.get(point - timedelta(days=7 * k)) for k in range(1, cfg.weeks + 1)]
        values = [v for v in weekly if v is not None]
        if self.grain == "day" or len(values) >= cfg.min_history:
            return values
        daily = [self.series.get(point - timedelta(days=k)) for k in range(1, cfg.hour_days + 1)]
        return [v for v in daily if v is not None]

    def seasonal(self, point: Bucket) -> tuple[float, list[float]] | None:
        """(median of the same-slot values, those values), or None in the warm-up."""
        if point not in self._seasonal:
            peers = self._peers(point)
            level = statistics.median(peers) if len(peers) >= self.config.min_history else None
            self._seasonal[point] = None if level is None else (level, peers)
        return self._seasonal[point]

    def _residuals(self, point: Bucket, n: int) -> list[float]:
        """value − seasonal level of the `n` buckets before the point (where both exist)."""
        out = []
        for k in range(1, n + 1):
            q = step_back(point, k, self.grain)
            value = self.series.get(q)
            level = self.seasonal(q)
            if value is not None and level is not None:
                out.append(value - level[0])
        return out

    def _trend_and_spread(self, point: Bucket) -> tuple[float, float]:
        """(median residual of the trend window, 1.4826 MAD of the residuals of a window
        twice as long around that median)."""
        n = self._window()
        residuals = self._residuals(point, 2 * n)
        recent = residuals[:n]
        trend = statistics.median(recent) if len(recent) >= n // 2 else 0.0
        if len(residuals) < n:
            return trend, 0.0
        spread = statistics.median(abs(r - trend) for r in residuals) * MAD_SCALE
        return trend, spread

    def band(self, point: Bucket) -> Band | None:
        seasonal = self.seasonal(point)
        if seasonal is None:
            return None
        level, peers = seasonal
        trend, spread = self._trend_and_spread(point)
        expected = level + trend
        mad = statistics.median(abs(v - level) for v in peers) * MAD_SCALE
        cfg = self.config
        sigma = max(mad, spread, cfg.abs_floor, cfg.rel_floor * abs(expected))
        if cfg.non_negative:
            expected = max(expected, 0.0)
        # values the slot already had are no anomaly (the second extremes: one past
        # anomaly does not hide the next); an intermittent series (slot median 0, e.g. a
        # refund every few days) is also covered up to its recent maximum
        ordered = sorted(peers)
        k = 1 if len(ordered) >= 4 else 0
        low = min(expected - cfg.sensitivity * sigma, ordered[k])
        high = max(expected + cfg.sensitivity * sigma, ordered[-1 - k])
        if level == 0:
            high = max(high, self._event_size_limit(point))
        if cfg.non_negative:
            low = max(low, 0.0)
        return Band(expected, low, high)

    def _event_size_limit(self, point: Bucket) -> float:
        """For an intermittent series: how big one non-zero value may be — the median of
        the recent non-zero values + sensitivity × their σ (MAD, floored)."""
        sizes = [v for v in self._recent(point, 2 * self._window()) if v != 0]
        if not sizes:
            return 0.0
        med = statistics.median(sizes)
        mad = statistics.median(abs(v - med) for v in sizes) * MAD_SCALE
        sigma = max(mad, self.config.abs_floor, self.config.rel_floor * abs(med))
        return med + self.config.sensitivity * sigma

    def _window(self) -> int:
        return {
            "day": self.config.trend,
            "hour": 48,
            "week": self.config.week_trend,
            "month": self.config.month_trend,
        }[self.grain]

    def _recent(self, point: Bucket, n: int) -> list[float]:
        values = (self.series.get(step_back(point, k, self.grain)) for k in range(1, n + 1))
        return [v for v in values if v is not None]


def month_days(bucket: date) -> int:
    """How many days the month starting on `bucket` has."""
    return (add_months(bucket, 1) - bucket).days


class PerDayMonthModel:
    """Monthly bands on per-day rates: months of 28-31 days are compared by value ÷ days
    (a 28-day February is not a drop), and the band is scaled back to the month's days.
    The absolute σ floor is divided by 30, so a month's floor stays about `abs_floor`."""

    def __init__(self, series: Mapping[Bucket, float | None], config: BandConfig) -> None:
        assert all(isinstance(b, date) and not isinstance(b, datetime) for b in series)
        rates = {b: None if v is None else v / month_days(b) for b, v in series.items()}
        cfg = replace(config, abs_floor=config.abs_floor / 30)
        self.model = BandModel(rates, "month", cfg)

    def band(self, point: Bucket) -> Band | None:
        found = self.model.band(point)
        if found is None:
            return None
        assert isinstance(point, date)
        n = month_days(point)
        return Band(found.expected * n, found.low * n, found.high * n)


def bands(
    series: Mapping[Bucket, float | None],
    points: Sequence[Bucket],
    grain: str = "day",
    config: BandConfig | None = None,
) -> dict[Bucket, Band | None]:
    """The band of each of `points` (None in the warm-up) from the whole `series`."""
    model = BandModel(series, grain, config or BandConfig())
    return {p: model.band(p) for p in points}
