"""Evaluate alert rules against the store at one instant ``as_of`` (now, or a moment of
the past for a replay). Every value comes from registered metrics through `Client.query`
(or the anomaly runner over it) — never from SQL of its own.

What "the value" is, by condition:

* threshold on a bucketed metric: the values of the last N **complete** buckets of the
  shop's local time before ``as_of`` (N = ``for`` / grain, at least 1). The current,
  partial hour (or day) is never judged: it is judged once it has ended. A bucket without
  a value (no data, or a ratio with a zero denominator) does not satisfy the condition;
* threshold on a snapshot metric (``queue_waiting > 20``): the snapshot as of ``as_of``;
* ``change_vs_yesterday``: today's cumulative value through the last complete hour vs
  yesterday's through the same hour of the day, in % (hours summed; a ratio from its
  summed parts); null (never breaching) when yesterday's is 0;
* ``anomaly``: the last N complete buckets are all flagged by the anomaly runner.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from socialscope.alerts.conditions import Anomaly, ChangeVsYesterday, Threshold
from socialscope.alerts.rules import ALL_SHOPS, AlertRule
from socialscope.client import Client
from socialscope.metrics.registry import REGISTRY
from socialscope.metrics.spec import Ratio, Unit
from socialscope.metrics.time import spine


@dataclass(frozen=True)
class Observation:
    """One slice of one rule at one shop: whether the condition holds, and why."""

    rule: AlertRule
    shop: str
    metric: str
    dims: dict[str, Any]
    holds: bool
    value: float | None
    threshold: float | None
    detail: str


@dataclass
class Evaluation:
    observations: list[Observation] = field(default_factory=list)
    planned: set[tuple[str, str]] = field(default_factory=set)
    """(shop, rule id) of every pair the rules name, evaluated or not."""
    evaluated: list[tuple[str, AlertRule]] = field(default_factory=list)
    """(shop, rule) pairs evaluated without error: their unobserved slices are ok."""
    errors: list[tuple[str, str, str]] = field(default_factory=list)
    """(shop, rule id, message) of rules that could not be evaluated."""


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _fmt(value: float | None) -> str:
    return "no value" if value is None else f"{value:.6g}"


def _dims(row: dict[str, Any], by: Sequence[str]) -> dict[str, Any]:
    return {d: (None if row.get(d) is None else str(row[d])) for d in by}


def _key(dims: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(sorted(dims.items()))


def rule_shops(rule: AlertRule, configured: Sequence[str], client: Client) -> list[str]:
    if rule.shop_id != ALL_SHOPS:
        return [rule.shop_id]
    return list(configured) or sorted(client.shops())


def shop_zone(client: Client, shop: str) -> ZoneInfo:
    info = client.shops().get(shop)
    if info is None:
        raise ValueError(f"shop {shop!r} is not in the store")
    return ZoneInfo(info.get("timezone") or "UTC")


def local_naive(as_of: datetime, tz: ZoneInfo) -> datetime:
    return as_of.astimezone(tz).replace(tzinfo=None)


def complete_buckets(
    as_of: datetime, tz: ZoneInfo, grain: str, n: int
) -> Sequence[datetime | date]:
    """The last ``n`` complete local buckets before ``as_of`` (oldest first)."""
    now = local_naive(as_of, tz)
    if grain == "day":
        today = now.date()
        return [today - timedelta(days=i) for i in range(n, 0, -1)]
    current = now.replace(minute=0, second=0, microsecond=0)
    start = (current - timedelta(hours=n + 3)).date()
    hours = [h for h in spine(start, current.date(), "hour", str(tz)) if isinstance(h, datetime)]
    return [h for h in hours if h < current][-n:]


def _bucket_text(b: datetime | date) -> str:
    return b.strftime("%Y-%m-%d %H:00") if isinstance(b, datetime) else b.isoformat()


def _money_where(client: Client, shop: str, metric: str, where: dict[str, list[str]]) -> None:
    """Money never mixes currencies: default to the shop's currency."""
    spec = REGISTRY.get(metric)
    parts = [spec.agg.numerator, spec.agg.denominator] if isinstance(spec.agg, Ratio) else []
    money = spec.unit is Unit.MONEY or any(REGISTRY.get(p).unit is Unit.MONEY for p in parts)
    if money and "currency" not in where and "currency" in REGISTRY.all_dimensions(spec):
        currency = client.shops().get(shop, {}).get("currency")
        if currency:
            where["currency"] = [currency]


# -- the conditions ------------------------------------------------------------------------


def _threshold_buckets(
    client: Client, rule: AlertRule, shop: str, cond: Threshold, as_of: datetime
) -> list[Observation]:
    metric = rule.metric_id
    assert metric is not None
    tz = shop_zone(client, shop)
    buckets = complete_buckets(as_of, tz, rule.grain, rule.buckets)
    time_dim = "hour" if rule.grain == "hour" else "date"
    where = rule.where_map()
    _money_where(client, shop, metric, where)
    first = buckets[0]
    last = buckets[-1]
    res = client.query(
        metric,
        by=[time_dim, *rule.by],
        date_from=first.date() if isinstance(first, datetime) else first,
        date_to=last.date() if isinstance(last, datetime) else last,
        shop=shop,
        where=where,
        params=dict(rule.params),
    )
    series: dict[tuple[Any, ...], tuple[dict[str, Any], dict[Any, float | None]]] = {}
    if not rule.by:
        series[()] = ({}, {})
    for row in res.rows:
        dims = _dims(row, rule.by)
        entry = series.setdefault(_key(dims), (dims, {}))
        entry[1][row[time_dim]] = _float(row[metric])
    out = []
    span = f"{len(buckets)} complete {rule.grain}(s) to {_bucket_text(last)} (local)"
    for dims, values in series.values():
        seq = [values.get(b) for b in buckets]
        holds = all(cond.holds(v) for v in seq)
        shown = ", ".join(_fmt(v) for v in seq)
        detail = f"{metric} {cond.text()}: {shown} over {span}"
        if not holds:
            detail = f"{metric} = {_fmt(seq[-1])} at {_bucket_text(last)} (local)"
        out.append(Observation(rule, shop, metric, dims, holds, seq[-1], cond.value, detail))
    return out


def _snapshot(
    client: Client, rule: AlertRule, shop: str, cond: Threshold, as_of: datetime
) -> list[Observation]:
    metric = rule.metric_id
    assert metric is not None
    res = client.query(
        metric,
        by=list(rule.by) or None,
        shop=shop,
        where=rule.where_map(),
        params={**rule.params, "as_of": as_of.isoformat()},
    )
    rows = list(res.rows) or ([{metric: None}] if not rule.by else [])
    out = []
    for row in rows:
        value = _float(row[metric])
        holds = cond.holds(value)
        detail = f"{metric} = {_fmt(value)} as of {as_of.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
        if holds:
            detail += f" ({cond.text()})"
        dims = _dims(row, rule.by)
        out.append(Observation(rule, shop, metric, dims, holds, value, cond.value, detail))
    return out


def _change(
    client: Client, rule: AlertRule, shop: str, cond: ChangeVsYesterday, as_of: datetime
) -> list[Observation]:
    metric = rule.metric_id
    assert metric is not None
    spec = REGISTRY.get(metric)
    parts = [spec.agg.numerator, spec.agg.denominator] if isinstance(spec.agg, Ratio) else [metric]
    tz = shop_zone(client, shop)
    ends = complete_buckets(as_of, tz, "hour", rule.buckets)
    hours = [h for h in ends if isinstance(h, datetime)]
    where = rule.where_map()
    _money_where(client, shop, metric, where)
    res = client.query(
        parts,
        by=["hour", *rule.by],
        date_from=hours[0].date() - timedelta(days=1),
        date_to=hours[-1].date(),
        shop=shop,
        where=where,
        params=dict(rule.params),
    )
    series: dict[tuple[Any, ...], tuple[dict[str, Any], list[dict[str, Any]]]] = {}
    if not rule.by:
        series[()] = ({}, [])
    for row in res.rows:
        dims = _dims(row, rule.by)
        series.setdefault(_key(dims), (dims, []))[1].append(row)

    def cumulative(rows: list[dict[str, Any]], day: date, through: int) -> float | None:
        sums = [0.0 for _ in parts]
        for row in rows:
            h: datetime = row["hour"]
            if h.date() == day and h.hour <= through:
                for i, p in enumerate(parts):
                    sums[i] += float(row[p] or 0)
        if len(parts) == 1:
            return sums[0]
        return sums[0] / sums[1] if sums[1] else None

    out = []
    for dims, rows in series.values():
        changes: list[float | None] = []
        today_v = yesterday_v = None
        for h in hours:
            today_v = cumulative(rows, h.date(), h.hour)
            yesterday_v = cumulative(rows, h.date() - timedelta(days=1), h.hour)
            if today_v is None or not yesterday_v:
                changes.append(None)
            else:
                changes.append((today_v - yesterday_v) / abs(yesterday_v) * 100.0)
        holds = all(cond.holds(c) for c in changes)
        last = hours[-1]
        pct = "no value" if changes[-1] is None else f"{changes[-1]:+.1f}%"
        detail = (
            f"{metric} today through {last:%H}:59 = {_fmt(today_v)} "
            f"vs yesterday {_fmt(yesterday_v)} ({pct}; {cond.text()})"
        )
        out.append(Observation(rule, shop, metric, dims, holds, changes[-1], cond.pct, detail))
    return out


def _anomalies(
    client: Client, rule: AlertRule, shop: str, cond: Anomaly, as_of: datetime
) -> list[Observation]:
    """The anomaly runner fetches its own baseline history before ``date_from``; it is
    asked only for the days holding the judged buckets."""
    from socialscope.insights import find_anomalies

    tz = shop_zone(client, shop)
    buckets = complete_buckets(as_of, tz, rule.grain, rule.buckets)
    first, last = buckets[0], buckets[-1]
    out = []
    for metric in rule.metrics:
        where = rule.where_map()
        _money_where(client, shop, metric, where)
        found = find_anomalies(
            client,
            metric,
            shop=shop,
            date_from=first.date() if isinstance(first, datetime) else first,
            date_to=last.date() if isinstance(last, datetime) else last,
            by=list(rule.by) or None,
            grain=rule.grain,
            sensitivity=cond.sensitivity if cond.sensitivity is not None else 3.0,
            where=where or None,
            explain=False,
            params=dict(rule.params) or None,
        )
        flagged: dict[tuple[Any, ...], tuple[dict[str, Any], dict[Any, Any]]] = {}
        for point in found:
            when = point.hour if rule.grain == "hour" else point.date
            dims = {k: (None if v is None else str(v)) for k, v in point.dims.items()}
            flagged.setdefault(_key(dims), (dims, {}))[1][when] = point
        for dims, points in flagged.values():
            hits = [points.get(b) for b in buckets]
            latest = hits[-1]
            if latest is None or not all(hits):
                continue
            edge = latest.high if latest.direction == "up" else latest.low
            pct = latest.deviation_pct
            size = "" if pct is None else f", {pct * 100:+.1f}%"
            detail = (
                f"{metric} anomaly ({latest.direction}) at {_bucket_text(last)} (local): "
                f"{_fmt(latest.value)} vs expected {_fmt(latest.expected)} "
                f"[{_fmt(latest.low)}, {_fmt(latest.high)}]{size}"
            )
            out.append(
                Observation(rule, shop, metric, dims, True, latest.value, _float(edge), detail)
            )
    return out


def evaluate_rule(client: Client, rule: AlertRule, shop: str, as_of: datetime) -> list[Observation]:
    cond = rule.parsed
    if isinstance(cond, Threshold):
        if rule.is_snapshot:
            return _snapshot(client, rule, shop, cond, as_of)
        return _threshold_buckets(client, rule, shop, cond, as_of)
    if isinstance(cond, ChangeVsYesterday):
        return _change(client, rule, shop, cond, as_of)
    return _anomalies(client, rule, shop, cond, as_of)


def evaluate(
    client: Client,
    rules: Iterable[AlertRule],
    as_of: datetime,
    configured_shops: Sequence[str] = (),
) -> Evaluation:
    """Every rule at every shop it names, at ``as_of`` (an aware datetime)."""
    if as_of.tzinfo is None:
        raise ValueError("as_of must be an aware datetime")
    result = Evaluation()
    for rule in rules:
        for shop in rule_shops(rule, configured_shops, client):
            result.planned.add((shop, rule.id))
            try:
                result.observations += evaluate_rule(client, rule, shop, as_of)
                result.evaluated.append((shop, rule))
            except Exception as exc:  # one broken rule must not stop the others
                result.errors.append((shop, rule.id, str(exc)))
    return result
