"""METRICS.md section 2: reception and interaction (接待 / 用戶互動)."""

from __future__ import annotations

from typing import Any

from socialscope.metrics.spec import Better, Chart, Count, CountDistinct, MetricSpec, Unit

SECTION = "2. Reception and interaction"


def _customer_message(t: Any) -> Any:
    return (t.sender == "customer") & (t.kind == "message")


def _agent_message(t: Any) -> Any:
    return (t.sender == "agent") & (t.kind == "message")


METRICS: tuple[MetricSpec, ...] = (
    MetricSpec(
        "conversations",
        "Conversations",
        "Conversations whose first event is in the period.",
        Unit.COUNT,
        SECTION,
        Count(),
        fact="conversations",
        dimensions=("channel",),
    ),
    MetricSpec(
        "human_conversations",
        "Human conversations",
        "Human conversations (not bot-only) whose first event is in the period; by staff_id "
        "they count for the conversation's staff (first agent message at or after the handoff).",
        Unit.COUNT,
        SECTION,
        Count(lambda t: t.is_human),
        fact="conversations",
        dimensions=("channel", "staff_id"),
    ),
    MetricSpec(
        "inbound_messages",
        "Inbound messages",
        "Customer rows of kind message in the period.",
        Unit.COUNT,
        SECTION,
        Count(_customer_message),
        fact="messages",
        dimensions=("channel",),
    ),
    MetricSpec(
        "outbound_messages",
        "Outbound messages",
        "Agent and bot rows of kind message in the period.",
        Unit.COUNT,
        SECTION,
        Count(lambda t: t.sender.isin(["agent", "bot"]) & (t.kind == "message")),
        fact="messages",
        dimensions=("channel", "sender"),
        better=Better.NEUTRAL,
    ),
    MetricSpec(
        "inquiring_customers",
        "Inquiring customers (咨询人数)",
        "Distinct customers with at least one customer message in the period.",
        Unit.COUNT,
        SECTION,
        CountDistinct("person_id", _customer_message),
        fact="messages",
        dimensions=("channel",),
    ),
    MetricSpec(
        "served_customers",
        "Served customers (接待人数)",
        "Distinct customers with at least one agent message in the period.",
        Unit.COUNT,
        SECTION,
        CountDistinct("person_id", _agent_message),
        fact="messages",
        dimensions=("channel", "staff_id"),
    ),
    MetricSpec(
        "interacting_users",
        "Interacting users (互動用戶)",
        "Distinct customers who sent a message or wrote a comment (author customer, not "
        "deleted) in the period; across channels a customer counts once (identities).",
        Unit.COUNT,
        SECTION,
        CountDistinct("person_id"),
        fact="interactions",
        dimensions=("channel",),
    ),
    MetricSpec(
        "comments_received",
        "Comments received",
        "Customer comments in the period (deleted ones included: they were received).",
        Unit.COUNT,
        SECTION,
        Count(lambda t: t.author == "customer"),
        fact="comments",
        dimensions=("channel", "post_id", "live_id"),
        chart=Chart.BAR,
    ),
    MetricSpec(
        "product_inquiries",
        "Product inquiries",
        "Customer messages with a product_id in the period.",
        Unit.COUNT,
        SECTION,
        Count(lambda t: _customer_message(t) & t.product_id.notnull()),
        fact="product_messages",
        dimensions=("product_id", "category"),
        chart=Chart.BAR,
    ),
)
