"""METRICS.md section 4, staff performance (員工表現).

Staff performance = served_customers, conversations_handled and human_conversations by
staff_id, plus order_count / sales_amount / net_paid_amount by the order attribution rule
(dimension staff_id of the order metrics), each of those also by `source`.
"""

from __future__ import annotations

from socialscope.metrics.spec import CountDistinct, MetricSpec, Unit

SECTION = "4. Transactions, inquiry conversion and loss"

STAFF_PERFORMANCE: tuple[str, ...] = (
    "served_customers",
    "conversations_handled",
    "human_conversations",
    "order_count",
    "sales_amount",
    "net_paid_amount",
)
"""The staff table's columns, in the order SHOPLINE shows them."""

METRICS: tuple[MetricSpec, ...] = (
    MetricSpec(
        "conversations_handled",
        "Conversations handled",
        "Human conversations in which the staff sent at least one agent message in the period; "
        "a conversation handed between two staff counts for both (distinct conversations "
        "over the slice).",
        Unit.COUNT,
        SECTION,
        CountDistinct("conversation_id", lambda t: (t.sender == "agent") & (t.kind == "message")),
        fact="messages",
        dimensions=("channel", "staff_id"),
        notes="An agent message makes its conversation human (METRICS.md section 1: bot-only "
        "means no handoff and no agent message), so this counts the distinct conversations "
        "of the staff's agent messages — on the messages fact, beside served_customers, "
        "without a join to d_conversations.",
    ),
)
