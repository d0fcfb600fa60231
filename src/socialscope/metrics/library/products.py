"""METRICS.md section 9: product traffic analysis (商品卡流量) — exposure, clicks, buyers.

Traffic metrics live on the fact `product_touches` (impression, click and add_to_cart
touchpoints with a product_id, dated by their ts), new / returning / lost click users on
`product_click_flags` (the clicks with their visitor's flags); buyer metrics on
`product_items` (lines of orders not cancelled, dated by the order's created_at). Ratios
across touchpoints and orders (click to purchase, UV value) combine them on the shared
dimensions product_id, traffic_source and category. How the rows are built is in
`products_facts.py`.

`click_users` is section 7's metric (any click), so the section-9 click counts carry a
`product_` prefix: product_click_users, product_clicks, product_clicks_per_user.
"""

from __future__ import annotations

from typing import Any

from socialscope.metrics.factspec import FactSpec
from socialscope.metrics.library.products_facts import (
    CART,
    CLICK,
    EXPOSURE,
    RETURNING_DAYS,
    prepare_product_clicks,
    prepare_product_items,
    prepare_product_touches,
)
from socialscope.metrics.spec import (
    Aggregation,
    Better,
    Count,
    CountDistinct,
    MetricSpec,
    Ratio,
    Sum,
    Unit,
)

SECTION = "9. Product traffic analysis"

DIMENSIONS = ("product_id", "traffic_source", "category")
ITEM_DIMENSIONS = (*DIMENSIONS, "currency")
LOST_DIMENSIONS = ("product_id", "traffic_source")
FLAGS = "product_click_flags"

TRAFFIC_NOTES = (
    "Touchpoints that name a product_id: event impression = an exposure, event click = an "
    "entry to the product page; dated by their ts (local). traffic_source is the "
    "touchpoint's source as imported (the last place the visitor came from); category is "
    "the product's (table products; none when the product is unknown). Users are "
    "visitor_id, counted distinct over the whole slice: a visitor who clicks from two "
    "sources is a click user of each source and once overall; clicked on two days, once in "
    "the period. A touchpoint imported twice (same event_id) is stored once."
)
CART_NOTES = (
    " Not a METRICS.md section 9 metric: the add-to-cart step of the products funnel "
    "(exposure → click → add to cart → order → paid), on the same rows."
)
RETURNING_NOTES = (
    TRAFFIC_NOTES
    + " Returning: a customer linked to the visitor (a customer_id seen with the visitor_id "
    "on any web session or touchpoint) has a paid order (paid_at present, not cancelled; "
    "refunds do not matter) with first click − "
    f"{RETURNING_DAYS} days ≤ paid_at < first click, where first click is the visitor's "
    "first product click in the period over all products and sources — so a visitor is "
    "new or returning in every slice alike and new + returning = click users. Exact "
    f"24-hour days: an order paid 364 days before is returning, one paid 366 days before "
    "is not. A visitor linked to no customer is new. Shares are of product_click_users of "
    "the same slice (null when it has none)."
)
ITEM_NOTES = (
    "Order lines (order_items) of paid orders — paid_at present and no cancelled_at — "
    "created in the period (local), for the line's product; traffic_source is the "
    "order's traffic_source (an order without one falls in the 'none' slice), category the "
    "product's. Amount: the line's amount (default quantity × unit_price), gross of "
    "refunds: a refunded order keeps its GMV and buyer (Douyin Compass reports 成交金额 "
    "gross; refunds are order-level, so a line cannot be netted exactly — use section 4's "
    "net_paid_amount for money kept). A cancelled order counts nowhere, even if it was "
    "paid first; an unpaid order counts nowhere. Amounts are in the order's currency; a "
    "slice holding several currencies is an error — add --by currency or filter one."
)
ORDERING_NOTES = (
    "Not a METRICS.md section 9 metric: the order step of the products funnel. Lines of "
    "orders without cancelled_at created in the period (local), paid or not, for the "
    "line's product and the order's traffic_source; distinct customer_id (an order "
    "without a customer adds nobody)."
)
BUYER_NOTES = (
    ITEM_NOTES
    + " Buyers: distinct customer_id of those orders (an order without a customer adds GMV "
    "but no buyer)."
)
REPEAT_NOTES = (
    BUYER_NOTES
    + " Repeat buyer: the customer has a paid, not cancelled order in this shop created "
    "before their first paid order created in the period (any product, any source); "
    "otherwise a first-purchase buyer — so first-purchase + repeat = buyers in every "
    "slice. Shares are of product_buyers of the same slice."
)
LOST_NOTES = (
    TRAFFIC_NOTES
    + " Lost: a product click user of the slice none of whose linked customers (as for "
    "returning) has a paid, not cancelled order in this shop created in the period — of "
    "any product and source; a visitor linked to no customer is lost."
)
CROSS_NOTES = (
    " The numerator is on order lines and the denominator on touchpoints: the parts are "
    "summed per slice of product_id, traffic_source and category (buyers are customers, "
    "click users visitors). Null when the slice has no click users."
)

UV_CURRENCY_NOTES = (
    " Click users have no currency: split by currency (or filtered by one), each row is the "
    "GMV in that currency divided by all the slice's click users (docs/design.md, Money "
    "ratios over a currency-free denominator); a currency the result holds but the slice "
    "did not sell in gives 0."
)


def _exposed(t: Any) -> Any:
    return t.event == EXPOSURE


def _clicked(t: Any) -> Any:
    return t.event == CLICK


def _carted(t: Any) -> Any:
    return t.event == CART


def _paid(t: Any) -> Any:
    return t.is_paid


FACTS: tuple[FactSpec, ...] = (
    FactSpec(
        "product_touches",
        "touchpoints",
        "ts_local",
        {"product_id": "product_id", "traffic_source": "traffic_source", "category": "category"},
        "Impression, click and add_to_cart touchpoints with a product_id, dated by their "
        "ts, with the product's category.",
        prepare=prepare_product_touches,
    ),
    FactSpec(
        "product_click_flags",
        "touchpoints",
        "ts_local",
        {"product_id": "product_id", "traffic_source": "traffic_source", "category": "category"},
        "Click touchpoints with a product_id, dated by their ts, with the product's category "
        "and the visitor's returning / lost flags.",
        prepare=prepare_product_clicks,
    ),
    FactSpec(
        "product_items",
        "order_items",
        "created_at_local",
        {
            "product_id": "product_id",
            "traffic_source": "traffic_source",
            "category": "category",
            "currency": "currency",
        },
        "Lines of orders not cancelled (paid or not), dated by the order's created_at, with "
        "the order's traffic_source, customer, currency and paid flag and the product's "
        "category.",
        prepare=prepare_product_items,
        currency_column="currency",
        range_source=("d_orders", "created_at_local"),
    ),
)


def _touch(
    id_: str,
    label: str,
    description: str,
    agg: Aggregation,
    notes: str,
    dimensions: tuple[str, ...] = DIMENSIONS,
    better: Better = Better.HIGHER,
    fact: str = "product_touches",
) -> MetricSpec:
    return MetricSpec(
        id_,
        label,
        description,
        Unit.COUNT,
        SECTION,
        agg,
        fact=fact,
        dimensions=dimensions,
        better=better,
        notes=notes,
    )


def _item(
    id_: str, label: str, description: str, unit: Unit, agg: Aggregation, notes: str
) -> MetricSpec:
    return MetricSpec(
        id_,
        label,
        description,
        unit,
        SECTION,
        agg,
        fact="product_items",
        dimensions=ITEM_DIMENSIONS,
        notes=notes,
    )


def _ratio(
    id_: str,
    label: str,
    description: str,
    unit: Unit,
    parts: tuple[str, str],
    notes: str,
    dimensions: tuple[str, ...] = DIMENSIONS,
) -> MetricSpec:
    return MetricSpec(
        id_,
        label,
        description,
        unit,
        SECTION,
        Ratio(*parts),
        dimensions=dimensions,
        notes=notes,
    )


METRICS: tuple[MetricSpec, ...] = (
    _touch(
        "exposure_users",
        "Exposure users (曝光人数)",
        "Distinct visitors with an impression of the product in the period.",
        CountDistinct("visitor_id", _exposed),
        TRAFFIC_NOTES,
    ),
    _touch(
        "product_click_users",
        "Product click users (点击人数)",
        "Distinct visitors with a click on the product in the period.",
        CountDistinct("visitor_id", _clicked),
        TRAFFIC_NOTES,
    ),
    _touch(
        "product_clicks",
        "Product clicks (点击次数)",
        "Click touchpoints on the product in the period.",
        Count(_clicked),
        TRAFFIC_NOTES,
    ),
    _ratio(
        "product_clicks_per_user",
        "Clicks per click user",
        "product_clicks / product_click_users.",
        Unit.NUMBER,
        ("product_clicks", "product_click_users"),
        TRAFFIC_NOTES,
    ),
    _ratio(
        "product_ctr",
        "Product CTR (user based, 商品点击率)",
        "product_click_users / exposure_users.",
        Unit.RATIO,
        ("product_click_users", "exposure_users"),
        TRAFFIC_NOTES
        + " User based: a visitor who clicked without a recorded impression still counts "
        "as a click user, so the rate can exceed 1; null without exposure users.",
    ),
    _touch(
        "product_cart_users",
        "Product add-to-cart users (加购人数)",
        "Distinct visitors with an add_to_cart touchpoint of the product in the period.",
        CountDistinct("visitor_id", _carted),
        TRAFFIC_NOTES + CART_NOTES,
    ),
    _touch(
        "new_click_users",
        "New click users",
        "Product click users without a paid order in the shop in the 365 days before "
        "their first product click in the period.",
        CountDistinct("visitor_id", lambda t: ~t.returning),
        RETURNING_NOTES,
        fact=FLAGS,
    ),
    _touch(
        "returning_click_users",
        "Returning click users (老客)",
        "Product click users with a paid order in the shop in the 365 days before their "
        "first product click in the period.",
        CountDistinct("visitor_id", lambda t: t.returning),
        RETURNING_NOTES,
        fact=FLAGS,
    ),
    _ratio(
        "new_click_user_share",
        "New click user share",
        "new_click_users / product_click_users.",
        Unit.RATIO,
        ("new_click_users", "product_click_users"),
        RETURNING_NOTES,
    ),
    _ratio(
        "returning_click_user_share",
        "Returning click user share",
        "returning_click_users / product_click_users.",
        Unit.RATIO,
        ("returning_click_users", "product_click_users"),
        RETURNING_NOTES,
    ),
    _item(
        "product_gmv",
        "Product GMV (成交金额)",
        "Σ line amount of the product in paid orders created in the period whose "
        "traffic_source is the slice's, in their currency.",
        Unit.MONEY,
        Sum("amount", _paid),
        ITEM_NOTES,
    ),
    _item(
        "product_order_users",
        "Product ordering customers (下单人数)",
        "Distinct customers with an order of the product (paid or not, not cancelled) "
        "created in the period whose traffic_source is the slice's.",
        Unit.COUNT,
        CountDistinct("customer_id"),
        ORDERING_NOTES,
    ),
    _item(
        "product_buyers",
        "Product buyers (成交人数)",
        "Distinct customers with a paid order of the product created in the period whose "
        "traffic_source is the slice's.",
        Unit.COUNT,
        CountDistinct("customer_id", _paid),
        BUYER_NOTES,
    ),
    _ratio(
        "product_aov",
        "Product AOV (客单价)",
        "product_gmv / product_buyers.",
        Unit.MONEY,
        ("product_gmv", "product_buyers"),
        BUYER_NOTES + " Null without buyers.",
        dimensions=ITEM_DIMENSIONS,
    ),
    _ratio(
        "click_to_purchase_rate",
        "Click to purchase rate (点击-成交转化率)",
        "product_buyers / product_click_users.",
        Unit.RATIO,
        ("product_buyers", "product_click_users"),
        BUYER_NOTES + CROSS_NOTES,
    ),
    _ratio(
        "uv_value",
        "UV value (UV价值)",
        "product_gmv / product_click_users.",
        Unit.MONEY,
        ("product_gmv", "product_click_users"),
        ITEM_NOTES + CROSS_NOTES + UV_CURRENCY_NOTES,
    ),
    _item(
        "first_purchase_buyers",
        "First-purchase buyers (新客)",
        "Product buyers without an earlier paid order in the shop.",
        Unit.COUNT,
        CountDistinct("customer_id", lambda t: t.is_paid & ~t.repeat),
        REPEAT_NOTES,
    ),
    _item(
        "repeat_buyers",
        "Repeat buyers (复购)",
        "Product buyers with an earlier paid order in the shop.",
        Unit.COUNT,
        CountDistinct("customer_id", lambda t: t.is_paid & t.repeat),
        REPEAT_NOTES,
    ),
    _ratio(
        "first_purchase_buyer_share",
        "First-purchase buyer share",
        "first_purchase_buyers / product_buyers.",
        Unit.RATIO,
        ("first_purchase_buyers", "product_buyers"),
        REPEAT_NOTES,
        dimensions=ITEM_DIMENSIONS,
    ),
    _ratio(
        "repeat_buyer_share",
        "Repeat buyer share",
        "repeat_buyers / product_buyers.",
        Unit.RATIO,
        ("repeat_buyers", "product_buyers"),
        REPEAT_NOTES,
        dimensions=ITEM_DIMENSIONS,
    ),
    _touch(
        "lost_users",
        "Lost users (流失用户)",
        "Product click users with no paid order in this shop, of any source, created in "
        "the period.",
        CountDistinct("visitor_id", lambda t: t.lost),
        LOST_NOTES,
        dimensions=LOST_DIMENSIONS,
        better=Better.LOWER,
        fact=FLAGS,
    ),
)
