"""What a digest says: every number read from registered metrics through `Client`.

The report is the Social Data Overview (interaction, sales by source, staff) and the
customer-service summary (reception, speed, conversion and loss, satisfaction), each
against the period of equal length before it, plus the period's anomalies and the alerts
that fired. Nothing here computes a metric: it asks the metric layer and keeps the raw
values beside the formatted ones, so a test can compare the two.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from socialscope.client import Client
from socialscope.insights.anomalies import Explanation, find_anomalies
from socialscope.metrics.registry import REGISTRY
from socialscope.metrics.spec import Better
from socialscope.overview import INTERACTION_METRICS, SALES_METRICS, SALES_SOURCES
from socialscope.reports.period import Period
from socialscope.staff_view import staff_names

SERVICE_METRICS: tuple[str, ...] = (
    "inquiring_customers",
    "served_customers",
    "human_conversations",
    "three_minute_reply_rate",
    "first_response_time_avg",
    "avg_response_time",
    "unreplied_conversations",
    "inquiry_conversion_rate",
    "inquiry_lost_customers",
    "silent_order_share",
    "csat_rate",
    "negative_reviews",
)
"""The customer-service summary (the dashboard's service tabs, one card each)."""
SERVICE_BY_CHANNEL: tuple[str, ...] = (
    "inquiring_customers",
    "three_minute_reply_rate",
    "first_response_time_avg",
    "inquiry_conversion_rate",
)
STAFF_COLUMNS: tuple[str, ...] = (
    "served_customers",
    "three_minute_reply_rate",
    "first_response_time_avg",
    "order_count",
    "sales_amount",
)
STAFF_LIMIT = 10
ANOMALY_METRICS: tuple[str, ...] = (*INTERACTION_METRICS, *SALES_METRICS)
"""The overview metrics scanned for the digest's anomalies."""
ANOMALY_LIMIT = 5
ALERT_LIMIT = 20


@dataclass(frozen=True)
class Figure:
    """One metric over the period: the value, the comparison value and the change."""

    metric: str
    value: Any
    previous: Any
    change_pct: float | None

    @property
    def trend(self) -> str | None:
        """up / down / flat, from the raw values (None when either side is missing)."""
        if self.value is None or self.previous is None:
            return None
        if self.value == self.previous:
            return "flat"
        return "up" if self.value > self.previous else "down"

    @property
    def good(self) -> bool | None:
        """Whether the change is good news for this metric (its `better` direction)."""
        trend = self.trend
        if trend in (None, "flat"):
            return None
        better = REGISTRY.get(self.metric).better
        if better is Better.NEUTRAL:
            return None
        return (trend == "up") == (better is Better.HIGHER)


@dataclass(frozen=True)
class Slice:
    """A row of a breakdown table: its dimension value and one figure per metric."""

    key: str | None
    figures: dict[str, Figure]


@dataclass(frozen=True)
class AlertRow:
    """A line of the alert history (table `_alert_history`, written by the alert engine)."""

    at: datetime
    rule_id: str
    state: str
    metric: str | None
    value: float | None
    threshold: float | None
    message: str | None
    severity: str | None
    dims: dict[str, Any]


@dataclass(frozen=True)
class AnomalyRow:
    """A flagged point of an overview metric, with its most likely explanations."""

    metric: str
    day: date | None
    value: float
    expected: float
    deviation_pct: float | None
    direction: str
    explanations: tuple[Explanation, ...]


@dataclass
class ReportData:
    shop: str
    shop_name: str
    currency: str | None
    timezone: str
    period: Period
    generated_at: datetime
    interaction: list[Figure]
    interaction_by_channel: list[Slice]
    sales: list[Figure]
    sales_by_source: list[Slice]
    daily: list[dict[str, Any]]
    service: list[Figure]
    service_by_channel: list[Slice]
    staff: list[dict[str, Any]]
    anomalies: list[AnomalyRow] = field(default_factory=list)
    alerts: list[AlertRow] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON (Decimals as strings, so no amount is rounded by a float)."""

        def plain(value: Any) -> Any:
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, datetime | date):
                return value.isoformat()
            if isinstance(value, Figure):
                return {
                    "metric": value.metric,
                    "value": plain(value.value),
                    "previous": plain(value.previous),
                    "change_pct": value.change_pct,
                }
            if isinstance(value, Slice):
                return {"key": value.key, **{m: plain(f) for m, f in value.figures.items()}}
            if isinstance(value, Explanation):
                return value.label
            if isinstance(value, AlertRow | AnomalyRow | Period):
                return {k: plain(getattr(value, k)) for k in value.__dataclass_fields__}
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [plain(v) for v in value]
            return value

        return {k: plain(getattr(self, k)) for k in self.__dataclass_fields__}


def _figures(row: Mapping[str, Any], metrics: Sequence[str]) -> list[Figure]:
    return [
        Figure(m, row.get(m), row.get(f"{m}__previous"), row.get(f"{m}__change_pct"))
        for m in metrics
    ]


def _slices(rows: Sequence[Mapping[str, Any]], dim: str, metrics: Sequence[str]) -> list[Slice]:
    return [Slice(r.get(dim), {f.metric: f for f in _figures(r, metrics)}) for r in rows]


def collect(
    client: Client,
    shop: str,
    period: Period,
    *,
    now: datetime | None = None,
    anomalies: bool = True,
) -> ReportData:
    """Ask the metric layer for everything the digest shows about `shop` in `period`."""
    shops = client.shops()
    if shop not in shops:
        known = ", ".join(sorted(shops)) or "none"
        raise ValueError(f"unknown shop {shop!r}; the store holds: {known}")
    info = shops[shop]
    currency = info.get("currency")
    common: dict[str, Any] = {
        "shop": shop,
        "date_from": period.date_from,
        "date_to": period.date_to,
        "compare": "previous",
    }
    money = {"currency": [currency]} if currency else {}
    sales_where = {"source": list(SALES_SOURCES), **money}

    inter = client.query(INTERACTION_METRICS, **common)
    inter_ch = client.query(INTERACTION_METRICS, by=["channel"], **common)
    sales = client.query(SALES_METRICS, where=sales_where, **common)
    sales_src = client.query(SALES_METRICS, by=["source"], where=sales_where, **common)
    daily_inter = client.query(INTERACTION_METRICS, by=["date"], **common)
    daily_sales = client.query(SALES_METRICS, by=["date"], where=sales_where, **common)
    service = client.query(SERVICE_METRICS, **common)
    service_ch = client.query(SERVICE_BY_CHANNEL, by=["channel"], **common)
    staff = _staff(client, shop, period, money)

    by_source = {r["source"]: r for r in sales_src.rows}
    source_rows = [by_source.get(s, {"source": s}) for s in SALES_SOURCES]
    sales_by_day = {r["date"]: r for r in daily_sales.rows}
    daily = [
        {
            "date": r["date"],
            **{m: r.get(m) for m in INTERACTION_METRICS},
            **{m: sales_by_day.get(r["date"], {}).get(m) for m in SALES_METRICS},
        }
        for r in daily_inter.rows
    ]
    data = ReportData(
        shop=shop,
        shop_name=_shop_name(client, shop),
        currency=currency,
        timezone=str(info.get("timezone") or "UTC"),
        period=period,
        generated_at=(now or datetime.now(UTC)).astimezone(UTC),
        interaction=_figures(inter.rows[0] if inter.rows else {}, INTERACTION_METRICS),
        interaction_by_channel=_slices(inter_ch.rows, "channel", INTERACTION_METRICS),
        sales=_figures(sales.rows[0] if sales.rows else {}, SALES_METRICS),
        sales_by_source=_slices(source_rows, "source", SALES_METRICS),
        daily=daily,
        service=_figures(service.rows[0] if service.rows else {}, SERVICE_METRICS),
        service_by_channel=_slices(service_ch.rows, "channel", SERVICE_BY_CHANNEL),
        staff=staff,
    )
    data.alerts = alert_history(client, shop, period, str(info.get("timezone") or "UTC"))
    if anomalies:
        data.anomalies = _anomalies(client, shop, period, currency)
    return data


def _shop_name(client: Client, shop: str) -> str:
    t = client.engine.table("shops")
    rows = t.filter(t.shop_id == shop).select("name").to_pyarrow().to_pylist()
    return str(rows[0]["name"] or shop) if rows else shop


def _staff(
    client: Client, shop: str, period: Period, money: Mapping[str, list[str]]
) -> list[dict[str, Any]]:
    """The staff table: the busiest people first (served customers, then sales)."""
    service = client.query(
        ["served_customers", "three_minute_reply_rate", "first_response_time_avg"],
        by=["staff_id"],
        shop=shop,
        date_from=period.date_from,
        date_to=period.date_to,
    )
    orders = client.query(
        ["order_count", "sales_amount"],
        by=["staff_id"],
        where={"source": list(SALES_SOURCES), **money},
        shop=shop,
        date_from=period.date_from,
        date_to=period.date_to,
    )
    rows: dict[str, dict[str, Any]] = {}
    for r in service.rows:
        if r.get("staff_id") is not None:
            rows.setdefault(r["staff_id"], {"staff_id": r["staff_id"]}).update(r)
    for r in orders.rows:
        if r.get("staff_id") is not None:
            rows.setdefault(r["staff_id"], {"staff_id": r["staff_id"]}).update(r)
    names = staff_names(client, shop)
    out: list[dict[str, Any]] = []
    for staff_id, r in rows.items():
        entry: dict[str, Any] = {"staff_id": staff_id, "name": names.get(staff_id) or staff_id}
        entry |= {c: r.get(c) for c in STAFF_COLUMNS}
        out.append(entry)

    def busiest(r: dict[str, Any]) -> tuple[int, Decimal, str]:
        return (-(r["served_customers"] or 0), -(r["sales_amount"] or Decimal(0)), r["staff_id"])

    out.sort(key=busiest)
    return out[:STAFF_LIMIT]


def alert_history(client: Client, shop: str, period: Period, timezone: str) -> list[AlertRow]:
    """Alerts that fired or resolved during the period's local days, newest first.

    Read from `_alert_history` (the alert engine's record); a store without alerts has no
    such table and the section stays empty."""
    con = client.store.con
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = '_alert_history'"
    ).fetchone()
    if not exists or not exists[0]:
        return []
    rows = con.execute(
        """
        SELECT timezone('UTC', "at"), rule_id, state, metric, value, threshold, message,
               severity, dims
        FROM _alert_history
        WHERE shop_id = ?
          AND timezone(?, "at") >= ?::TIMESTAMP AND timezone(?, "at") < ?::TIMESTAMP
        ORDER BY "at" DESC, rule_id
        LIMIT ?
        """,
        [
            shop,
            timezone,
            datetime.combine(period.date_from, datetime.min.time()),
            timezone,
            datetime.combine(period.date_to + timedelta(days=1), datetime.min.time()),
            ALERT_LIMIT,
        ],
    ).fetchall()
    out = []
    for at, rule_id, state, metric, value, threshold, message, severity, dims in rows:
        out.append(
            AlertRow(
                at=at if at.tzinfo else at.replace(tzinfo=UTC),
                rule_id=rule_id,
                state=state,
                metric=metric,
                value=value,
                threshold=threshold,
                message=message,
                severity=severity,
                dims=json.loads(dims) if dims else {},
            )
        )
    return out


def _anomalies(client: Client, shop: str, period: Period, currency: str | None) -> list[AnomalyRow]:
    """The overview metrics' anomalies inside the period, the largest deviations first.

    Sales metrics are scanned over the overview's sources in the shop currency, like the
    numbers above them in the digest."""
    money = {"currency": [currency]} if currency else {}
    found: list[AnomalyRow] = []
    for metric in ANOMALY_METRICS:
        where = {"source": list(SALES_SOURCES), **money} if metric in SALES_METRICS else None
        for a in find_anomalies(
            client,
            metric,
            shop=shop,
            date_from=period.date_from,
            date_to=period.date_to,
            where=where,
        ):
            found.append(
                AnomalyRow(
                    metric=a.metric,
                    day=a.date,
                    value=a.value,
                    expected=a.expected,
                    deviation_pct=a.deviation_pct,
                    direction=a.direction,
                    explanations=tuple(a.explanations[:3]),
                )
            )
    found.sort(key=lambda a: (-abs(a.deviation_pct or 0.0), a.day or date.min, a.metric))
    return found[:ANOMALY_LIMIT]
