"""Which rows stand behind a number: a metric (and a slice of it) → a drill-down list URL.

Every drill link opens `/conversations` or `/orders` with the page's filters, the slice's
dimension values (channel, staff, source, a single day...) and the metric's own condition
(three_minute=failed for the 3-minute rate, paid=true for paid orders...). Metrics with no
row-level list (snapshots such as queue_waiting) have no link.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from socialscope.drilldown import CONVERSATION_FILTERS, ORDER_FILTERS
from socialscope.web.filters import Filters

CONVERSATIONS = "conversations"
ORDERS = "orders"

DRILL: dict[str, tuple[str, dict[str, str]]] = {
    # conversation lists
    "conversations": (CONVERSATIONS, {}),
    "human_conversations": (CONVERSATIONS, {"is_human": "true"}),
    "unreplied_conversations": (CONVERSATIONS, {"unreplied": "true"}),
    "inbound_messages": (CONVERSATIONS, {}),
    "outbound_messages": (CONVERSATIONS, {}),
    "inquiring_customers": (CONVERSATIONS, {}),
    "served_customers": (CONVERSATIONS, {"is_human": "true"}),
    "interacting_users": (CONVERSATIONS, {}),
    "product_inquiries": (CONVERSATIONS, {}),
    "conversations_handled": (CONVERSATIONS, {"is_human": "true"}),
    "three_minute_good_conversations": (CONVERSATIONS, {"three_minute": "good"}),
    "three_minute_eligible_conversations": (CONVERSATIONS, {"three_minute": "good,failed"}),
    "three_minute_reply_rate": (CONVERSATIONS, {"three_minute": "failed"}),
    "first_response_time_avg": (CONVERSATIONS, {"is_human": "true"}),
    "first_response_time_median": (CONVERSATIONS, {"is_human": "true"}),
    "first_response_time_p90": (CONVERSATIONS, {"is_human": "true"}),
    "avg_response_time": (CONVERSATIONS, {"is_human": "true"}),
    "slow_rounds": (CONVERSATIONS, {"is_human": "true"}),
    "unanswered_rounds": (CONVERSATIONS, {"is_human": "true"}),
    "sla_conversations": (CONVERSATIONS, {"is_human": "true"}),
    "sla_met_conversations": (CONVERSATIONS, {"is_human": "true"}),
    "sla_attainment": (CONVERSATIONS, {"is_human": "true"}),
    "csat_ratings": (CONVERSATIONS, {}),
    "csat_positive_ratings": (CONVERSATIONS, {}),
    "csat_rate": (CONVERSATIONS, {}),
    "inquiry_cohort_customers": (
        CONVERSATIONS,
        {"inquiry_outcome": "converted,ordered_unpaid,lost,pending"},
    ),
    "inquiry_converted_customers": (CONVERSATIONS, {"inquiry_outcome": "converted"}),
    "inquiry_conversion_rate": (CONVERSATIONS, {"inquiry_outcome": "ordered_unpaid,lost,pending"}),
    "inquiry_lost_customers": (CONVERSATIONS, {"inquiry_outcome": "lost"}),
    "inquiry_unpaid_customers": (CONVERSATIONS, {"inquiry_outcome": "ordered_unpaid"}),
    # order lists
    "order_count": (ORDERS, {"cancelled": "false"}),
    "sales_amount": (ORDERS, {"cancelled": "false"}),
    "aov": (ORDERS, {"cancelled": "false"}),
    "paid_order_count": (ORDERS, {"cancelled": "false", "paid": "true"}),
    "net_paid_amount": (ORDERS, {"cancelled": "false", "paid": "true"}),
    "refund_amount": (ORDERS, {}),
    "inquiry_orders": (ORDERS, {"cancelled": "false", "order_type": "inquiry"}),
    "inquiry_order_amount": (ORDERS, {"cancelled": "false", "order_type": "inquiry"}),
    "silent_orders": (ORDERS, {"cancelled": "false", "order_type": "silent"}),
    "silent_order_amount": (ORDERS, {"cancelled": "false", "order_type": "silent"}),
    "silent_order_share": (ORDERS, {"cancelled": "false", "order_type": "silent"}),
    "silent_unpaid_orders": (
        ORDERS,
        {"cancelled": "false", "order_type": "silent", "paid": "false"},
    ),
}
"""metric id -> (list, its conditions as drill-down filters)."""

ALLOWED = {CONVERSATIONS: CONVERSATION_FILTERS, ORDERS: ORDER_FILTERS}


def drill_kind(metric: str) -> str | None:
    target = DRILL.get(metric)
    return target[0] if target else None


def drill_url(metric: str, filters: Filters, slice_: dict[str, Any] | None = None) -> str | None:
    """The list behind `metric` for these filters and this slice, or None."""
    target = DRILL.get(metric)
    if target is None:
        return None
    kind, conditions = target
    allowed = ALLOWED[kind]
    where: dict[str, str] = dict(conditions)
    start, end = filters.date_from, filters.date_to
    for dim, value in (slice_ or {}).items():
        if value is None:
            if dim in allowed and dim != "shop_id":
                where[dim] = ""  # the rows with no value (lists read an empty value so)
            continue
        if dim == "date" and isinstance(value, date | str):
            start = end = value if isinstance(value, date) else date.fromisoformat(value)
        elif dim in allowed and dim != "shop_id":
            where[dim] = str(value)
    if filters.channels and "channel" not in where:
        where["channel"] = ",".join(filters.channels)
    base = [
        ("shop", filters.shop),
        ("preset", "custom"),
        ("from", start.isoformat()),
        ("to", end.isoformat()),
        ("compare", "none"),
        ("metric", metric),
    ]
    base += [("where", f"{k}={v}") for k, v in sorted(where.items())]
    from urllib.parse import urlencode

    return f"/{kind}?{urlencode(base)}"
