"""METRICS.md section 7 (metric table): conversion, cart abandonment, revenue (cash view).

Conversion lives on the fact `click_users` (the period's click users by visitor, channel
and campaign), cart abandonment on `cart_visitors` (by visitor and channel), revenue on
`cash_events` (paid orders by paid_at and refunds by their ts). How the rows are built is
in `purchase_facts.py`. The funnel runner of section 7 is not a metric and lives apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis

from socialscope.metrics.factspec import FactSpec
from socialscope.metrics.library.purchase_facts import (
    CART_WINDOW_H,
    DEFAULT_WINDOW_D,
    WINDOW_PARAM,
    parse_window_d,
    prepare_cart_cells,
    prepare_cash_events,
    prepare_click_cells,
    sliced_cart_visitors,
    sliced_visitors,
)
from socialscope.metrics.spec import (
    Better,
    Custom,
    MetricSpec,
    ParamSpec,
    Ratio,
    Sum,
    Unit,
)

SECTION = "7. Purchase funnel"

WINDOW = ParamSpec(
    WINDOW_PARAM,
    DEFAULT_WINDOW_D,
    "days of the conversion window (a whole number): a click user converts with a purchase "
    "at most this long after their first click in the period (both ends inclusive)",
    parse=parse_window_d,
)

PURCHASE_NOTES = (
    "A purchase is a touchpoint of event purchase of the visitor (its ts), or a paid order "
    "(paid_at present, no cancelled_at) of a customer linked to the visitor — a customer_id "
    "that appears with the visitor_id on any web session or touchpoint — at its paid_at. "
    "An unpaid or cancelled order is no purchase."
)
CLICK_NOTES = (
    "Click users: distinct visitors with ≥1 touchpoint of event click whose ts (local) is "
    "in the period; a click before the period neither makes a click user nor starts the "
    "window. Converted: a purchase at a time p with first click ≤ p ≤ first click + "
    "conversion_window_d days (exact 24-hour days, both ends inclusive: exactly 7 days "
    "counts, 7 days + 1 s does not; the purchase may fall after the period). "
    + PURCHASE_NOTES
    + " Slices: channel (the click's, trimmed and lower-cased) and campaign are the "
    "click's; a visitor who clicked on two channels is a click user of each, with the "
    "first click in that slice starting the window, and once in the total (first click in "
    "the period). Each click user is dated by their first click in the period, so a time "
    "dimension puts every visitor in one bucket (for every slice). A filter listing several "
    "channels (or campaigns) keeps the click users whose first click overall is on one of "
    "them; a single-value filter is exactly that slice."
)
CART_NOTES = (
    "Cart visitors: distinct visitors with ≥1 add_to_cart touchpoint whose ts (local) is in "
    "the period. Abandoned: no purchase at a time p with last add_to_cart ≤ p ≤ last "
    f"add_to_cart + {CART_WINDOW_H} h (both ends inclusive: 23:59:59 after counts as a "
    "purchase, 24:00:01 does not). The last add_to_cart is the visitor's last one in the "
    "period (the period's cart; an add after the period belongs to the next one's), and the "
    "window may run past the period's end. A purchase before that last add does not save "
    "the cart. "
    + PURCHASE_NOTES
    + " By channel (the add_to_cart's, trimmed and lower-cased) a visitor with adds on two "
    "channels is a cart visitor of each, judged by their last add in that channel; in the "
    "total, by their last add overall. Dated by the visitor's last add_to_cart in the "
    "period. A filter listing several channels keeps the cart visitors whose last add "
    "overall is on one of them; a single-value filter is exactly that slice."
)
CASH_NOTES = (
    "Event basis (the cash view, beside section 4's cohort view): money in when it is paid, "
    "out when it is refunded. Gross: orders with paid_at in the period (local), whatever "
    "their created_at — including orders cancelled after payment: the payment did come in, "
    "and what the cancellation gives back appears as a refund on its own date (excluding "
    "them too would subtract that refund twice). Refunds: refunds whose ts (local) is in the "
    "period, of any order (also of orders paid in an earlier period or cancelled); a refund "
    "takes its order's source, channel and currency, and one whose order is not in the "
    "store is left out (its currency is unknown). Amounts are in the order's currency; a "
    "slice holding several currencies is an error — add --by currency or filter one."
)


def _click_users(t: Any, params: Mapping[str, Any]) -> Any:
    return sliced_visitors(t)


def _converted_click_users(t: Any, params: Mapping[str, Any]) -> Any:
    return sliced_visitors(t, t.converted)


def _cart_visitors(t: Any, params: Mapping[str, Any]) -> Any:
    return sliced_cart_visitors(t)


def _abandoned_cart_visitors(t: Any, params: Mapping[str, Any]) -> Any:
    return sliced_cart_visitors(t, t.abandoned)


def _signed_amount(t: Any) -> Any:
    return ibis.cases((t.kind == "refund", -t.amount), else_=t.amount)


FACTS: tuple[FactSpec, ...] = (
    FactSpec(
        "click_users",
        "touchpoints",
        "ts_local",
        {"channel": "channel", "campaign": "campaign"},
        "The period's click users, one row per (visitor, channel, campaign) clicked, with "
        "that cell's first click and whether a purchase followed within the window; dated "
        "by the visitor's first click in the period.",
        prepare=prepare_click_cells,
    ),
    FactSpec(
        "cart_visitors",
        "touchpoints",
        "ts_local",
        {"channel": "channel"},
        "The period's cart visitors, one row per (visitor, channel) with add_to_cart, with "
        "that cell's last add and whether it was abandoned; dated by the visitor's last "
        "add_to_cart in the period.",
        prepare=prepare_cart_cells,
    ),
    FactSpec(
        "cash_events",
        "d_orders",
        "paid_at_local",
        {"source": "source", "channel": "channel", "currency": "currency"},
        "Paid orders dated by paid_at and refunds dated by their ts (column paid_at_local "
        "holds either), with the order's source, channel and currency.",
        prepare=prepare_cash_events,
        currency_column="currency",
    ),
)

CLICK_DIMENSIONS = ("channel", "campaign")
CASH_DIMENSIONS = ("source", "channel", "currency")

METRICS: tuple[MetricSpec, ...] = (
    MetricSpec(
        "click_users",
        "Click users",
        "Distinct visitors with a click touchpoint in the period.",
        Unit.COUNT,
        SECTION,
        Custom(_click_users),
        fact="click_users",
        dimensions=CLICK_DIMENSIONS,
        params=(WINDOW,),
        notes=CLICK_NOTES,
    ),
    MetricSpec(
        "converted_click_users",
        "Converted click users",
        "Click users with a purchase touchpoint or a paid order within conversion_window_d "
        "days after their first click in the period.",
        Unit.COUNT,
        SECTION,
        Custom(_converted_click_users),
        fact="click_users",
        dimensions=CLICK_DIMENSIONS,
        params=(WINDOW,),
        notes=CLICK_NOTES,
    ),
    MetricSpec(
        "conversion_rate",
        "Conversion rate",
        "converted_click_users / click_users.",
        Unit.RATIO,
        SECTION,
        Ratio("converted_click_users", "click_users"),
        dimensions=CLICK_DIMENSIONS,
        params=(WINDOW,),
        notes=CLICK_NOTES,
    ),
    MetricSpec(
        "cart_visitors",
        "Cart visitors",
        "Distinct visitors with an add_to_cart touchpoint in the period.",
        Unit.COUNT,
        SECTION,
        Custom(_cart_visitors),
        fact="cart_visitors",
        dimensions=("channel",),
        better=Better.NEUTRAL,
        notes=CART_NOTES,
    ),
    MetricSpec(
        "abandoned_cart_visitors",
        "Abandoned cart visitors",
        f"Cart visitors with no purchase within {CART_WINDOW_H} h after their last add_to_cart.",
        Unit.COUNT,
        SECTION,
        Custom(_abandoned_cart_visitors),
        fact="cart_visitors",
        dimensions=("channel",),
        better=Better.LOWER,
        notes=CART_NOTES,
    ),
    MetricSpec(
        "cart_abandonment_rate",
        "Cart abandonment rate",
        "abandoned_cart_visitors / cart_visitors.",
        Unit.RATIO,
        SECTION,
        Ratio("abandoned_cart_visitors", "cart_visitors"),
        dimensions=("channel",),
        better=Better.LOWER,
        notes=CART_NOTES,
    ),
    MetricSpec(
        "revenue_gross",
        "Revenue, gross (cash)",
        "Σ amount of paid orders by paid_at in the period, in their currency.",
        Unit.MONEY,
        SECTION,
        Sum("amount", lambda t: t.kind == "sale"),
        fact="cash_events",
        dimensions=CASH_DIMENSIONS,
        notes=CASH_NOTES,
    ),
    MetricSpec(
        "refunds_by_date",
        "Refunds by date (cash)",
        "Σ refunds with their ts in the period, of any order, in the order's currency.",
        Unit.MONEY,
        SECTION,
        Sum("amount", lambda t: t.kind == "refund"),
        fact="cash_events",
        dimensions=CASH_DIMENSIONS,
        better=Better.LOWER,
        notes=CASH_NOTES,
    ),
    MetricSpec(
        "revenue_net",
        "Revenue, net (cash)",
        "revenue_gross − refunds_by_date: paid orders by paid_at minus refunds by refund ts, "
        "both in the period (event basis — the cash view).",
        Unit.MONEY,
        SECTION,
        Sum(_signed_amount),
        fact="cash_events",
        dimensions=CASH_DIMENSIONS,
        notes=CASH_NOTES,
    ),
)
