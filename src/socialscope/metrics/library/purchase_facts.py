"""Preparation of the purchase facts (METRICS.md section 7 table), in Ibis.

- `prepare_click_cells` — the period's click users, one row per (visitor, channel,
  campaign) they clicked in, with the first click of that cell in the period and whether a
  purchase followed within conversion_window_d; flags say which cell holds the visitor's
  first click overall, per channel and per campaign (see `sliced_visitors`).
- `prepare_cart_cells` — the period's cart visitors, one row per (visitor, channel) with
  the last add_to_cart of that cell in the period and whether it was abandoned.
- `prepare_cash_events` — paid orders (dated by paid_at) and refunds (dated by their ts,
  with their order's source, channel and currency), for the cash view of revenue.

A *purchase* of a visitor is a `purchase` touchpoint of that visitor, or a paid order (not
cancelled) of a customer linked to the visitor (`visitor_links`), at its paid_at.

Why cells and flags: "first click in that slice" depends on the slice asked (a visitor
with clicks on two channels is a click user of each, with each channel's first click),
while a fact is prepared before the query's grouping. Every visitor's rows are dated by
the same instant (their first click / last add_to_cart in the period), so a group holds
either all or none of a visitor's cells; a group whose channel (campaign) is a single
value then holds, per visitor, exactly their cells of that channel (campaign), and the
reduction counts the cell that is first within the group's fixed values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import ibis

from socialscope.metrics.factspec import PERIOD_FROM, PERIOD_TO
from socialscope.metrics.library.consideration_facts import (
    normal_channel,
    paid_orders,
    visitor_links,
)

Lookup = Callable[[str], Any]

WINDOW_PARAM = "conversion_window_d"
DEFAULT_WINDOW_D = 7
CART_WINDOW_H = 24
_NULL = "__socialscope_none__"
"""Stands for a null dimension value when testing whether a group holds one value."""


def parse_window_d(raw: str) -> int:
    """conversion_window_d from text: a whole, positive number of days."""
    value = int(raw)
    if value <= 0:
        raise ValueError("must be a positive whole number of days")
    return value


def window_days(params: Mapping[str, Any]) -> int:
    value = params.get(WINDOW_PARAM, DEFAULT_WINDOW_D)
    days = int(value)
    if days <= 0 or days != value:
        raise ValueError(f"{WINDOW_PARAM} must be a positive whole number of days")
    return days


def purchases(lookup: Lookup) -> Any:
    """(p_shop, p_visitor, p_ts): every purchase of every visitor, in UTC."""
    tp = lookup("touchpoints")
    bought = tp.filter(tp.event == "purchase").select(
        p_shop=tp.shop_id, p_visitor=tp.visitor_id, p_ts=tp.ts
    )
    links = visitor_links(lookup)
    paid = paid_orders(lookup("d_orders"))
    paid = paid.select(o_shop=paid.shop_id, o_customer=paid.customer_id, o_ts=paid.paid_at)
    ordered = links.join(
        paid, [links.l_shop == paid.o_shop, links.l_customer == paid.o_customer]
    ).select(p_shop=links.l_shop, p_visitor=links.l_visitor, p_ts=paid.o_ts)
    return ibis.union(bought, ordered, distinct=False)


def _in_period(t: Any, event: str, params: Mapping[str, Any]) -> Any:
    rows = t.filter(
        t.event == event, t.ts_local >= params[PERIOD_FROM], t.ts_local < params[PERIOD_TO]
    )
    return rows.mutate(channel=normal_channel(rows.channel))


def _with_purchase(cells: Any, at: str, keys: list[str], lookup: Lookup, hours: int) -> Any:
    """cells + `purchased`: a purchase at `at` ≤ p_ts ≤ `at` + hours (both inclusive)."""
    p = purchases(lookup)
    j = cells.left_join(
        p,
        [
            cells.shop_id == p.p_shop,
            cells.visitor_id == p.p_visitor,
            p.p_ts >= cells[at],
            p.p_ts <= cells[at] + ibis.interval(hours=hours),
        ],
    )
    return j.group_by([*keys, at, f"{at}_local"]).agg(purchased=j.p_ts.notnull().any())


def prepare_click_cells(t: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """Click users of the period by (visitor, channel, campaign).

    Columns: shop_id, visitor_id, channel (normalised), campaign, first_ts /
    first_ts_local (first click of the cell in the period), converted, first_total /
    first_in_channel / first_in_campaign (the cell holds the visitor's first click in the
    period overall / in its channel / in its campaign; ties by channel, campaign), ts_local
    (the visitor's first click in the period, local: dates all its cells).
    """
    clicks = _in_period(t, "click", params)
    keys = ["shop_id", "visitor_id", "channel", "campaign"]
    cells = clicks.group_by(keys).agg(
        first_ts=clicks.ts.min(), first_ts_local=clicks.ts_local.argmin(clicks.ts)
    )
    cells = _with_purchase(cells, "first_ts", keys, lookup, 24 * window_days(params))
    cells = cells.rename(converted="purchased")
    by_visitor = [cells.shop_id, cells.visitor_id]
    overall = ibis.window(
        group_by=by_visitor, order_by=[cells.first_ts, cells.channel, cells.campaign]
    )
    in_channel = ibis.window(
        group_by=[*by_visitor, cells.channel], order_by=[cells.first_ts, cells.campaign]
    )
    in_campaign = ibis.window(
        group_by=[*by_visitor, cells.campaign], order_by=[cells.first_ts, cells.channel]
    )
    return cells.mutate(
        first_total=ibis.row_number().over(overall) == 0,
        first_in_channel=ibis.row_number().over(in_channel) == 0,
        first_in_campaign=ibis.row_number().over(in_campaign) == 0,
        ts_local=cells.first_ts_local.first().over(overall),
    )


def prepare_cart_cells(t: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """Cart visitors of the period by (visitor, channel).

    Columns: shop_id, visitor_id, channel (normalised), last_ts / last_ts_local (last
    add_to_cart of the cell in the period), abandoned (no purchase within 24 h after it,
    both ends inclusive), last_total (the cell holds the visitor's last add_to_cart in the
    period; ties by channel), ts_local (that last add_to_cart, local: dates all its cells).
    """
    adds = _in_period(t, "add_to_cart", params)
    keys = ["shop_id", "visitor_id", "channel"]
    cells = adds.group_by(keys).agg(
        last_ts=adds.ts.max(), last_ts_local=adds.ts_local.argmax(adds.ts)
    )
    cells = _with_purchase(cells, "last_ts", keys, lookup, CART_WINDOW_H)
    cells = cells.mutate(abandoned=~cells.purchased).drop("purchased")
    latest = ibis.window(
        group_by=[cells.shop_id, cells.visitor_id],
        order_by=[cells.last_ts.desc(), cells.channel],
    )
    return cells.mutate(
        last_total=ibis.row_number().over(latest) == 0,
        ts_local=cells.last_ts_local.first().over(latest),
    )


def _one_value(column: Any) -> Any:
    """True when a group holds a single value of `column` (null being a value)."""
    return column.fill_null(_NULL).nunique() <= 1


def sliced_visitors(t: Any, where: Any | None = None) -> Any:
    """Distinct click users of a group (optionally those matching `where`), each judged by
    their first click within the group's fixed channel / campaign (see the module doc)."""

    def count(first: Any) -> Any:
        keep = first if where is None else first & where
        return t.visitor_id.nunique(where=keep.fill_null(False))

    one_channel, one_campaign = _one_value(t.channel), _one_value(t.campaign)
    return ibis.cases(
        (one_channel & one_campaign, count(ibis.literal(True))),
        (one_channel, count(t.first_in_channel)),
        (one_campaign, count(t.first_in_campaign)),
        else_=count(t.first_total),
    )


def sliced_cart_visitors(t: Any, where: Any | None = None) -> Any:
    """Distinct cart visitors of a group (optionally those matching `where`), each judged
    by their last add_to_cart within the group's channel when it holds one channel, else
    by their last add_to_cart overall."""

    def count(last: Any) -> Any:
        keep = last if where is None else last & where
        return t.visitor_id.nunique(where=keep.fill_null(False))

    return ibis.cases(
        (_one_value(t.channel), count(ibis.literal(True))),
        else_=count(t.last_total),
    )


def prepare_cash_events(t: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """Paid orders and refunds as one table of cash events.

    Columns: shop_id, order_id, kind ('sale' | 'refund'), amount (≥ 0), source, channel,
    currency (a refund takes its order's), paid_at_local (the event's local time: paid_at
    for a sale, the refund's ts for a refund — named so because the fact's table is
    d_orders). Sales: every order with paid_at, cancelled or not (the money came in; a
    cancellation gives it back through a refund). A refund whose order is not in the store
    is left out: its currency is unknown.
    """
    sales = t.filter(t.is_paid).select(
        "shop_id",
        "order_id",
        "source",
        "channel",
        "currency",
        kind=ibis.literal("sale"),
        amount=t.amount,
        paid_at_local=t.paid_at_local,
    )
    r = lookup("refunds")
    o = t.select(
        o_shop=t.shop_id,
        o_order=t.order_id,
        o_source=t.source,
        o_channel=t.channel,
        o_currency=t.currency,
    )
    refunds = r.join(o, [r.shop_id == o.o_shop, r.order_id == o.o_order]).select(
        shop_id=r.shop_id,
        order_id=r.order_id,
        source=o.o_source,
        channel=o.o_channel,
        currency=o.o_currency,
        kind=ibis.literal("refund"),
        amount=r.amount,
        paid_at_local=r.ts_local,
    )
    return ibis.union(sales, refunds, distinct=False)
