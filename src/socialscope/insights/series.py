"""A metric's series per slice, read through `Client.query` (the registered metric).

The query reaches back before the asked period by the band's history span, so the first
evaluated points already have a baseline. Money metrics are always split by currency
(never added across currencies). For a ratio the denominator is queried beside it: a
point whose denominator is below `min_denominator` is left out of the series (too few
cases for a rate to mean anything), exactly like a point where the ratio is null.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from socialscope.metrics.execute import validate
from socialscope.metrics.query import QueryError, make_query
from socialscope.metrics.spec import MetricSpec, Ratio, Unit

if TYPE_CHECKING:
    from socialscope.client import Client

from socialscope.insights.baseline import Bucket, add_months
from socialscope.metrics.time import bucket_of

GRAIN_DIMENSION = {"day": "date", "hour": "hour", "week": "week", "month": "month"}
DEFAULT_DAYS = {"day": 30, "hour": 30, "week": 7 * 12, "month": 366}
"""Without a period, the last 30 days (week grain: 12 weeks; month grain: a year) of the
shop's data are evaluated (ending on the last day with data of the metric's fact)."""


def local_today(tz: str) -> date:
    """The shop's local date now (the current week/month is still incomplete)."""
    return datetime.now(ZoneInfo(tz)).date()


def bucket_end(bucket: date, grain: str) -> date:
    """The last local day of a week (Monday-based, as the layer) or month bucket."""
    if grain == "week":
        return bucket + timedelta(days=6)
    return add_months(bucket, 1) - timedelta(days=1)


def bucket_days(bucket: date, grain: str) -> int:
    """How many local days a week or month bucket holds."""
    return (bucket_end(bucket, grain) - bucket).days + 1


@dataclass
class SeriesSet:
    """The slices of one metric: dimension values -> {bucket: value or None}."""

    spec: MetricSpec
    shop: str
    timezone: str
    dims: tuple[str, ...]
    grain: str
    date_from: date
    date_to: date
    series: dict[tuple[Any, ...], dict[Bucket, float | None]] = field(default_factory=dict)
    skipped: int = 0  # ratio points left out for a tiny denominator


def resolve_shop(client: Client, shop: str | None) -> str:
    """The one shop an anomaly run reads (named, or the store's only shop)."""
    shops = client.shops()
    if shop is not None:
        if shop not in shops:
            raise QueryError(
                f"unknown shop {shop!r}; shops in this store: {', '.join(sorted(shops)) or 'none'}"
            )
        return shop
    if len(shops) == 1:
        return next(iter(shops))
    if not shops:
        raise QueryError("the store holds no shops yet: import data first")
    raise QueryError(
        f"the store holds several shops ({', '.join(sorted(shops))}): pass a shop (--shop ID)"
    )


def metric_spec(
    client: Client, metric: str, dims: Sequence[str], where: Any, params: Any = None
) -> MetricSpec:
    """The registered spec, checked by the layer's own validation (same messages)."""
    query = make_query(metric, dims, where=where, params=params)
    spec = validate(query, client.runner.registry)[0]
    if spec.snapshot:
        raise QueryError(f"metric {metric!r} is a snapshot (one value as of a moment): no series")
    return spec


def _number(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return float(value)


def _local_hour(value: Any, tz: str) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    return value


def fetch_series(
    client: Client,
    spec: MetricSpec,
    shop: str,
    dims: Sequence[str],
    grain: str,
    date_from: date | None,
    date_to: date | None,
    history: timedelta,
    where: Mapping[str, str | Sequence[str]] | None,
    min_denominator: float,
    params: Mapping[str, Any] | None = None,
) -> SeriesSet:
    """Query the metric by dims and the time grain over [from - history, to].

    Week and month grains keep whole buckets only: a bucket that starts before the data's
    first day, or ends after the period's end, the data's last day or yesterday (the
    current, still incomplete week/month) is left out — neither evaluated nor history."""
    # The data's own span: buckets before the first day of data are not history (the
    # layer fills empty buckets with 0, which would end the warm-up of a new shop at once).
    probe = client.query(
        spec.id, by=["currency"] if spec.is_money else None, shop=shop, params=params
    )
    assert probe.date_from is not None and probe.date_to is not None
    data_first = probe.date_from
    date_to = date_to or probe.date_to
    if date_from is None:
        default = DEFAULT_DAYS[grain]
        date_from = min(max(probe.date_from, date_to - timedelta(days=default - 1)), date_to)
    dims = tuple(dims)
    if spec.unit is Unit.MONEY and "currency" not in dims:
        dims = (*dims, "currency")
    time_dim = GRAIN_DIMENSION[grain]
    metrics = [spec.id]
    denominator = spec.agg.denominator if isinstance(spec.agg, Ratio) else None
    if denominator is not None:
        metrics.append(denominator)
    query_from = date_from - history
    tz = str(client.shops()[shop].get("timezone") or "UTC")
    whole_until = date_to
    if grain in ("week", "month"):
        query_from = bucket_of(query_from, time_dim)
        today = local_today(tz)
        whole_until = min(date_to, probe.date_to, today - timedelta(days=1))
    result = client.query(
        metrics,
        by=[*dims, time_dim],
        date_from=query_from,
        date_to=date_to,
        shop=shop,
        where=where,
        params=params,
    )
    out = SeriesSet(spec, shop, tz, dims, grain, date_from, date_to)
    for row in result.rows:
        key = tuple(row[d] for d in dims)
        bucket = row[time_dim] if grain == "day" else _local_hour(row[time_dim], tz)
        if (bucket.date() if isinstance(bucket, datetime) else bucket) < data_first:
            continue
        if grain in ("week", "month") and bucket_end(bucket, grain) > whole_until:
            continue
        value = _number(row[spec.id])
        if denominator is not None and value is not None:
            den = _number(row[denominator])
            if den is None or den < min_denominator:
                value = None
                out.skipped += 1
        out.series.setdefault(key, {})[bucket] = value
    return out
