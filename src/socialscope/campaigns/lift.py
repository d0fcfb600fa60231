"""Lift after a launch: four shop metrics in the days after, against their baselines.

Every series is a registered metric by local date (`Client.query`, one query per filter
set). Choices (see docs/campaign-review.md):
- sessions and social_sessions: the whole shop (site traffic the launch should move);
- conversion_rate, the "ad conversion rate": click users converting, for a post or a live
  only the clicks of its channel, for a campaign all the shop's clicks (the campaign's own
  clicks have no "before"); modelled as the ratio of the predicted daily
  converted_click_users and click_users (each day asked on its own, PER_DAY_GROUPS), and
  its actual taken on the same daily basis (Σ daily converted / Σ daily click users: a
  visitor clicking on two days counts on both), so that both sides count alike;
- sales: sales_amount (orders created, not cancelled — the figure the targets are set in),
  in the shop's currency only.
Leading days of the window on which the metric's source has no data yet (e.g. web
analytics connected later) are not history: the baseline starts at its first day with data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from socialscope.campaigns.baseline import (
    BaselineError,
    Forecast,
    Verdict,
    compare,
    forecast,
    forecast_ratio,
)
from socialscope.client import Client

MONEY_STEP = Decimal("0.01")
Number = int | float | Decimal


@dataclass(frozen=True)
class LiftSpec:
    metric: str  # the id reported (a registered metric)
    label: str
    parts: tuple[str, ...]  # one additive metric, or (numerator, denominator) of a ratio
    base: str  # its source's volume: the history starts at its first non-zero day
    group: str  # which query (filter set) it comes from
    money: bool = False


LIFT_METRICS: tuple[LiftSpec, ...] = (
    LiftSpec("sessions", "site sessions", ("sessions",), "sessions", "traffic"),
    LiftSpec("social_sessions", "social sessions", ("social_sessions",), "sessions", "traffic"),
    LiftSpec(
        "conversion_rate",
        "ad conversion rate",
        ("converted_click_users", "click_users"),
        "click_users",
        "clicks",
    ),
    LiftSpec("sales_amount", "sales", ("sales_amount",), "order_count", "sales", money=True),
)


@dataclass(frozen=True)
class DayValue:
    day: date
    actual: Number | None
    predicted: Number | None


@dataclass(frozen=True)
class MetricLift:
    metric: str
    label: str
    scope: Mapping[str, str]  # the filters of its series
    actual: Number | None
    predicted: Number | None
    low: Number | None
    high: Number | None
    difference: Number | None
    change_pct: float | None
    verdict: Verdict | None
    history_from: date | None
    history_to: date | None
    weeks: int | None
    daily: tuple[DayValue, ...]
    note: str | None  # why there is no verdict


@dataclass(frozen=True)
class LiftWindow:
    launch: date
    history_from: date  # launch − 7·weeks_before
    after_to: date  # last day compared (≤ launch + days_after − 1)
    weeks_before: int
    level: float


def scopes(channel: str | None, currency: str | None) -> dict[str, dict[str, str]]:
    """The filters of each query group."""
    return {
        "traffic": {},
        "clicks": {"channel": channel} if channel else {},
        "sales": {"currency": currency} if currency else {},
    }


PER_DAY_GROUPS = frozenset({"clicks"})
"""Click users are dated by their first click in the query period: one query by date over
the whole window would count a returning visitor on their first day in the window only,
and each day would depend on where the window starts. These are asked one day at a time:
a day's click users and, of them, those converted within the window after that day's
first click."""


def _series(
    client: Client, shop: str, window: LiftWindow, group: str, where: Mapping[str, str]
) -> dict[str, list[Any]]:
    metrics = list(
        dict.fromkeys(m for s in LIFT_METRICS if s.group == group for m in (*s.parts, s.base))
    )
    filters = {k: [v] for k, v in where.items()}
    if group not in PER_DAY_GROUPS:
        res = client.query(
            metrics,
            by=["date"],
            shop=shop,
            date_from=window.history_from,
            date_to=window.after_to,
            where=filters,
        )
        return {m: [r[m] for r in res.rows] for m in metrics}
    out: dict[str, list[Any]] = {m: [] for m in metrics}
    day = window.history_from
    while day <= window.after_to:
        res = client.query(metrics, shop=shop, date_from=day, date_to=day, where=filters)
        row = res.rows[0] if res.rows else {}
        for m in metrics:
            out[m].append(row.get(m) or 0)
        day += timedelta(days=1)
    return out


def measure(
    client: Client, shop: str, window: LiftWindow, channel: str | None, currency: str | None
) -> tuple[MetricLift, ...]:
    """The lift of every LIFT_METRICS entry over the window."""
    groups = scopes(channel, currency)
    data = {g: _series(client, shop, window, g, where) for g, where in groups.items()}
    return tuple(_lift(spec, data[spec.group], groups[spec.group], window) for spec in LIFT_METRICS)


def _history_start(base: Sequence[Any]) -> int | None:
    return next((i for i, v in enumerate(base) if v), None)


def _lift(
    spec: LiftSpec, data: Mapping[str, list[Any]], scope: Mapping[str, str], window: LiftWindow
) -> MetricLift:
    split = 7 * window.weeks_before
    first = _history_start(data[spec.base][:split])
    days = [window.launch + timedelta(days=i) for i in range(len(data[spec.base]) - split)]
    parts = [data[p] for p in spec.parts]
    if first is None:
        return _unavailable(spec, scope, days, parts, split, f"no {spec.base} before the launch")
    history = [[float(v) for v in p[first:split]] for p in parts]
    try:
        if len(parts) == 1:
            fc = forecast(
                history[0],
                window.launch,
                len(days),
                weeks_before=window.weeks_before,
                level=window.level,
            )
        else:
            fc = forecast_ratio(
                history[0],
                history[1],
                window.launch,
                len(days),
                weeks_before=window.weeks_before,
                level=window.level,
            )
    except BaselineError as exc:
        return _unavailable(spec, scope, days, parts, split, str(exc))
    return _compared(spec, scope, days, parts, split, fc)


def _actual(parts: list[list[Any]], split: int) -> Number | None:
    """The total after the launch; a ratio as Σ numerator / Σ denominator (None over 0).
    Sums start from the first value so money stays Decimal and counts int."""
    if len(parts) == 1:
        total: Number = parts[0][split]
        for value in parts[0][split + 1 :]:
            total += value
        return total
    num, den = sum(parts[0][split:]), sum(parts[1][split:])
    return num / den if den else None


def _daily_actual(parts: list[list[Any]], i: int) -> Number | None:
    if len(parts) == 1:
        value: Number = parts[0][i]
        return value
    return parts[0][i] / parts[1][i] if parts[1][i] else None


def _shape(value: float | None, money: bool, ratio: bool) -> Number | None:
    """Model output (float) as reported: money to cents, ratios to 6 places, counts to 2."""
    if value is None:
        return None
    if money:
        return Decimal(str(value)).quantize(MONEY_STEP)
    return round(value, 6 if ratio else 2)


def _unavailable(
    spec: LiftSpec,
    scope: Mapping[str, str],
    days: list[date],
    parts: list[list[Any]],
    split: int,
    reason: str,
) -> MetricLift:
    return MetricLift(
        metric=spec.metric,
        label=spec.label,
        scope=dict(scope),
        actual=_actual(parts, split),
        predicted=None,
        low=None,
        high=None,
        difference=None,
        change_pct=None,
        verdict=None,
        history_from=None,
        history_to=None,
        weeks=None,
        daily=tuple(DayValue(d, _daily_actual(parts, split + i), None) for i, d in enumerate(days)),
        note=reason,
    )


def _compared(
    spec: LiftSpec,
    scope: Mapping[str, str],
    days: list[date],
    parts: list[list[Any]],
    split: int,
    fc: Forecast,
) -> MetricLift:
    ratio = len(parts) == 2

    def shape(value: float | None) -> Number | None:
        return _shape(value, spec.money, ratio)

    actual = _actual(parts, split)
    predicted = shape(fc.total)
    difference: Number | None = None
    pct: float | None = None
    verdict: Verdict | None = None
    note = None
    if actual is None:
        note = f"no {spec.parts[-1]} after the launch: the ratio is undefined"
    else:
        cmp = compare(fc, float(actual))
        verdict, pct = cmp.verdict, cmp.change_pct
        if isinstance(actual, Decimal) and isinstance(predicted, Decimal):
            difference = actual - predicted  # money: Decimal, never through floats
            pct = float(difference / predicted) if predicted else None
        else:
            difference = shape(cmp.difference)
    return MetricLift(
        metric=spec.metric,
        label=spec.label,
        scope=dict(scope),
        actual=actual,
        predicted=predicted,
        low=shape(fc.low),
        high=shape(fc.high),
        difference=difference,
        change_pct=pct,
        verdict=verdict,
        history_from=fc.start - timedelta(days=7 * fc.weeks),
        history_to=fc.start - timedelta(days=1),
        weeks=fc.weeks,
        daily=tuple(
            DayValue(d, _daily_actual(parts, split + i), shape(fc.daily[i]))
            for i, d in enumerate(days)
        ),
        note=note,
    )
