"""The products runner: per product (or category), the funnel by traffic source and the
main-channel verdict, read from the registered section 9 metrics.

Three metric queries, all through `Client.query` (the same compiled statements as
`socialscope query`): the shop's totals (KPI cards), one row per key, and one row per
(key, traffic_source). Distinct counts are therefore exact at every level — a product's
click users are not the sum of its sources' (a visitor clicking from two sources is one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

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

ROW_METRICS: tuple[str, ...] = (
    *(m for _, m in STEPS),
    "product_clicks",
    "product_ctr",
    "product_gmv",
    "product_aov",
    "click_to_purchase_rate",
    "uv_value",
    "new_click_users",
    "returning_click_users",
)
LOST = "lost_users"  # by product and source only (METRICS.md: no category)

KPI_METRICS: tuple[str, ...] = (
    "exposure_users",
    "product_click_users",
    "product_clicks",
    "product_clicks_per_user",
    "product_ctr",
    "new_click_users",
    "returning_click_users",
    "new_click_user_share",
    "returning_click_user_share",
    "product_gmv",
    "product_buyers",
    "product_aov",
    "click_to_purchase_rate",
    "uv_value",
    "first_purchase_buyers",
    "repeat_buyers",
    "first_purchase_buyer_share",
    "repeat_buyer_share",
    "lost_users",
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
    values: Mapping[str, Any]  # ROW_METRICS (+ lost_users), with __previous etc. on compare
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
    totals: Mapping[str, Any]  # KPI_METRICS (+ __previous, __change, __change_pct)
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
    where = _where(request)
    compare = request.compare.value if request.compare else None
    lost = (LOST,) if request.by == "product" and not request.categories else ()
    common: dict[str, Any] = {
        "date_from": request.date_from,
        "date_to": request.date_to,
        "shop": request.shop,
        "where": where or None,
    }
    kpi_metrics = [m for m in KPI_METRICS if m != LOST or not request.categories]
    totals_q = client.query(kpi_metrics, compare=compare, **common)
    per_key = client.query([*ROW_METRICS, *lost], by=[key], compare=compare, **common)
    per_source = client.query([*ROW_METRICS, *lost], by=[key, "traffic_source"], **common)

    keyed = [{**r, "key": r[key]} for r in per_key.rows]
    keyed.sort(key=_sort_key(request))
    total_rows = len(keyed)
    if request.limit is not None:
        keyed = keyed[: request.limit]
    by_key: dict[Any, list[dict[str, Any]]] = {}
    for r in per_source.rows:
        by_key.setdefault(r[key], []).append(dict(r))
    details = _details(client, _shop_of(client, request), [r["key"] for r in keyed], request)

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
    totals = dict(totals_q.rows[0]) if totals_q.rows else {}
    return ProductsResult(
        request=request,
        shop=_shop_of(client, request),
        date_from=totals_q.date_from,
        date_to=totals_q.date_to,
        previous_from=totals_q.previous_from,
        previous_to=totals_q.previous_to,
        currency=totals.pop("currency", None),
        totals=totals,
        rows=tuple(rows),
        total_rows=total_rows,
    )


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
