"""The overview dashboard, as socialscope queries, and the normal form results are compared in.

The overview is three tables:

* ``reception`` — interacting_users, conversations by channel;
* ``sales`` — order_count, sales_amount, net_paid_amount by source;
* ``staff`` — served_customers, conversations_handled, human_conversations, order_count,
  sales_amount, net_paid_amount by staff_id.

For all shops each table is also split by shop_id and local date; for one shop, by date.
Every implementation (socialscope, hand-written SQL, pandas) returns an :data:`Overview`:
table name -> {(shop_id, ISO date, dimension value): metric values}, with missing values
as 0 and rows whose metrics are all 0 dropped (socialscope fills empty buckets; SQL and
pandas do not produce them), so that equal numbers compare equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

Key = tuple[str, str, str | None]
Values = tuple[Any, ...]
Overview = dict[str, dict[Key, Values]]


@dataclass(frozen=True)
class OverviewTable:
    name: str
    metrics: tuple[str, ...]
    dimension: str


OVERVIEW: tuple[OverviewTable, ...] = (
    OverviewTable("reception", ("interacting_users", "conversations"), "channel"),
    OverviewTable("sales", ("order_count", "sales_amount", "net_paid_amount"), "source"),
    OverviewTable(
        "staff",
        (
            "served_customers",
            "conversations_handled",
            "human_conversations",
            "order_count",
            "sales_amount",
            "net_paid_amount",
        ),
        "staff_id",
    ),
)

MONEY_METRICS = frozenset({"sales_amount", "net_paid_amount"})


def _iso(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "date"):  # pandas Timestamp
        return str(value.date().isoformat())
    return str(value)


def _number(metric: str, value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):  # None or NaN
        return Decimal(0) if metric in MONEY_METRICS else 0
    if metric in MONEY_METRICS:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    return int(value)


def normalise(
    table: OverviewTable, rows: Iterable[Sequence[Any]], shop: str | None = None
) -> dict[Key, Values]:
    """Rows (shop_id, date, dim, *metrics) — or (date, dim, *metrics) with `shop` — keyed."""
    out: dict[Key, Values] = {}
    for row in rows:
        if shop is None:
            shop_id, day, dim, *vals = row
        else:
            day, dim, *vals = row
            shop_id = shop
        values = tuple(_number(m, v) for m, v in zip(table.metrics, vals, strict=True))
        if not any(values):
            continue
        key: Key = (str(shop_id), _iso(day), None if dim in (None, "") else str(dim))
        if key in out:
            raise AssertionError(f"{table.name}: two rows for {key}")
        out[key] = values
    return out


def diff(name_a: str, a: Overview, name_b: str, b: Overview, limit: int = 5) -> list[str]:
    """Human-readable differences between two overviews (empty when equal)."""
    problems: list[str] = []
    for table in OVERVIEW:
        ta, tb = a.get(table.name, {}), b.get(table.name, {})
        keys = sorted(set(ta) | set(tb), key=lambda k: (k[0], k[1], k[2] or ""))
        bad = [k for k in keys if ta.get(k) != tb.get(k)]
        for k in bad[:limit]:
            problems.append(
                f"{table.name} {k}: {name_a}={ta.get(k)} {name_b}={tb.get(k)} "
                f"({', '.join(table.metrics)})"
            )
        if len(bad) > limit:
            problems.append(f"{table.name}: ... {len(bad) - limit} more differing rows")
    return problems


def row_count(ov: Overview) -> int:
    return sum(len(t) for t in ov.values())


def socialscope_overview(
    client: Any, date_from: date, date_to: date, shop: str | None = None, dense: bool = True
) -> dict[str, Any]:
    """The overview through socialscope's Python API (what the timings measure), as Arrow
    tables (`QueryResult.to_arrow()`): columnar like the SQL side, rows built outside."""
    out: dict[str, Any] = {}
    for table in OVERVIEW:
        by = ["date", table.dimension] if shop else ["shop_id", "date", table.dimension]
        result = client.query(
            list(table.metrics),
            by=by,
            date_from=date_from,
            date_to=date_to,
            shop=shop,
            dense=dense,
        )
        out[table.name] = result.to_arrow()
    return out


def normalise_socialscope(raw: Mapping[str, Any], shop: str | None) -> Overview:
    ov: Overview = {}
    for table in OVERVIEW:
        cols = ["date", table.dimension, *table.metrics]
        if shop is None:
            cols.insert(0, "shop_id")
        rows = raw[table.name].to_pylist()
        ov[table.name] = normalise(table, ([r[c] for c in cols] for r in rows), shop)
    return ov
