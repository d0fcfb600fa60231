"""find_anomalies: the points of a metric series outside their expected band, explained.

Every value comes from the registered metric through `Client.query` (insights/series.py);
the band is insights/baseline.py; the explanations insights/explain.py. See
docs/anomalies.md for the rules and their reasons.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from socialscope.insights.baseline import (
    BandConfig,
    BandModel,
    PerDayMonthModel,
    history_span,
)
from socialscope.insights.explain import Explainer, channel_of
from socialscope.insights.series import (
    GRAIN_DIMENSION,
    fetch_series,
    metric_spec,
    resolve_shop,
)
from socialscope.metrics.query import QueryError, make_query
from socialscope.metrics.spec import Count, MetricSpec, Sum, Unit

if TYPE_CHECKING:
    from socialscope.client import Client

GRAINS = tuple(GRAIN_DIMENSION)
MIN_DENOMINATOR = 5.0
"""A ratio point whose denominator is below this is not evaluated (nor used as history)."""
ABS_FLOOR = {
    Unit.COUNT: 1.0,
    Unit.MONEY: 1.0,
    Unit.SECONDS: 5.0,
    Unit.RATIO: 0.01,
    Unit.NUMBER: 0.1,
}
"""The smallest σ of a band, per unit (a flat series would otherwise have σ = 0)."""


@dataclass(frozen=True)
class Explanation:
    kind: str  # post | live | campaign | product | staff_absence | big_order | refund
    at: datetime  # when it happened (UTC, tz-aware)
    label: str
    ref: dict[str, str]
    score: float  # impact x timing x direction (docs/anomalies.md); sorted by it, desc
    message: str = field(default="", compare=False)
    """The label's template (insights.labels; the web locales translate it)."""
    args: dict[str, str] = field(default_factory=dict, compare=False)
    """The template's arguments: label == TEMPLATES[message].format(**args)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "at": self.at.isoformat(),
            "label": self.label,
            "ref": dict(self.ref),
            "score": self.score,
        }


@dataclass(frozen=True)
class Anomaly:
    metric: str
    dims: dict[str, str | None]  # the --by dimension values ({} without --by)
    date: date | None  # day grain; week/month grains: the bucket's first local day
    hour: datetime | None  # hourly grain (local wall clock, naive)
    value: float
    expected: float
    low: float
    high: float
    deviation_pct: float | None  # (value - expected) / expected; None when expected == 0
    direction: str  # up | down
    explanations: tuple[Explanation, ...]

    def to_json(self) -> dict[str, Any]:
        """The issue's JSON object: dimension values as top-level keys, then date or hour."""
        out: dict[str, Any] = dict(self.dims)
        if self.hour is not None:
            out["hour"] = self.hour.isoformat(timespec="minutes")
        else:
            assert self.date is not None
            out["date"] = self.date.isoformat()
        out.update(
            value=self.value,
            expected=self.expected,
            low=self.low,
            high=self.high,
            deviation_pct=self.deviation_pct,
            direction=self.direction,
            explanations=[e.to_json() for e in self.explanations],
        )
        return out


def _check_dims(dims: Sequence[str]) -> None:
    for d in dims:
        if d in ("date", "hour", "week", "month"):
            raise QueryError(
                f"by: {d!r} is a time dimension; use grain (day, hour, week or month) instead"
            )
        if d == "shop_id":
            raise QueryError("by: anomalies run on one shop; pass shop instead of by shop_id")


def _round(x: float) -> float:
    return round(x, 6)


def _per_day(spec: MetricSpec, grain: str) -> bool:
    """Months of 28-31 days are compared by their per-day rate when the metric adds up
    over days (a count or a sum); a ratio, a distinct count or a custom reduction is
    compared as it is (it does not grow with the month's length, or not in proportion)."""
    return grain == "month" and isinstance(spec.agg, Count | Sum)


def find_anomalies(
    client: Client,
    metric: str,
    *,
    shop: str | None = None,
    date_from: date | str | None = None,
    date_to: date | str | None = None,
    by: str | Sequence[str] | None = None,
    grain: str = "day",
    sensitivity: float = 3.0,
    where: Mapping[str, str | Sequence[str]] | None = None,
    explain: bool = True,
    window: timedelta | None = None,
    config: BandConfig | None = None,
    params: Mapping[str, Any] | None = None,
) -> list[Anomaly]:
    """The flagged points of `metric` in [date_from, date_to] (local dates; default the
    last 30 days of data, 12 weeks for grain week, a year for grain month), per slice of
    `by`, sorted by point then slice. Week and month points are whole buckets inside the
    period (docs/anomalies.md).

    `window`: how far before a point events count (default 2 days / 3 hours; weeks 2 days,
    months 3 days before the bucket); `config`:
    the band's settings (insights.baseline.BandConfig); `params`: the metric's parameters
    (as `Client.query`)."""
    if grain not in GRAINS:
        raise QueryError(f"grain must be one of: {', '.join(GRAINS)}; got {grain!r}")
    try:
        sensitivity = float(sensitivity)
    except (TypeError, ValueError):
        raise QueryError(f"sensitivity must be a number, got {sensitivity!r}") from None
    if not 0 < sensitivity <= 100:
        raise QueryError(f"sensitivity must be above 0 and at most 100, got {sensitivity}")
    query = make_query(metric, by, date_from, date_to, shop, where, params=params)
    dims, start, end = query.dimensions, query.date_from, query.date_to
    _check_dims(dims)
    spec = metric_spec(client, metric, dims, where, params)
    shop_id = resolve_shop(client, shop)
    base = config or BandConfig()
    cfg = replace(
        base,
        sensitivity=sensitivity,
        abs_floor=ABS_FLOOR.get(spec.unit, base.abs_floor) if config is None else base.abs_floor,
    )
    data = fetch_series(
        client,
        spec,
        shop_id,
        dims,
        grain,
        start,
        end,
        history_span(grain, cfg),
        where,
        MIN_DENOMINATOR,
        params,
    )
    flagged: list[tuple[Any, tuple[Any, ...], float, Any]] = []
    per_day = _per_day(spec, grain)
    for key, series in data.series.items():
        # a series that goes below 0 (net follower growth, net amounts) keeps its sign
        signed = any(v is not None and v < 0 for v in series.values())
        band_cfg = replace(cfg, non_negative=False) if signed else cfg
        model: BandModel | PerDayMonthModel = (
            PerDayMonthModel(series, band_cfg) if per_day else BandModel(series, grain, band_cfg)
        )
        for bucket, value in series.items():
            day = bucket.date() if isinstance(bucket, datetime) else bucket
            if value is None or not data.date_from <= day <= data.date_to:
                continue
            band = model.band(bucket)
            if band is not None and band.flags(value):
                flagged.append((bucket, key, value, band))
    flagged.sort(key=lambda f: (f[0], tuple("" if v is None else str(v) for v in f[1])))
    explainer = None
    if explain and flagged:
        explainer = Explainer(
            client,
            shop_id,
            data.timezone,
            grain,
            flagged[0][0],
            flagged[-1][0],
            window,
            sales=spec.is_money or spec.section.startswith(("4.", "7.")),
            refunds="refund" in spec.id,
        )
    channel_filter = list(query.filters.get("channel", ()))
    out = []
    for bucket, key, value, band in flagged:
        dim_values = {
            d: (None if v is None else str(v)) for d, v in zip(data.dims, key, strict=True)
        }
        direction = "up" if value > band.high else "down"
        found: tuple[Explanation, ...] = ()
        if explainer is not None:
            chan = channel_of(dim_values, channel_filter or None)
            found = tuple(
                Explanation(
                    f.event.kind,
                    f.event.at,
                    f.event.label,
                    f.event.ref,
                    f.score,
                    f.event.message,
                    f.event.args,
                )
                for f in explainer.explain(bucket, direction, chan, dim_values.get("currency"))
            )
        out.append(
            Anomaly(
                metric=spec.id,
                dims=dim_values,
                date=bucket if grain != "hour" else None,
                hour=bucket if grain == "hour" else None,
                value=_round(value),
                expected=_round(band.expected),
                low=_round(band.low),
                high=_round(band.high),
                deviation_pct=(
                    None if band.expected == 0 else _round((value - band.expected) / band.expected)
                ),
                direction=direction,
                explanations=found,
            )
        )
    return out
