"""METRICS.md section 4: transactions (成交) — cohort basis, cancelled orders excluded."""

from __future__ import annotations

from socialscope.metrics.spec import Better, Count, MetricSpec, Ratio, Sum, Unit

SECTION = "4. Transactions, inquiry conversion and loss"
ORDER_DIMENSIONS = ("source", "channel", "staff_id", "live_id", "post_id", "currency")

METRICS: tuple[MetricSpec, ...] = (
    MetricSpec(
        "order_count",
        "Orders",
        "Orders created in the period and not cancelled. By staff_id: the order's staff_id, "
        "else the staff of the last agent message in its conversation before created_at.",
        Unit.COUNT,
        SECTION,
        Count(),
        fact="orders",
        dimensions=ORDER_DIMENSIONS,
    ),
    MetricSpec(
        "sales_amount",
        "Sales amount (銷售金額)",
        "Σ amount of orders in the period, in their currency.",
        Unit.MONEY,
        SECTION,
        Sum("amount"),
        fact="orders",
        dimensions=ORDER_DIMENSIONS,
    ),
    MetricSpec(
        "paid_order_count",
        "Paid orders",
        "Orders in the period with paid_at.",
        Unit.COUNT,
        SECTION,
        Count(lambda t: t.is_paid),
        fact="orders",
        dimensions=ORDER_DIMENSIONS,
    ),
    MetricSpec(
        "net_paid_amount",
        "Net paid amount (付款淨額)",
        "Σ over paid orders in the period of (amount − their refunds), refunds counted up to "
        "the time of the query (cohort basis).",
        Unit.MONEY,
        SECTION,
        Sum(lambda t: t.amount - t.refunded_amount, lambda t: t.is_paid),
        fact="orders",
        dimensions=ORDER_DIMENSIONS,
    ),
    MetricSpec(
        "refund_amount",
        "Refund amount",
        "Σ refunds of orders in the period, up to the time of the query (cohort basis).",
        Unit.MONEY,
        SECTION,
        Sum("refunded_amount"),
        fact="orders",
        dimensions=ORDER_DIMENSIONS,
        better=Better.LOWER,
    ),
    MetricSpec(
        "aov",
        "Average order value",
        "sales_amount / order_count.",
        Unit.MONEY,
        SECTION,
        Ratio("sales_amount", "order_count"),
        dimensions=ORDER_DIMENSIONS,
    ),
)
