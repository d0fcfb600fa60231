"""The Social Data Overview (SHOPLINE's three tabs), built only from registered metrics.

User interaction: interacting users and conversations, all channels and by channel.
Sales performance: sales amount, net paid amount and orders for message center, live and
post sales. Staff performance: one row per staff. Every number is compared with the
previous period of equal length.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from socialscope.client import Client
from socialscope.metrics.execute import QueryResult
from socialscope.metrics.library.staff import STAFF_PERFORMANCE
from socialscope.staff_view import staff_rows

INTERACTION_METRICS = ("interacting_users", "conversations")
SALES_METRICS = ("sales_amount", "net_paid_amount", "order_count")
SALES_SOURCES = ("message_center", "live", "post")
STAFF_ORDER_METRICS = ("order_count", "sales_amount", "net_paid_amount")


@dataclass
class Overview:
    shop: str
    date_from: date
    date_to: date
    previous_from: date
    previous_to: date
    currency: str | None
    interaction_total: dict[str, Any]
    interaction_by_channel: list[dict[str, Any]]
    interaction_by_date: list[dict[str, Any]]
    sales_total: dict[str, Any]
    sales_by_source: list[dict[str, Any]]
    sales_by_date: list[dict[str, Any]]
    staff: list[dict[str, Any]]
    staff_by_source: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def default_period(client: Client, shop: str, days: int = 30) -> tuple[date, date]:
    """The last `days` local days up to the shop's latest event (or today when empty)."""
    res = client.query(["conversations", "order_count"], by=["date"], shop=shop)
    dates = [r["date"] for r in res.rows if r["conversations"] or r["order_count"]]
    end = max(dates) if dates else date.today()
    return end - timedelta(days=days - 1), end


def _one(result: QueryResult) -> dict[str, Any]:
    return result.rows[0] if result.rows else {}


def build_overview(
    client: Client,
    shop: str,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Overview:
    if date_from is None or date_to is None:
        date_from, date_to = default_period(client, shop)
    common: dict[str, Any] = {
        "shop": shop,
        "date_from": date_from,
        "date_to": date_to,
        "compare": "previous",
    }
    inter_total = client.query(INTERACTION_METRICS, **common)
    inter_channel = client.query(INTERACTION_METRICS, by=["channel"], **common)
    inter_date = client.query(INTERACTION_METRICS, by=["date"], **common)
    shop_currency = client.shops()[shop].get("currency")
    money_where = {"currency": [shop_currency]} if shop_currency else None
    sales_where = {"source": list(SALES_SOURCES), **(money_where or {})}
    sales_total = client.query(SALES_METRICS, where=sales_where, **common)
    sales_source = client.query(SALES_METRICS, by=["source"], where=sales_where, **common)
    sales_date = client.query(SALES_METRICS, by=["date"], where=sales_where, **common)
    staff_rows = _staff_table(client, shop, date_from, date_to, money_where)
    staff_split = client.query(
        STAFF_ORDER_METRICS,
        by=["staff_id", "source"],
        where=sales_where,
        shop=shop,
        date_from=date_from,
        date_to=date_to,
    )
    return Overview(
        shop=shop,
        date_from=date_from,
        date_to=date_to,
        previous_from=inter_total.previous_from or date_from,
        previous_to=inter_total.previous_to or date_to,
        currency=shop_currency,
        interaction_total=_one(inter_total),
        interaction_by_channel=inter_channel.rows,
        interaction_by_date=inter_date.rows,
        sales_total=_one(sales_total),
        sales_by_source=_complete_sources(sales_source.rows, shop_currency),
        sales_by_date=sales_date.rows,
        staff=staff_rows,
        staff_by_source=[r for r in staff_split.rows if r["staff_id"] is not None],
    )


def _complete_sources(rows: list[dict[str, Any]], currency: str | None) -> list[dict[str, Any]]:
    """Message center, live and post always appear, in that order, even when empty."""
    by_source = {r["source"]: r for r in rows}
    out = []
    for source in SALES_SOURCES:
        if source in by_source:
            out.append(by_source[source])
            continue
        empty: dict[str, Any] = {"source": source, "currency": currency}
        for metric in SALES_METRICS:
            zero: Any = 0 if metric == "order_count" else Decimal(0)
            empty |= {metric: zero, f"{metric}__previous": zero, f"{metric}__change": zero}
            empty[f"{metric}__change_pct"] = None
        out.append(empty)
    return out


def _staff_table(
    client: Client,
    shop: str,
    date_from: date,
    date_to: date,
    money_where: dict[str, list[str]] | None,
) -> list[dict[str, Any]]:
    """One row per staff: service metrics by the staff, orders by the attribution rule."""
    service = [m for m in STAFF_PERFORMANCE if m not in STAFF_ORDER_METRICS]
    currency = money_where["currency"][0] if money_where else None
    return staff_rows(
        client, shop, date_from, date_to, service, currency=currency, split_sources=False
    )
