"""Per-agent tables: what a supervisor sees for each staff member.

Built only from registered metrics queried by `staff_id`: service metrics count for the
staff who served (or the conversation's staff, per each metric's definition), order
metrics for the staff the order is attributed to (METRICS.md section 4), and those
order metrics again split by source (message center, live, post).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from socialscope.client import Client

ORDER_METRICS: tuple[str, ...] = ("order_count", "sales_amount", "net_paid_amount")
SPLIT_SOURCES: tuple[str, ...] = ("message_center", "live", "post")
SUPERVISOR_SERVICE_METRICS: tuple[str, ...] = (
    "served_customers",
    "conversations_handled",
    "human_conversations",
    "three_minute_reply_rate",
    "first_response_time_avg",
    "avg_response_time",
    "csat_rate",
)
"""The supervisor's view (issue 3, staff view): service speed and quality per agent."""


def staff_names(client: Client, shop: str) -> dict[str, str]:
    table = client.engine.table("staff")
    rows = table.filter(table.shop_id == shop).select("staff_id", "name").to_pyarrow()
    return {r["staff_id"]: r["name"] or r["staff_id"] for r in rows.to_pylist()}


def staff_rows(
    client: Client,
    shop: str,
    date_from: date,
    date_to: date,
    service_metrics: Sequence[str],
    *,
    currency: str | None = None,
    params: Mapping[str, Any] | None = None,
    split_sources: bool = True,
) -> list[dict[str, Any]]:
    """One row per staff member (those with any activity or order in the period).

    Money is in `currency` (default: the shop's); orders in other currencies are left out
    of the amounts rather than added to them.
    """
    period: dict[str, Any] = {"shop": shop, "date_from": date_from, "date_to": date_to}
    currency = currency or client.shops()[shop].get("currency")
    money_where = {"currency": [currency]} if currency else None
    service = client.query(service_metrics, by=["staff_id"], params=params, **period)
    orders = client.query(ORDER_METRICS, by=["staff_id"], where=money_where, **period)
    names = staff_names(client, shop)
    rows: dict[str, dict[str, Any]] = {}
    for r in (*service.rows, *orders.rows):
        staff_id = r["staff_id"]
        if staff_id is None:
            continue
        row = rows.setdefault(
            staff_id, {"staff_id": staff_id, "name": names.get(staff_id, staff_id)}
        )
        row.update({k: v for k, v in r.items() if k != "staff_id"})
    if split_sources:
        where = {"source": list(SPLIT_SOURCES), **(money_where or {})}
        split = client.query(ORDER_METRICS, by=["staff_id", "source"], where=where, **period)
        for r in split.rows:
            if r["staff_id"] in rows:
                for metric in ORDER_METRICS:
                    rows[r["staff_id"]][f"{metric}__{r['source']}"] = r[metric]
    out = []
    for row in rows.values():
        for metric in service_metrics:
            row.setdefault(metric, 0 if not metric.endswith(("_rate", "_avg", "_time")) else None)
        for metric in ORDER_METRICS:
            zero: Any = 0 if metric == "order_count" else Decimal(0)
            row.setdefault(metric, zero)
            if split_sources:
                for source in SPLIT_SOURCES:
                    row.setdefault(f"{metric}__{source}", zero)
        row.setdefault("currency", currency)
        out.append(row)
    out.sort(key=lambda r: (-(r.get("sales_amount") or 0), r["staff_id"]))
    return out


def staff_columns(service_metrics: Sequence[str], split_sources: bool = True) -> list[str]:
    cols = ["staff_id", "name", *service_metrics, *ORDER_METRICS, "currency"]
    if split_sources:
        cols += [f"{m}__{s}" for s in SPLIT_SOURCES for m in ORDER_METRICS]
    return cols
