"""Products (METRICS.md section 9): product traffic as Douyin Compass shows it — KPI cards
with comparison, the shop's funnel exposure → click → add to cart → order → paid, and per
product (or category) the funnel by traffic source with the main-channel verdict.

Everything comes from one `run_products` call (`socialscope.products`), the runner behind
`socialscope products`, `Client.products` and GET /api/v1/products. Page options live in
the URL: ``by`` (product | category), ``source``, ``category``, ``sort`` and
``min_click_users``. The channel filter does not apply: traffic sources are this page's
channels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from socialscope.contract.enums import TrafficSource
from socialscope.metrics.query import QueryError
from socialscope.products import (
    BY,
    DEFAULT_MIN_CLICK_USERS,
    DEFAULT_SORT,
    SORTS,
    STEPS,
    ProductRow,
    ProductsError,
    ProductsResult,
    SourceRow,
    Verdict,
)
from socialscope.products.cli_args import build_request
from socialscope.products.runner import run_products
from socialscope.web import i18n
from socialscope.web.blocks import PageContext, table
from socialscope.web.controls import Choice, Field, error_block, notes_block, options_block
from socialscope.web.drill import drill_url
from socialscope.web.pages import Page, register
from socialscope.web.pages.social import funnel_chart

KPIS = (
    "exposure_users",
    "product_click_users",
    "product_ctr",
    "product_clicks_per_user",
    "returning_click_user_share",
    "product_gmv",
    "product_buyers",
    "product_aov",
    "click_to_purchase_rate",
    "uv_value",
    "repeat_buyer_share",
    "lost_users",
)
STEP_METRICS = tuple(m for _, m in STEPS)
RATE_COLUMNS = ("click_rate", "add_to_cart_rate", "order_rate", "paid_rate")
"""Each step's count / the previous step's (RATE_COLUMNS[i] belongs to STEP_METRICS[i + 1])."""
EXTRA_KEYS = ("by", "source", "category", "sort", "min_click_users")
MAX_CATEGORIES = 200
TABLE_LIMIT = 50
SOURCE_KEYS = 10
"""The by-source table covers the first rows of the products table (a product has up to
12 sources; 50 products would be 600 rows)."""


def build(ctx: PageContext) -> dict[str, Any]:
    try:
        result = _run(ctx)
    except (QueryError, ProductsError) as exc:
        return {"blocks": [_options(ctx), error_block(str(exc))]}
    return {
        "blocks": [
            _options(ctx),
            _kpis(ctx, result),
            funnel_chart(
                ctx, "products_funnel", ctx.t("products_funnel_title"), STEP_METRICS, result.totals
            ),
            _keys_table(ctx, result),
            _sources_table(ctx, result),
            notes_block(
                "products_notes",
                ctx.t("products_notes_title"),
                [ctx.t("products_note_rates"), _verdict_note(ctx)],
            ),
        ]
    }


def _opt(ctx: PageContext, key: str, default: str = "") -> str:
    return ctx.filters.extra.get(key, default).strip()


def _min_click_users(ctx: PageContext) -> int:
    raw = _opt(ctx, "min_click_users", str(DEFAULT_MIN_CLICK_USERS))
    try:
        return int(raw)
    except ValueError:
        raise ProductsError(f"min_click_users must be a whole number, not {raw!r}") from None


def _run(ctx: PageContext) -> ProductsResult:
    f = ctx.filters
    request = build_request(
        shop=f.shop,
        date_from=f.date_from,
        date_to=f.date_to,
        by=_opt(ctx, "by", "product") or "product",
        sources=_opt(ctx, "source") or None,
        categories=_opt(ctx, "category") or None,
        currency=ctx.currency,
        compare=f.compare_mode,
        sort=_opt(ctx, "sort", DEFAULT_SORT) or DEFAULT_SORT,
        limit=TABLE_LIMIT,
        min_click_users=_min_click_users(ctx),
    )
    return run_products(ctx.client, request)


def _categories(ctx: PageContext) -> list[str]:
    products = ctx.client.engine.table("products")
    rows = (
        products.filter(products.shop_id == ctx.filters.shop, products.category.notnull())
        .select("category")
        .distinct()
        .order_by("category")
        .limit(MAX_CATEGORIES)
        .to_pyarrow()
        .column("category")
        .to_pylist()
    )
    return [str(c) for c in rows]


def _options(ctx: PageContext) -> dict[str, Any]:
    lang = ctx.lang
    sources = [Choice("", ctx.t("products_all_sources"))] + [
        Choice(s.value, i18n.value_label(lang, "traffic_source", s.value)) for s in TrafficSource
    ]
    cats = [Choice("", ctx.t("products_all_categories"))] + [Choice(c, c) for c in _categories(ctx)]
    fields = [
        Field(
            "by",
            ctx.t("products_by"),
            "select",
            _opt(ctx, "by", "product") or "product",
            [Choice(b, ctx.t(f"products_by_{b}")) for b in BY],
        ),
        Field("source", ctx.t("products_source"), "select", _opt(ctx, "source"), sources),
        Field("category", ctx.t("products_category"), "select", _opt(ctx, "category"), cats),
        Field(
            "sort",
            ctx.t("sort_by"),
            "select",
            _opt(ctx, "sort", DEFAULT_SORT) or DEFAULT_SORT,
            [Choice(m, i18n.metric_label(lang, m)) for m in SORTS],
        ),
        Field(
            "min_click_users",
            ctx.t("products_min_click_users"),
            "number",
            _opt(ctx, "min_click_users", str(DEFAULT_MIN_CLICK_USERS)),
            min=1,
            step=1,
            help=ctx.t("products_min_click_users_help"),
        ),
    ]
    return options_block(ctx, "products_options", ctx.t("products_options_title"), fields)


def _kpis(ctx: PageContext, result: ProductsResult) -> dict[str, Any]:
    """The KPI cards, in the shape of `blocks.kpis`, from the runner's totals (which carry
    the page's source and category filters)."""
    compare = ctx.filters.compare_mode is not None
    items = []
    for m in KPIS:
        if m not in result.totals:
            continue  # lost_users has no category dimension: absent with a category filter
        spec = ctx.spec(m)
        value = result.totals.get(m)
        previous = result.totals.get(f"{m}__previous")
        change = result.totals.get(f"{m}__change")
        pct = result.totals.get(f"{m}__change_pct")
        trend = "flat" if not change else ("up" if change > 0 else "down")
        good = None
        if trend != "flat" and spec.better.value != "neutral":
            good = (trend == "up") == (spec.better.value == "higher")
        items.append(
            {
                "metric": m,
                "label": i18n.metric_label(ctx.lang, m),
                "description": i18n.metric_description(ctx.lang, m),
                "unit": spec.unit.value,
                "better": spec.better.value,
                "value": value,
                "previous": previous,
                "change_pct": pct,
                "display": _fmt(ctx, value, m, result),
                "previous_display": _fmt(ctx, previous, m, result) if compare else None,
                "change_display": i18n.format_change(pct, ctx.lang) if compare else None,
                "trend": trend,
                "good": good,
                "drill": drill_url(m, ctx.filters, {}),
            }
        )
    empty = not any(result.totals.get(m) for m in ("exposure_users", "product_click_users"))
    if empty and not result.totals.get("product_gmv"):
        for item in items:
            item.update(display=i18n.EMPTY, change_display=None, trend="flat", good=None)
    return {"kind": "kpis", "items": items, "empty": empty}


def _fmt(ctx: PageContext, value: Any, metric: str, result: ProductsResult) -> str:
    unit = ctx.spec(metric).unit.value
    return i18n.format_value(value, unit, ctx.lang, result.currency or ctx.currency)


def _verdict_text(ctx: PageContext, verdict: Verdict, conversion: bool) -> str:
    source = verdict.conversion_source if conversion else verdict.gmv_source
    tied = verdict.conversion_tied if conversion else verdict.gmv_tied
    if source is None:
        if conversion and verdict.conversion_reason == "small_sample":
            return ctx.t("verdict_small_sample")
        return i18n.EMPTY
    label = i18n.value_label(ctx.lang, "traffic_source", source)
    if tied:
        others = [i18n.value_label(ctx.lang, "traffic_source", s) for s in tied if s != source]
        return ctx.t("verdict_tied", source=label, others=", ".join(others))
    return label


def _step_values(funnel: Sequence[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for metric, step in zip(STEP_METRICS, funnel, strict=True):
        out[metric] = step.count
    for rate, step in zip(RATE_COLUMNS, funnel[1:], strict=True):
        out[rate] = step.rate
    return out


def _interleaved() -> list[str]:
    out = [STEP_METRICS[0]]
    for step, rate in zip(STEP_METRICS[1:], RATE_COLUMNS, strict=True):
        out += [step, rate]
    return out


def _key_columns(result: ProductsResult) -> list[str]:
    if result.request.by == "product":
        return ["product_id", "title", "category"]
    return ["category"]


def _money_columns(result: ProductsResult) -> list[str]:
    cols = ["product_gmv"]
    if result.request.compare:
        cols.append("product_gmv__previous")
    return [*cols, "click_to_purchase_rate", "uv_value"]


def _keys_table(ctx: PageContext, result: ProductsResult) -> dict[str, Any]:
    """One row per product (or category): its funnel over all sources, money, verdict."""
    rows = [_key_row(ctx, result, r) for r in result.rows]
    columns = [
        *_key_columns(result),
        *_interleaved(),
        *_money_columns(result),
        "gmv_channel",
        "conversion_channel",
    ]
    block = table(ctx, "products", ctx.t("products_table_title"), columns, rows, units=_units())
    block["truncated"] = result.total_rows > len(rows)
    return block


def _key_row(ctx: PageContext, result: ProductsResult, row: ProductRow) -> dict[str, Any]:
    out: dict[str, Any] = {result.request.key: row.key}
    if result.request.by == "product":
        out.update(title=row.title, category=row.category)
    out.update(_step_values(row.funnel))
    for m in _money_columns(result):
        out[m] = row.values.get(m)
    out["gmv_channel"] = _verdict_text(ctx, row.verdict, conversion=False)
    out["conversion_channel"] = _verdict_text(ctx, row.verdict, conversion=True)
    return out


def _sources_table(ctx: PageContext, result: ProductsResult) -> dict[str, Any]:
    """One row per (product or category, traffic source) of the first SOURCE_KEYS rows of
    the products table: the funnel and its rates."""
    rows = []
    for row in result.rows[:SOURCE_KEYS]:
        for src in row.sources:
            rows.append(_source_row(result, row, src))
    columns = [
        result.request.key,
        "traffic_source",
        *_interleaved(),
        "product_gmv",
        "click_to_purchase_rate",
        "uv_value",
    ]
    block = table(
        ctx, "products_by_source", ctx.t("products_sources_title"), columns, rows, units=_units()
    )
    block["truncated"] = len(result.rows) > SOURCE_KEYS
    return block


def _source_row(result: ProductsResult, row: ProductRow, src: SourceRow) -> dict[str, Any]:
    out: dict[str, Any] = {result.request.key: row.key, "traffic_source": src.traffic_source}
    out.update(_step_values(src.funnel))
    for m in ("product_gmv", "click_to_purchase_rate", "uv_value"):
        out[m] = src.values.get(m)
    return out


def _units() -> Mapping[str, str]:
    return dict.fromkeys(RATE_COLUMNS, "ratio")


def _verdict_note(ctx: PageContext) -> str:
    n = _opt(ctx, "min_click_users", str(DEFAULT_MIN_CLICK_USERS))
    return ctx.t("products_note_verdict", n=n)


register(Page("/products", "nav_products", build, extra_keys=EXTRA_KEYS))
