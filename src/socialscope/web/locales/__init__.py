"""The dashboard's texts, one module per language (`en`, `zh_hant`, `zh_hans`, `pl`).

Each module defines ``DATA``: the UI strings (``ui``, ``str.format`` templates), metric
labels and descriptions, dimension labels and the labels of enumerated dimension values.
English metric labels and section titles come from the registry (Chinese glosses and
section numbers removed) unless ``en`` overrides them; English descriptions are always the
registry's.

Translated metric descriptions were made from the English descriptions whose digests are
in ``DESCRIPTION_SOURCES``: when a registry description changes, its translations are no
longer shown (the English text is) until they are redone and the digest updated
(``socialscope.web.i18n.stale_descriptions`` lists them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LocaleData:
    ui: Mapping[str, str]
    metrics: Mapping[str, str] = field(default_factory=dict)
    descriptions: Mapping[str, str] = field(default_factory=dict)
    sections: Mapping[str, str] = field(default_factory=dict)
    """METRICS.md section number ("2") -> its title"""
    dimensions: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """dimension -> raw value -> label"""


DESCRIPTION_SOURCES: Mapping[str, str] = {
    "conversations": "5e3780fb4534",
    "human_conversations": "853f359c89ec",
    "inbound_messages": "49b10518ec36",
    "outbound_messages": "52ceb149cf38",
    "inquiring_customers": "6ffb449ab62f",
    "served_customers": "75ea85596194",
    "interacting_users": "6134e0458b9f",
    "comments_received": "c3f187146407",
    "product_inquiries": "914daf89caf0",
    "order_count": "840968722aa8",
    "sales_amount": "bc10a01ff6bd",
    "paid_order_count": "d92ffe11ea30",
    "net_paid_amount": "2644de33889b",
    "refund_amount": "4fcaedbe11e1",
    "aov": "577cbd7dcd82",
    "conversations_handled": "72e168d9f7d7",
    "three_minute_good_conversations": "ba5ed9ca90a6",
    "three_minute_eligible_conversations": "684c98f51a1b",
    "three_minute_reply_rate": "0919e2070356",
    "first_response_time_avg": "ebeeecf20b24",
    "first_response_time_median": "7ff98bef0935",
    "first_response_time_p90": "2c42e45832cc",
    "avg_response_time": "6f15df7092e0",
    "slow_rounds": "c4ac2b02dbde",
    "unanswered_rounds": "d1c02b4ccab7",
    "unreplied_conversations": "ef32f8099059",
    "sla_conversations": "e650adfd9a38",
    "sla_met_conversations": "d804d768269c",
    "sla_attainment": "1c85e99ed483",
    "csat_ratings": "80d963d31b13",
    "csat_positive_ratings": "e5b6ba3446f1",
    "csat_rate": "c0565acdb8bb",
    "negative_reviews": "9223359792c1",
    "inquiry_orders": "1bf920c5a60a",
    "inquiry_order_amount": "19d15eb60a03",
    "silent_orders": "773afb1e7208",
    "silent_order_amount": "76b1b53282f8",
    "silent_order_share": "8a5c36220f68",
    "silent_unpaid_orders": "0a188d5acf2c",
    "inquiry_cohort_customers": "6fce4fb1d627",
    "inquiry_converted_customers": "8279df02e36d",
    "inquiry_conversion_rate": "ad2eabb81e20",
    "inquiry_lost_customers": "1adf72849e60",
    "inquiry_unpaid_customers": "a65a8af4f99d",
    "queue_waiting": "af567061f8fb",
    "queue_wait_max_s": "e6f538be7906",
    "queue_wait_avg_s": "16655e32bdde",
    "online_agents": "8707c22b578d",
    "agent_capacity": "9084776049cd",
    "agent_open_conversations": "a0c2e03bb501",
    "agent_saturation": "3334ac41ac30",
}
"""metric id -> digest (``i18n.description_digest``) of the English description translated."""
