"""Preparation of the inquiry-conversion facts (METRICS.md section 4), in Ibis.

Two facts:

- `inquiry_orders_fact` — d_orders with `is_inquiry`: the order has a conversation_id, or
  its customer sent a customer message (sender customer, kind message) to the shop with
  created_at − inquiry_window_h ≤ message ts ≤ created_at (both ends inclusive).
- `inquiry_customers_fact` — the period's inquiry cohort: one row per customer with ≥1
  customer message in the period (per product category they asked about), with their
  outcome in the window [first inquiry in the period, last inquiry in the period +
  inquiry_window_h] (both ends inclusive) and the loss breakdowns.

Customers are matched on the message's identity-resolved `person_id` (d_messages) equal
to the order's `customer_id` in the same shop; an order without customer_id matches no
one. Cancelled orders are never orders; paid means paid_at is present (refunds do not
change conversion).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import ibis

from socialscope.metrics.factspec import PERIOD_FROM, PERIOD_TO

WINDOW_PARAM = "inquiry_window_h"
DEFAULT_WINDOW_H = 72

ROUNDS_BUCKETS: tuple[tuple[int, str], ...] = ((1, "1"), (2, "2"), (5, "3-5"))
ROUNDS_TOP = "6+"
DURATION_BUCKETS: tuple[tuple[int, str], ...] = (
    (5 * 60, "<5 min"),
    (30 * 60, "5-30 min"),
    (2 * 3600, "30 min-2 h"),
)
DURATION_TOP = "2 h+"

Lookup = Callable[[str], Any]


def parse_window_h(raw: str) -> int:
    """inquiry_window_h from text: a whole, positive number of hours."""
    value = int(raw)
    if value <= 0:
        raise ValueError("must be a positive number of hours")
    return value


def window_hours(params: Mapping[str, Any]) -> int:
    value = params.get(WINDOW_PARAM, DEFAULT_WINDOW_H)
    hours = int(value)
    if hours <= 0 or hours != value:
        raise ValueError(f"{WINDOW_PARAM} must be a positive whole number of hours")
    return hours


def _customer_messages(dm: Any) -> Any:
    return dm.filter((dm.sender == "customer") & (dm.kind == "message"))


def _has_conversation(t: Any) -> Any:
    return t.conversation_id.notnull() & (t.conversation_id.strip() != "")


def prepare_inquiry_orders(t: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """d_orders + is_inquiry (bool). Only orders created in the period are checked
    against messages; the fact's own filter keeps just those rows anyway."""
    window = ibis.interval(hours=window_hours(params))
    p_from, p_to = params[PERIOD_FROM], params[PERIOD_TO]
    cm = _customer_messages(lookup("d_messages"))
    msgs = cm.select(m_shop=cm.shop_id, m_person=cm.person_id, m_ts=cm.ts)
    base = t.view()
    o = base.filter(
        base.customer_id.notnull(),
        base.created_at_local >= p_from,
        base.created_at_local < p_to,
    ).select(
        k_shop=base.shop_id, k_order=base.order_id, k_cust=base.customer_id, k_at=base.created_at
    )
    hits = (
        o.join(
            msgs,
            [
                o.k_shop == msgs.m_shop,
                o.k_cust == msgs.m_person,
                msgs.m_ts >= o.k_at - window,
                msgs.m_ts <= o.k_at,
            ],
        )
        .select(h_shop=o.k_shop, h_order=o.k_order)
        .distinct()
    )
    j = t.left_join(hits, [t.shop_id == hits.h_shop, t.order_id == hits.h_order])
    j = j.mutate(is_inquiry=_has_conversation(j) | j.h_order.notnull())
    return j.drop("h_shop", "h_order")


def _bucket(value: Any, bounds: tuple[tuple[int, str], ...], top: str, inclusive: bool) -> Any:
    """A label per value: the first (bound, label) with value ≤ bound (inclusive) or
    value < bound (exclusive); `top` beyond the last bound."""
    return ibis.cases(
        *(((value <= b) if inclusive else (value < b), label) for b, label in bounds),
        else_=top,
    )


def prepare_inquiry_customers(t: Any, lookup: Lookup, params: Mapping[str, Any]) -> Any:
    """The period's inquiry cohort from d_messages, one row per (customer, category asked).

    Columns: shop_id, person_id, ts_local (their first inquiry in the period, local),
    channel and staff_id (of the conversation of their last inquiry in the period),
    n_rounds / duration_s and their buckets (over their inquiry conversations),
    category, n_window_orders, n_window_paid, is_converted, is_unpaid, is_lost.
    """
    window = ibis.interval(hours=window_hours(params))
    p_from, p_to = params[PERIOD_FROM], params[PERIOD_TO]
    cm = _customer_messages(t)
    cm = cm.filter(cm.ts_local >= p_from, cm.ts_local < p_to)

    # First / last inquiry of each customer in the period; the last one's conversation.
    last_w = ibis.window(
        group_by=[cm.shop_id, cm.person_id], order_by=[cm.ts.desc(), cm.event_id.desc()]
    )
    first_w = ibis.window(group_by=[cm.shop_id, cm.person_id], order_by=[cm.ts, cm.event_id])
    ranked = cm.mutate(
        _last_rn=ibis.row_number().over(last_w),
        first_ts=cm.ts.first().over(first_w),
        first_ts_local=cm.ts_local.first().over(first_w),
    )
    head = ranked.filter(ranked._last_rn == 0).select(
        "shop_id",
        "person_id",
        ts_local=ranked.first_ts_local,
        first_ts=ranked.first_ts,
        last_ts=ranked.ts,
        last_conv=ranked.conversation_id,
        last_channel=ranked.channel,
    )

    conv = lookup("d_conversations")
    cinfo = conv.select(
        c_shop=conv.shop_id,
        c_conv=conv.conversation_id,
        c_channel=conv.channel,
        c_staff=conv.staff_id,
    )
    head = head.left_join(cinfo, [head.shop_id == cinfo.c_shop, head.last_conv == cinfo.c_conv])
    head = head.mutate(
        channel=head.c_channel.coalesce(head.last_channel), staff_id=head.c_staff
    ).drop("c_shop", "c_conv", "c_channel", "c_staff", "last_channel")

    # Rounds and duration over their inquiry conversations (the conversations in which
    # they sent a customer message in the period), each conversation taken whole.
    inq = cm.select(q_shop=cm.shop_id, q_person=cm.person_id, q_conv=cm.conversation_id).distinct()
    cstats = conv.select(
        s_shop=conv.shop_id,
        s_conv=conv.conversation_id,
        s_rounds=conv.n_rounds,
        s_duration=conv.last_ts.epoch_seconds() - conv.first_ts.epoch_seconds(),
    )
    inq = inq.join(cstats, [inq.q_shop == cstats.s_shop, inq.q_conv == cstats.s_conv])
    effort = inq.group_by(e_shop=inq.q_shop, e_person=inq.q_person).agg(
        n_rounds=inq.s_rounds.sum(), duration_s=inq.s_duration.sum()
    )
    head = head.left_join(
        effort, [head.shop_id == effort.e_shop, head.person_id == effort.e_person]
    ).drop("e_shop", "e_person")
    head = head.mutate(n_rounds=head.n_rounds.coalesce(0), duration_s=head.duration_s.coalesce(0))
    head = head.mutate(
        rounds_bucket=_bucket(head.n_rounds, ROUNDS_BUCKETS, ROUNDS_TOP, inclusive=True),
        duration_bucket=_bucket(head.duration_s, DURATION_BUCKETS, DURATION_TOP, inclusive=False),
    )

    # Orders (not cancelled) created in [first inquiry, last inquiry + window].
    orders = lookup("d_orders")
    orders = orders.filter(~orders.is_cancelled, orders.customer_id.notnull()).select(
        o_shop=orders.shop_id,
        o_cust=orders.customer_id,
        o_at=orders.created_at,
        o_paid=orders.is_paid,
    )
    win = head.select(
        w_shop=head.shop_id, w_person=head.person_id, w_first=head.first_ts, w_last=head.last_ts
    )
    matched = win.join(
        orders,
        [
            win.w_shop == orders.o_shop,
            win.w_person == orders.o_cust,
            orders.o_at >= win.w_first,
            orders.o_at <= win.w_last + window,
        ],
    )
    outcome = matched.group_by(r_shop=matched.w_shop, r_person=matched.w_person).agg(
        n_window_orders=matched.count(),
        n_window_paid=matched.o_paid.cast("int64").sum(),
    )
    head = head.left_join(
        outcome, [head.shop_id == outcome.r_shop, head.person_id == outcome.r_person]
    ).drop("r_shop", "r_person")
    head = head.mutate(
        n_window_orders=head.n_window_orders.coalesce(0),
        n_window_paid=head.n_window_paid.coalesce(0),
    )
    head = head.mutate(
        is_converted=head.n_window_paid > 0,
        is_unpaid=(head.n_window_orders > 0) & (head.n_window_paid == 0),
        is_lost=head.n_window_orders == 0,
    )

    # Product categories asked in their customer messages in the period.
    products = lookup("products")
    pcat = products.select(
        p_shop=products.shop_id, p_product=products.product_id, p_category=products.category
    )
    asked = cm.filter(cm.product_id.notnull())
    asked = asked.join(pcat, [asked.shop_id == pcat.p_shop, asked.product_id == pcat.p_product])
    asked = asked.filter(asked.p_category.notnull())
    cats = asked.select(
        a_shop=asked.shop_id, a_person=asked.person_id, category=asked.p_category
    ).distinct()
    out = head.left_join(cats, [head.shop_id == cats.a_shop, head.person_id == cats.a_person])
    return out.drop("a_shop", "a_person")
