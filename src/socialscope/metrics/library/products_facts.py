"""Preparation of the product traffic facts (METRICS.md section 9), in Ibis.

- `prepare_product_touches` — impression, click and add_to_cart touchpoints that name a
  product, with the product's category and the traffic source (the touchpoint's `source`).
- `prepare_product_clicks` — the clicks among them with two flags of their visitor:
  `returning` (a linked customer had a paid order in the 365 days before the visitor's
  first product click in the period) and `lost` (no linked customer has a paid order
  created in the period).
- `prepare_product_items` — order lines of orders not cancelled with the order's
  traffic_source, customer, currency, local created_at and whether it is paid, the
  product's category, and `repeat` (the customer had a paid order created before their
  first paid order of the period).

Visitors are customers through `visitor_links` (the rule of the section 6-7 metrics: a
customer_id seen with the visitor_id on any web session or touchpoint). A visitor linked
to several customers (a shared device) is returning when any of them is, and lost only
when none of them bought.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import ibis

from socialscope.metrics.factspec import PERIOD_FROM, PERIOD_TO, SHOP
from socialscope.metrics.library.consideration_facts import visitor_links

Lookup = Callable[[str], Any]

RETURNING_DAYS = 365
EXPOSURE = "impression"
CLICK = "click"
CART = "add_to_cart"


def _scoped(lookup: Lookup, params: Mapping[str, Any]) -> Lookup:
    """`lookup` whose tables hold only the query's shop, when it reads one (see SHOP):
    the flags join and aggregate other tables, which the compiler's shop filter on the
    prepared rows does not reach."""
    shop = params.get(SHOP)
    if shop is None:
        return lookup

    def scoped(name: str) -> Any:
        table = lookup(name)
        return table.filter(table.shop_id == shop)

    return scoped


def _own(t: Any, params: Mapping[str, Any]) -> Any:
    shop = params.get(SHOP)
    return t if shop is None else t.filter(t.shop_id == shop)


def _paid(d_orders: Any) -> Any:
    """Orders that count as bought: paid_at present and not cancelled."""
    return d_orders.filter(d_orders.is_paid & ~d_orders.is_cancelled)


def _categories(lookup: Lookup) -> Any:
    p = lookup("products")
    return p.select(c_shop=p.shop_id, c_product=p.product_id, category=p.category)


def _visitor_flags(t: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """(f_shop, f_visitor, returning, lost) for every product click user of the period."""
    p_from, p_to = params[PERIOD_FROM], params[PERIOD_TO]
    lookup = _scoped(lookup, params)
    t = _own(t, params)
    clicks = t.filter(
        t.event == CLICK,
        t.product_id.notnull(),
        t.ts_local >= p_from,
        t.ts_local < p_to,
    )
    first = clicks.group_by(f_shop=clicks.shop_id, f_visitor=clicks.visitor_id).agg(
        first_ts=clicks.ts.min()
    )
    links = visitor_links(lookup)
    # only the period's clickers' links: the semi-join lets the scan skip the others
    links = links.semi_join(
        first, [links.l_shop == first.f_shop, links.l_visitor == first.f_visitor]
    )
    paid = _paid(lookup("d_orders"))
    paid = paid.filter(paid.customer_id.notnull()).select(
        o_shop=paid.shop_id,
        o_customer=paid.customer_id,
        o_paid=paid.paid_at,
        o_created_local=paid.created_at_local,
    )
    linked = first.join(links, [first.f_shop == links.l_shop, first.f_visitor == links.l_visitor])
    hits = linked.join(paid, [linked.f_shop == paid.o_shop, linked.l_customer == paid.o_customer])
    since = hits.first_ts - ibis.interval(days=RETURNING_DAYS)
    before = (hits.o_paid >= since) & (hits.o_paid < hits.first_ts)
    in_period = (hits.o_created_local >= p_from) & (hits.o_created_local < p_to)
    bought = hits.group_by("f_shop", "f_visitor").agg(
        returning=before.any(), bought=in_period.any()
    )
    out = first.left_join(
        bought, [first.f_shop == bought.f_shop, first.f_visitor == bought.f_visitor]
    )
    return out.select(
        f_shop=first.f_shop,
        f_visitor=first.f_visitor,
        returning=out.returning.fill_null(False),
        lost=~out.bought.fill_null(False),
    )


def _product_rows(t: Any, lookup: Lookup, params: Mapping[str, Any], events: list[str]) -> Any:
    """Touchpoints of `events` naming a product, with category and traffic_source."""
    t = _own(t, params)
    rows = t.filter(t.event.isin(events), t.product_id.notnull())
    cats = _categories(_scoped(lookup, params))
    rows = rows.left_join(cats, [rows.shop_id == cats.c_shop, rows.product_id == cats.c_product])
    rows = rows.drop("c_shop", "c_product")
    return rows.mutate(traffic_source=rows.source)


def prepare_product_touches(t: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """Impressions, clicks and adds to cart of products, with category.

    Columns: the touchpoint's own, traffic_source (its `source`), category.
    """
    return _product_rows(t, lookup, params, [EXPOSURE, CLICK, CART])


def prepare_product_clicks(t: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """Clicks of products with category and their visitor's flags — a fact of its own so
    the plain counts (exposures, clicks) never pay for the flags' joins.

    Columns: the touchpoint's own, traffic_source, category, returning, lost.
    """
    rows = _product_rows(t, lookup, params, [CLICK])
    flags = _visitor_flags(t, lookup, params)
    rows = rows.left_join(flags, [rows.shop_id == flags.f_shop, rows.visitor_id == flags.f_visitor])
    rows = rows.drop("f_shop", "f_visitor")
    return rows.mutate(returning=rows.returning.fill_null(False), lost=rows.lost.fill_null(True))


def prepare_product_items(t: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """Lines of orders not cancelled with the order's columns, `is_paid` and `repeat`.

    Columns: shop_id, order_id, product_id, amount (the line's amount, else quantity ×
    unit_price), customer_id, traffic_source, currency, created_at_local, is_paid,
    category, repeat (null for an order without customer_id).
    """
    p_from, p_to = params[PERIOD_FROM], params[PERIOD_TO]
    lookup = _scoped(lookup, params)
    t = _own(t, params)
    orders = lookup("d_orders")
    kept = orders.filter(~orders.is_cancelled)
    o = kept.select(
        o_shop=kept.shop_id,
        o_order=kept.order_id,
        customer_id=kept.customer_id,
        traffic_source=kept.traffic_source,
        currency=kept.currency,
        created_at_local=kept.created_at_local,
        is_paid=kept.is_paid,
    )
    lines = t.join(o, [t.shop_id == o.o_shop, t.order_id == o.o_order])
    lines = lines.select(
        shop_id=t.shop_id,
        order_id=t.order_id,
        product_id=t.product_id,
        amount=t.amount.coalesce(t.quantity * t.unit_price),
        customer_id=o.customer_id,
        traffic_source=o.traffic_source,
        currency=o.currency,
        created_at_local=o.created_at_local,
        is_paid=o.is_paid,
    )
    cats = _categories(lookup)
    lines = lines.left_join(
        cats, [lines.shop_id == cats.c_shop, lines.product_id == cats.c_product]
    ).drop("c_shop", "c_product")

    paid = _paid(orders)
    known = paid.filter(paid.customer_id.notnull())
    period = known.filter(known.created_at_local >= p_from, known.created_at_local < p_to)
    first = period.group_by(r_shop=period.shop_id, r_customer=period.customer_id).agg(
        first_created=period.created_at.min()
    )
    earlier = known.select(
        e_shop=known.shop_id, e_customer=known.customer_id, e_at=known.created_at
    )
    hits = first.join(
        earlier,
        [
            first.r_shop == earlier.e_shop,
            first.r_customer == earlier.e_customer,
            earlier.e_at < first.first_created,
        ],
    )
    repeaters = hits.select(s_shop=hits.r_shop, s_customer=hits.r_customer).distinct()
    out = lines.left_join(
        repeaters,
        [lines.shop_id == repeaters.s_shop, lines.customer_id == repeaters.s_customer],
    )
    flagged = out.mutate(
        repeat=ibis.cases(
            (out.customer_id.isnull(), ibis.null("boolean")),
            else_=out.s_shop.notnull(),
        )
    )
    return flagged.drop("s_shop", "s_customer")
