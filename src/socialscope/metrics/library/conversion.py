"""METRICS.md section 4: inquiry conversion and loss (询单转化 / 流失).

Order-level metrics (inquiry / silent orders) live on the fact `inquiry_orders`: orders
created in the period and not cancelled, dated by created_at (local), each flagged as an
inquiry order or a silent one. Customer-level metrics (conversion, loss, unpaid) live on
the fact `inquiry_customers`: the period's inquiry cohort, one customer per row (one row
per category asked), dated by their first inquiry in the period. How the rows are built is
in `conversion_facts.py`.
"""

from __future__ import annotations

from socialscope.metrics.factspec import FactSpec
from socialscope.metrics.library.conversion_facts import (
    DEFAULT_WINDOW_H,
    WINDOW_PARAM,
    parse_window_h,
    prepare_inquiry_customers,
    prepare_inquiry_orders,
)
from socialscope.metrics.spec import (
    Better,
    Chart,
    Count,
    CountDistinct,
    MetricSpec,
    ParamSpec,
    Ratio,
    Sum,
    Unit,
)

SECTION = "4. Transactions, inquiry conversion and loss"

WINDOW = ParamSpec(
    WINDOW_PARAM,
    DEFAULT_WINDOW_H,
    "hours of the inquiry window (a whole number): a customer message at most this long "
    "before an order makes it an inquiry order; a customer's orders count for conversion "
    "up to this long after their last inquiry in the period",
    parse=parse_window_h,
)

ORDER_DIMENSIONS = ("source", "channel", "currency")
CUSTOMER_DIMENSIONS = ("channel", "staff_id")
LOSS_DIMENSIONS = (*CUSTOMER_DIMENSIONS, "rounds_bucket", "duration_bucket", "category")

ORDER_NOTES = (
    "An order is an inquiry order when its conversation_id is set, or when its customer "
    "sent a customer message (sender customer, kind message) to the shop with "
    "created_at − inquiry_window_h ≤ message ts ≤ created_at: both ends inclusive, so a "
    "message exactly 72 h before counts and one a second earlier does not; a message after "
    "created_at does not. Customers are matched on the message's identity-resolved customer "
    "(identities map e.g. a LINE userId to the store customer) equal to the order's "
    "customer_id; the message may be outside the query period. Dated by created_at (local)."
)

CUSTOMER_NOTES = (
    "Cohort: customers (identity-resolved) with ≥1 customer message in the period, each "
    "counted once (distinct). Their window runs from their first customer message in the "
    "period to inquiry_window_h after their last one, both ends inclusive; the orders "
    "counted are the shop's orders, not cancelled, whose customer_id is the customer, "
    "created in that window (possibly after the period ends). Paid = paid_at present; "
    "refunds do not change it. Converted: ≥1 paid such order; unpaid: orders but none paid; "
    "lost: no order (the three add up to the cohort). Dated by the local time of the "
    "customer's first inquiry in the period: with a time dimension each customer appears "
    "once, in that bucket, while their window still ends after their last inquiry in the "
    "whole period (a cohort per query period, not per bucket). channel and staff_id are "
    "those of the "
    "conversation holding the customer's last customer message in the period (its staff is "
    "the conversation's staff of section 1, null when no agent answered), so a customer "
    "with several conversations counts once, for that last one."
)

LOSS_NOTES = (
    " Breakdowns: `rounds_bucket` (1, 2, 3-5, 6+) is the total number of rounds (section 1, "
    "all rounds) of the customer's inquiry conversations — the conversations in which they "
    "sent a customer message in the period, each taken whole; `duration_bucket` (<5 min, "
    "5-30 min, 30 min-2 h, 2 h+; lower bounds inclusive) is the sum over those "
    "conversations of last event − first event; `category` is the category of the products "
    "in their customer messages in the period — a customer who asked about several "
    "categories counts once in each (so the categories add up to more than the total), and "
    "one who asked about none (or only about products without a category) is in the empty "
    "category."
)

FACTS: tuple[FactSpec, ...] = (
    FactSpec(
        "inquiry_orders",
        "d_orders",
        "created_at_local",
        {"source": "source", "channel": "channel", "currency": "currency"},
        "Orders not cancelled, dated by created_at, flagged inquiry (conversation_id or a "
        "customer message in the inquiry_window_h before) or silent.",
        prepare=prepare_inquiry_orders,
        currency_column="currency",
        base_filter=lambda t: ~t.is_cancelled,
    ),
    FactSpec(
        "inquiry_customers",
        "d_messages",
        "ts_local",
        {
            "channel": "channel",
            "staff_id": "staff_id",
            "rounds_bucket": "rounds_bucket",
            "duration_bucket": "duration_bucket",
            "category": "category",
        },
        "The period's inquiry cohort: customers with a customer message in the period (one "
        "row per category asked), dated by their first inquiry in the period, with their "
        "orders in the inquiry window.",
        prepare=prepare_inquiry_customers,
    ),
)

METRICS: tuple[MetricSpec, ...] = (
    MetricSpec(
        "inquiry_orders",
        "Inquiry orders (咨询下单)",
        "Orders in the period with a conversation_id or a customer message from their "
        "customer in the inquiry_window_h hours before created_at.",
        Unit.COUNT,
        SECTION,
        Count(lambda t: t.is_inquiry),
        fact="inquiry_orders",
        dimensions=ORDER_DIMENSIONS,
        params=(WINDOW,),
        notes=ORDER_NOTES,
    ),
    MetricSpec(
        "inquiry_order_amount",
        "Inquiry order amount",
        "Σ amount of inquiry orders in the period, in their currency.",
        Unit.MONEY,
        SECTION,
        Sum("amount", lambda t: t.is_inquiry),
        fact="inquiry_orders",
        dimensions=ORDER_DIMENSIONS,
        params=(WINDOW,),
        notes=ORDER_NOTES,
    ),
    MetricSpec(
        "silent_orders",
        "Silent orders (静默下单)",
        "Orders in the period that are not inquiry orders: no conversation_id and no "
        "customer message from their customer in the inquiry_window_h hours before.",
        Unit.COUNT,
        SECTION,
        Count(lambda t: ~t.is_inquiry),
        fact="inquiry_orders",
        dimensions=ORDER_DIMENSIONS,
        better=Better.NEUTRAL,
        params=(WINDOW,),
        notes=ORDER_NOTES,
    ),
    MetricSpec(
        "silent_order_amount",
        "Silent order amount",
        "Σ amount of silent orders in the period, in their currency.",
        Unit.MONEY,
        SECTION,
        Sum("amount", lambda t: ~t.is_inquiry),
        fact="inquiry_orders",
        dimensions=ORDER_DIMENSIONS,
        better=Better.NEUTRAL,
        params=(WINDOW,),
        notes=ORDER_NOTES,
    ),
    MetricSpec(
        "silent_order_share",
        "Silent order share",
        "silent_orders / order_count.",
        Unit.RATIO,
        SECTION,
        Ratio("silent_orders", "order_count"),
        dimensions=("source", "currency"),
        better=Better.NEUTRAL,
        params=(WINDOW,),
    ),
    MetricSpec(
        "silent_unpaid_orders",
        "Silent unpaid orders (静默下单未付款)",
        "Silent orders in the period without paid_at.",
        Unit.COUNT,
        SECTION,
        Count(lambda t: ~t.is_inquiry & ~t.is_paid),
        fact="inquiry_orders",
        dimensions=("source", "currency"),
        better=Better.LOWER,
        params=(WINDOW,),
        notes=ORDER_NOTES,
    ),
    MetricSpec(
        "inquiry_cohort_customers",
        "Inquiring customers (conversion cohort)",
        "Distinct customers with ≥1 customer message in the period — the denominator of "
        "inquiry_conversion_rate; the same customers as inquiring_customers, but each with "
        "one channel and staff (those of their last conversation in the period).",
        Unit.COUNT,
        SECTION,
        CountDistinct("person_id"),
        fact="inquiry_customers",
        dimensions=LOSS_DIMENSIONS,
        params=(WINDOW,),
        notes=CUSTOMER_NOTES + LOSS_NOTES,
    ),
    MetricSpec(
        "inquiry_converted_customers",
        "Converted inquiring customers",
        "Inquiring customers in the period with a paid order created between their first "
        "inquiry in the period and inquiry_window_h after their last one.",
        Unit.COUNT,
        SECTION,
        CountDistinct("person_id", lambda t: t.is_converted),
        fact="inquiry_customers",
        dimensions=CUSTOMER_DIMENSIONS,
        params=(WINDOW,),
        notes=CUSTOMER_NOTES,
    ),
    MetricSpec(
        "inquiry_conversion_rate",
        "Inquiry conversion rate (询单转化率)",
        "inquiry_converted_customers / inquiry_cohort_customers.",
        Unit.RATIO,
        SECTION,
        Ratio("inquiry_converted_customers", "inquiry_cohort_customers"),
        dimensions=CUSTOMER_DIMENSIONS,
        params=(WINDOW,),
        notes=CUSTOMER_NOTES,
    ),
    MetricSpec(
        "inquiry_lost_customers",
        "Lost inquiring customers (询单流失)",
        "Inquiring customers in the period with no order (not cancelled) created between "
        "their first inquiry in the period and inquiry_window_h after their last one.",
        Unit.COUNT,
        SECTION,
        CountDistinct("person_id", lambda t: t.is_lost),
        fact="inquiry_customers",
        dimensions=LOSS_DIMENSIONS,
        better=Better.LOWER,
        chart=Chart.BAR,
        params=(WINDOW,),
        notes=CUSTOMER_NOTES + LOSS_NOTES,
    ),
    MetricSpec(
        "inquiry_unpaid_customers",
        "Inquiring customers who ordered but did not pay (询单下单未付款)",
        "Inquiring customers in the period with orders (not cancelled) in that window, none "
        "of them paid.",
        Unit.COUNT,
        SECTION,
        CountDistinct("person_id", lambda t: t.is_unpaid),
        fact="inquiry_customers",
        dimensions=CUSTOMER_DIMENSIONS,
        better=Better.LOWER,
        params=(WINDOW,),
        notes=CUSTOMER_NOTES,
    ),
)
