"""The products runner: per product (or category), the funnel by traffic source and the
main-channel verdict, read from the registered section 9 metrics.

Metric queries, all through `Client.query` (the same compiled statements as
`socialscope query`), at three levels: the shop's totals (KPI cards), one row per key, and
one row per (key, traffic_source); at each level one query of touchpoint metrics and one
of order-line metrics (which alone can take a currency filter), merged on the dimensions.
Distinct counts are therefore exact at every level — a product's click users are not the
sum of its sources' (a visitor clicking from two sources is one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from socialscope.metrics.frames import MONEY_QUANTUM, empty_value
from socialscope.metrics.registry import REGISTRY
from socialscope.metrics.spec import Unit
from socialscope.products.request import ProductsRequest
from socialscope.products.verdict import Verdict, main_channel

if TYPE_CHECKING:
    from socialscope.client import Client

STEPS: tuple[tuple[str, str], ...] = (
    ("exposure", "exposure_users"),
    ("click", "product_click_users"),
    ("add_to_cart", "product_cart_users"),
    ("order", "product_order_users"),
    ("paid", "product_buyers"),
)
"""The funnel: (step, metric). Steps 1-3 count visitors, 4-5 customers."""

TRAFFIC_ROW: tuple[str, ...] = (
    "exposure_users",
    "product_click_users",
    "product_cart_users",
    "product_clicks",
    "product_ctr",
    "new_click_users",
    "returning_click_users",
)
ORDER_ROW: tuple[str, ...] = (
    "product_order_users",
    "product_buyers",
    "product_gmv",
    "product_aov",
)
LOST = "lost_users"  # by product and source only (METRICS.md: no category)
CROSS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "click_to_purchase_rate": ("product_buyers", "product_click_users"),
        "uv_value": ("product_gmv", "product_click_users"),
    }
)
"""The registered ratios whose parts live on different facts: with a currency filter (which
touchpoints cannot take) the runner divides the parts itself, as the registry's Ratio does
(summed parts, null over 0, money to 4 decimals)."""

KPI_TRAFFIC: tuple[str, ...] = (
    "exposure_users",
    "product_click_users",
    "product_clicks",
    "product_clicks_per_user",
    "product_ctr",
    "new_click_users",
    "returning_click_users",
    "new_click_user_share",
    "returning_click_user_share",
    "product_cart_users",
)
KPI_ORDERS: tuple[str, ...] = (
    "product_gmv",
    "product_buyers",
    "product_aov",
    "first_purchase_buyers",
    "repeat_buyers",
    "first_purchase_buyer_share",
    "repeat_buyer_share",
    "product_order_users",
)
KPI_METRICS: tuple[str, ...] = (
    *KPI_TRAFFIC[:-1],
    *KPI_ORDERS[:3],
    *CROSS,
    *KPI_ORDERS[3:-1],
    LOST,
)
"""The section 9 metrics shown as KPI cards, in METRICS.md order."""


@dataclass(frozen=True)
class FunnelStep:
    """One step's count and rates. The steps are user-based counts of the period, not a
    matched sequence: a click without a recorded impression, or a "buy now" order without
    add_to_cart, still counts, so a rate can exceed 1 (see docs/products.md)."""

    step: str
    count: int
    rate: float | None  # count / the previous step's count; None for step 1 or over 0
    from_first: float | None  # count / exposure count; None over 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "count": self.count,
            "rate": self.rate,
            "from_first": self.from_first,
        }


@dataclass(frozen=True)
class SourceRow:
    traffic_source: str | None
    funnel: tuple[FunnelStep, ...]
    values: Mapping[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "traffic_source": self.traffic_source,
            "funnel": [s.to_dict() for s in self.funnel],
            "values": _jsonable(self.values),
        }


@dataclass(frozen=True)
class ProductRow:
    key: str | None  # product_id or category (None: lines of an unknown category)
    title: str | None
    category: str | None
    funnel: tuple[FunnelStep, ...]
    values: Mapping[str, Any]  # TRAFFIC_ROW, ORDER_ROW, CROSS (+ lost_users, __previous...)
    sources: tuple[SourceRow, ...]
    verdict: Verdict

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "category": self.category,
            "funnel": [s.to_dict() for s in self.funnel],
            "values": _jsonable(self.values),
            "sources": [s.to_dict() for s in self.sources],
            "verdict": self.verdict.to_dict(),
        }


@dataclass(frozen=True)
class ProductsResult:
    request: ProductsRequest
    shop: str | None
    date_from: date | None
    date_to: date | None
    previous_from: date | None
    previous_to: date | None
    currency: str | None
    totals: Mapping[str, Any]  # KPI_METRICS and the STEPS metrics (+ __previous, ...)
    rows: tuple[ProductRow, ...]
    total_rows: int  # keys before the limit
    warnings: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "request": self.request.to_dict(),
            "shop": self.shop,
            "date_from": _iso(self.date_from),
            "date_to": _iso(self.date_to),
            "previous_from": _iso(self.previous_from),
            "previous_to": _iso(self.previous_to),
            "currency": self.currency,
            "totals": _jsonable(self.totals),
            "rows": [r.to_dict() for r in self.rows],
            "total_rows": self.total_rows,
        }

    def table(self) -> list[dict[str, Any]]:
        """Flat rows for tables and CSV: per key one row for all sources ('*'), then one
        per source, with the funnel counts, its rates, money and the verdict."""
        out = []
        for row in self.rows:
            parts = [(None, row.funnel, row.values)] + [
                (s.traffic_source or "(none)", s.funnel, s.values) for s in row.sources
            ]
            for source, funnel, values in parts:
                flat: dict[str, Any] = {self.request.key: row.key}
                if self.request.by == "product":
                    flat["title"] = row.title
                    flat["category"] = row.category
                flat["traffic_source"] = source or "*"
                for step in funnel:
                    flat[step.step] = step.count
                for step in funnel[1:]:
                    flat[f"{step.step}_rate"] = step.rate
                for m in ("product_gmv", "click_to_purchase_rate", "uv_value"):
                    flat[m] = values.get(m)
                if source is None:
                    flat["gmv_channel"] = row.verdict.gmv_source
                    flat["conversion_channel"] = row.verdict.conversion_source
                out.append(flat)
        return out


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    """Money as strings: JSON numbers would round-trip through binary floats."""
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in values.items()}


def _funnel(values: Mapping[str, Any]) -> tuple[FunnelStep, ...]:
    steps = []
    before: int | None = None
    first = int(values.get(STEPS[0][1]) or 0)
    for name, metric in STEPS:
        count = int(values.get(metric) or 0)
        rate = None if not before else count / before
        steps.append(FunnelStep(name, count, rate, count / first if first else None))
        before = count
    return tuple(steps)


def _where(request: ProductsRequest) -> dict[str, tuple[str, ...]]:
    where: dict[str, tuple[str, ...]] = {}
    if request.sources:
        where["traffic_source"] = request.sources
    if request.categories:
        where["category"] = request.categories
    return where


def _sort_key(request: ProductsRequest) -> Any:
    def key(row: Mapping[str, Any]) -> tuple[Any, ...]:
        value = row.get(request.sort)
        number = float(value) if value is not None else 0.0
        return (value is None, number if request.ascending else -number, str(row["key"]))

    return key


def run_products(client: Client, request: ProductsRequest) -> ProductsResult:
    """Totals, the sorted top-N keys, each with its funnel by source and verdict."""
    key = request.key
    levels = {
        "totals": (),
        "keys": (key,),
        "sources": (key, "traffic_source"),
    }
    lost = request.by == "product" and not request.categories
    got: dict[str, Level] = {}
    for name, dims in levels.items():
        compare = request.compare if name != "sources" else None
        traffic = TRAFFIC_ROW if dims else KPI_TRAFFIC
        orders = ORDER_ROW if dims else KPI_ORDERS
        if lost and "category" not in dims:
            traffic = (*traffic, LOST)
        got[name] = _level(client, request, dims, traffic, orders, compare)

    totals_level = got["totals"]
    keyed = [{**r, "key": r[key]} for r in got["keys"].rows]
    keyed.sort(key=_sort_key(request))
    total_rows = len(keyed)
    if request.limit is not None:
        keyed = keyed[: request.limit]
    by_key: dict[Any, list[dict[str, Any]]] = {}
    for r in got["sources"].rows:
        by_key.setdefault(r[key], []).append(dict(r))
    shop = _shop_of(client, request)
    details = _details(client, shop, [r["key"] for r in keyed], request)

    rows = []
    for r in keyed:
        srcs = sorted(
            by_key.get(r["key"], []),
            key=lambda s: (s["traffic_source"] is None, s["traffic_source"] or ""),
        )
        info = details.get(r["key"], {})
        rows.append(
            ProductRow(
                key=r["key"],
                title=info.get("title"),
                category=info.get("category") if request.by == "product" else r["key"],
                funnel=_funnel(r),
                values=_values(r, key),
                sources=tuple(
                    SourceRow(s["traffic_source"], _funnel(s), _values(s, key)) for s in srcs
                ),
                verdict=main_channel(srcs, request.min_click_users),
            )
        )
    totals = dict(totals_level.rows[0]) if totals_level.rows else {}
    totals.pop("currency", None)
    return ProductsResult(
        request=request,
        shop=shop,
        date_from=totals_level.date_from,
        date_to=totals_level.date_to,
        previous_from=totals_level.previous_from,
        previous_to=totals_level.previous_to,
        currency=request.currency or totals_level.currency,
        totals=totals,
        rows=tuple(rows),
        total_rows=total_rows,
    )


@dataclass(frozen=True)
class Level:
    """The merged traffic + order rows of one grouping, with the period they cover."""

    rows: list[dict[str, Any]]
    date_from: date | None
    date_to: date | None
    previous_from: date | None
    previous_to: date | None
    currency: str | None


def _level(
    client: Client,
    request: ProductsRequest,
    dims: tuple[str, ...],
    traffic: tuple[str, ...],
    orders: tuple[str, ...],
    compare: Any,
) -> Level:
    """Two metric queries — touchpoint metrics, then order-line metrics (with the currency
    filter, which touchpoint metrics cannot take) — merged on the dimension values, and
    the cross-fact ratios (CROSS) derived from the merged parts."""
    where = _where(request)
    common: dict[str, Any] = {
        "by": list(dims) or None,
        "date_from": request.date_from,
        "date_to": request.date_to,
        "shop": request.shop,
        "compare": compare.value if compare else None,
        "dense": False,
    }
    t = client.query(list(traffic), where=where or None, **common)
    money_where = dict(where)
    if request.currency:
        money_where["currency"] = (request.currency,)
    o = client.query(list(orders), where=money_where or None, **common)
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    currency = None
    for part in (t, o):
        for row in part.rows:
            k = tuple(row[d] for d in dims)
            into = merged.setdefault(k, {d: row[d] for d in dims})
            into.update({c: v for c, v in row.items() if c not in dims})
            currency = currency or row.get("currency")
    for into in merged.values():
        into.pop("currency", None)
        for m in (*traffic, *orders):
            if m not in into:
                into.update(_empty(m, compare is not None))
        for ratio, (num, den) in CROSS.items():
            into.update(_cross(ratio, into, num, den, compare is not None))
    if not dims and not merged:
        merged[()] = {}
        for m in (*traffic, *orders):
            merged[()].update(_empty(m, compare is not None))
        for ratio, (num, den) in CROSS.items():
            merged[()].update(_cross(ratio, merged[()], num, den, compare is not None))
    return Level(
        list(merged.values()),
        t.date_from,
        t.date_to,
        t.previous_from,
        t.previous_to,
        currency,
    )


def _empty(metric: str, compare: bool) -> dict[str, Any]:
    value = empty_value(REGISTRY.get(metric))
    out = {metric: value}
    if compare:
        zero = None if value is None else value - value
        out.update(
            {f"{metric}__previous": value, f"{metric}__change": zero, f"{metric}__change_pct": None}
        )
    return out


def _divide(num: Any, den: Any, money: bool) -> Any:
    if num is None or not den:
        return None
    if money:
        return (Decimal(num) / Decimal(den)).quantize(MONEY_QUANTUM)
    return float(num) / float(den)


def _cross(ratio: str, row: Mapping[str, Any], num: str, den: str, compare: bool) -> dict[str, Any]:
    money = REGISTRY.get(ratio).unit is Unit.MONEY
    value = _divide(row.get(num), row.get(den), money)
    out: dict[str, Any] = {ratio: value}
    if compare:
        before = _divide(row.get(f"{num}__previous"), row.get(f"{den}__previous"), money)
        change = None if value is None or before is None else value - before
        out[f"{ratio}__previous"] = before
        out[f"{ratio}__change"] = change
        out[f"{ratio}__change_pct"] = (
            None if change is None or not before else float(change) / float(before)
        )
    return out


def _values(row: Mapping[str, Any], key: str) -> dict[str, Any]:
    drop = {key, "key", "traffic_source", "currency"}
    return {k: v for k, v in row.items() if k not in drop}


def _shop_of(client: Client, request: ProductsRequest) -> str | None:
    if request.shop is not None:
        return request.shop
    shops = sorted(client.shops())
    return shops[0] if len(shops) == 1 else None


def _details(
    client: Client, shop: str | None, keys: list[Any], request: ProductsRequest
) -> dict[Any, dict[str, Any]]:
    """Title and category of the listed products (nothing for categories)."""
    ids = [k for k in keys if k is not None]
    if request.by != "product" or shop is None or not ids:
        return {}
    products = client.engine.table("products")
    rows = (
        products.filter(products.shop_id == shop, products.product_id.isin(ids))
        .select("product_id", "title", "category")
        .to_pyarrow()
        .to_pylist()
    )
    return {r["product_id"]: r for r in rows}
